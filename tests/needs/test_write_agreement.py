"""The need pages and the API allow the same writes to the same people (issue 13, finding 13).

For every write on needs (create, update, each transition, attachments, import) and every user of each kind of
organisation holding each role (or none), the operation is done once through its page and once through the API,
each on a need of its own, and the database tells whether it happened. Both must be refused or both allowed: a
rule that exists in one adapter only shows up here as a disagreement.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from needs.enums import NeedStatus, Pathway, Visibility
from needs.importing import NEED_COLUMNS
from needs.models import Need, NeedAttachment, NeedImport
from tests.factories import OrganisationFactory, UserFactory

NEEDS_URL = "/api/v1/needs/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ROLES = [*RoleCode, None]
S = NeedStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def users(unit):
    """One user per (organisation kind, role); the MOD unit is the one that owns the needs below."""
    organisations = {}
    for kind in OrganisationKind:
        if kind == OrganisationKind.MOD_UNIT:
            organisations[kind] = unit
        elif kind == OrganisationKind.ATLA:
            organisations[kind] = Organisation.objects.create(name="防衛装備庁", kind=kind, unit_code=UnitCode.ATLA)
        elif kind == OrganisationKind.STARTUP:
            organisations[kind] = OrganisationFactory(kind=kind)
        else:
            organisations[kind] = OrganisationFactory(kind=kind, corporate_number="")
    return {
        (kind, role): UserFactory(organisation=organisation, roles=[role] if role else [])
        for kind, organisation in organisations.items()
        for role in ROLES
    }


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("仕様.pdf", PDF_BYTES, content_type="application/pdf")


def a_need(unit, status: str) -> Need:
    need = Need.objects.create(
        ref=f"W-{Need.objects.count() + 1:05d}",
        title="水中ドローン",
        description="港湾内の不審な水中物体を探知したい。",
        owner_unit=unit,
        pathway=Pathway.EARLY_EQUIPMENT,
        visibility=Visibility.PUBLIC,
        status=status,
    )
    need.search_text = need.build_search_text()
    need.save()
    return need


def with_attachment(unit, status: str) -> Need:
    need = a_need(unit, status)
    NeedAttachment.objects.create(
        need=need, file=pdf(), original_name="仕様.pdf", content_type="application/pdf", size=len(PDF_BYTES)
    )
    return need


def form_data(need: Need | None = None, **extra) -> dict:
    return {
        "title": "改題" if need else "新しいニーズ",
        "description": "港湾内の不審な水中物体を探知したい。",
        "pathway": Pathway.EARLY_EQUIPMENT,
        "visibility": Visibility.PUBLIC,
        "proposal_deadline_0": "",
        "proposal_deadline_1": "",
        "action": "save",
        **extra,
    }


def import_file(ref: str) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=NEED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow({
        "ref": ref, "title": "一括登録", "description": "説明", "owner_unit": UnitCode.GSDF,
        "pathway": Pathway.EARLY_EQUIPMENT, "visibility": Visibility.PUBLIC,
    })  # fmt: skip
    return SimpleUploadedFile("needs.csv", buffer.getvalue().encode(), content_type="text/csv")


def page_import(client: Client, ref: str) -> None:
    client.post(reverse("needs:need_import"), {"file": import_file(ref)})
    pending = NeedImport.objects.filter(uploaded_by_id=client.user_id).last()
    if pending is not None:
        client.post(reverse("needs:need_import_confirm", args=[pending.pk]))


def page_move(to: str):
    return lambda client, need: client.post(
        reverse("needs:need_transition", args=[need.pk]), {"to": to, "comment": "理由"}
    )


def api_move(to: str):
    return lambda api, need: api.post(f"{NEEDS_URL}{need.pk}/transition/", {"to": to, "comment": "理由"}, format="json")


@dataclass
class Operation:
    start: str | None  # the status of the need it acts on; None: no need (create, import)
    page: Callable
    api: Callable
    observe: Callable  # (need, user, channel) → a value the operation changes when it is allowed
    make: Callable = a_need


def status_of(need, user, channel):
    return Need.objects.get(pk=need.pk).status


def transition(start: str, to: str) -> Operation:
    return Operation(start, page_move(to), api_move(to), status_of)


OPERATIONS = {
    "create": Operation(
        None,
        lambda client, need: client.post(reverse("needs:need_create"), form_data()),
        lambda api, need: api.post(NEEDS_URL, form_data(), format="json"),
        lambda need, user, channel: Need.objects.filter(created_by=user).count(),
    ),
    "update": Operation(
        S.DRAFT,
        lambda client, need: client.post(reverse("needs:need_edit", args=[need.pk]), form_data(need)),
        lambda api, need: api.patch(f"{NEEDS_URL}{need.pk}/", {"title": "改題"}, format="json"),
        lambda need, user, channel: Need.objects.get(pk=need.pk).title,
    ),
    "submit": transition(S.DRAFT, S.SUBMITTED),
    "return": transition(S.SUBMITTED, S.DRAFT),
    "approve and publish": transition(S.SUBMITTED, S.PUBLISHED),
    "close": transition(S.PUBLISHED, S.CLOSED),
    "withdraw a draft": transition(S.DRAFT, S.WITHDRAWN),
    "withdraw a submitted need": transition(S.SUBMITTED, S.WITHDRAWN),
    "withdraw a published need": transition(S.PUBLISHED, S.WITHDRAWN),
    "attach": Operation(
        S.DRAFT,
        lambda client, need: client.post(
            reverse("needs:need_edit", args=[need.pk]), {**form_data(need), "attachments": [pdf()]}
        ),
        lambda api, need: api.post(f"{NEEDS_URL}{need.pk}/attachments/", {"file": pdf()}, format="multipart"),
        lambda need, user, channel: need.attachments.count(),
    ),
    "remove an attachment": Operation(
        S.DRAFT,
        lambda client, need: client.post(
            reverse("needs:need_edit", args=[need.pk]),
            form_data(need, remove_attachments=[need.attachments.get().pk]),
        ),
        lambda api, need: api.delete(f"{NEEDS_URL}{need.pk}/attachments/{need.attachments.get().pk}/"),
        lambda need, user, channel: need.attachments.count(),
        make=with_attachment,
    ),
    "import": Operation(
        None,
        lambda client, need: page_import(client, f"IMP-PAGE-{client.user_id}"),
        lambda api, need: api.post(
            f"{NEEDS_URL}import/", {"file": import_file(f"IMP-API-{api.user_id}")}, format="multipart"
        ),
        lambda need, user, channel: Need.objects.filter(ref=f"IMP-{channel}-{user.pk}").exists(),
    ),
}


def happens(operation: Operation, unit, user, channel: str) -> bool:
    need = operation.make(unit, operation.start) if operation.start else None
    if channel == "PAGE":
        client = Client()
        client.force_login(user)
    else:
        client = APIClient()
        client.force_authenticate(user)
    client.user_id = user.pk
    before = operation.observe(need, user, channel)
    (operation.page if channel == "PAGE" else operation.api)(client, need)
    return operation.observe(need, user, channel) != before


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_the_page_and_the_api_allow_each_need_write_to_the_same_people(users, unit, name):
    operation = OPERATIONS[name]
    outcomes = {
        key: (happens(operation, unit, user, "PAGE"), happens(operation, unit, user, "API"))
        for key, user in users.items()
    }
    disagreements = {
        f"{kind} × {role}": f"page {page}, API {api}" for (kind, role), (page, api) in outcomes.items() if page != api
    }
    assert disagreements == {}
    assert any(page for page, _api in outcomes.values()), "nobody may do it: the operation is not exercised"
