"""A need import is held to the need pages' rules and leaves the same trail (issue 13, finding 5).

For each change the pages can make (create a draft, edit each field of a draft, submit and publish), doing it by
import gives the same need, the same history and the same audit entries, under the importer's name. Each change
the pages refuse (editing a need that has left its draft, moving a need to another unit, publishing a closed or
withdrawn need, or one past its deadline) is a row error by import, at preview as at confirm, and the whole list
is then written nowhere. Every way in is checked: the reviewers' upload page, the API and `import_needs`.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import AuditEntry, Organisation
from needs.enums import NeedStatus, Pathway, Visibility
from needs.forms import NeedForm
from needs.importing import NEED_COLUMNS
from needs.models import Need, NeedImport
from needs.services.needs import need_create, need_transition
from seeds.models import TechField
from tests.factories import UserFactory

ENTRIES = ["page", "api", "command"]
# The values a draft starts from, and for each field a different value the edit page and an import can both write.
START = {
    "title": "港湾警備用の水中ドローン",
    "description": "港湾内の不審な水中物体を早期に発見したい。",
    "desired_capabilities": "連続4時間の自律航行",
    "min_trl": 5,
    "pathway": Pathway.EARLY_EQUIPMENT,
    "visibility": Visibility.GOVERNMENT,
}
START_FIELDS = ["maritime", "unmanned"]
CHANGES = {
    "title": "港湾警備用の水中ドローン（改）",
    "description": "港湾内と航路の不審な水中物体を早期に発見したい。",
    "desired_capabilities": "連続8時間の自律航行",
    "tech_fields": ["maritime", "sensing"],
    "min_trl": 7,
    "pathway": Pathway.TECH_PROPOSAL,
    "visibility": Visibility.PUBLIC,  # the widest: a government-only need made public
}
# Columns of the audit entries that differ between two needs however they were made.
VOLATILE = {"ref", "created_by", "created_at", "published_at"}


@pytest.fixture
def people(unit, other_unit):
    bureau = Organisation.objects.create(
        name="内部部局", kind=OrganisationKind.MOD_UNIT, unit_code=UnitCode.INTERNAL_BUREAU
    )
    return {
        "author": UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR]),
        "reviewer": UserFactory(organisation=bureau, roles=[RoleCode.NEED_REVIEWER]),
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row(*, ref: str, owner_unit: str = UnitCode.GSDF, tech_fields=START_FIELDS, **values) -> dict:
    values = {**START, **values}
    return {
        **{name: str(value if value is not None else "") for name, value in values.items()},
        "ref": ref,
        "tech_fields": ";".join(tech_fields),
        "owner_unit": owner_unit,
    }


def csv_bytes(*rows: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=NEED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.fixture
def run_import(people, tmp_path):
    """Import `rows` as the reviewer through the upload page (preview, then confirm) or the API (a dry run, then
    for real), or through the command. Returns the row errors met; the preview or dry run meets the same."""

    def run(entry: str, *rows: dict, publish: bool = False) -> list[tuple[int, str]]:
        content = csv_bytes(*rows)
        if entry == "command":
            path = tmp_path / "needs.csv"
            path.write_bytes(content)
            errors = io.StringIO()
            try:
                call_command("import_needs", str(path), *(["--publish"] if publish else []), stderr=errors)
            except CommandError:
                return [(0, line) for line in errors.getvalue().splitlines()] or [(0, "refused")]
            return []
        if entry == "api":
            api = APIClient()
            api.force_authenticate(people["reviewer"])
            answers = [
                api.post("/api/v1/needs/import/", {"file": SimpleUploadedFile("needs.csv", content), "publish": publish,
                         "dry_run": dry_run}, format="multipart").json()
                for dry_run in (True, False)
            ]  # fmt: skip
            assert answers[0]["errors"] == answers[1]["errors"]
            return [(e["line"], e["column"]) for e in answers[1]["errors"]]
        client = signed_in(people["reviewer"])
        upload = SimpleUploadedFile("needs.csv", content, content_type="text/csv")
        client.post(reverse("needs:need_import"), {"file": upload, **({"publish": "on"} if publish else {})})
        pending = NeedImport.objects.latest("pk")
        preview = client.get(reverse("needs:need_import_preview", args=[pending.pk])).context["result"]
        client.post(reverse("needs:need_import_confirm", args=[pending.pk]))
        confirmed = NeedImport.objects.get(pk=pending.pk).summary
        assert [(e["line"], e["column"]) for e in preview["errors"]] == [
            (e["line"], e["column"]) for e in confirmed["errors"]
        ]
        return [(e["line"], e["column"]) for e in confirmed["errors"]]

    return run


def importer(people, entry: str):
    """Whom an import's entries name: the reviewer who made it, or no one for the command line."""
    return None if entry == "command" else people["reviewer"]


def state(need: Need) -> dict:
    need = Need.objects.get(pk=need.pk)
    return {
        **{name: getattr(need, name) for name in [*START, "status"]},
        "owner_unit": need.owner_unit.unit_code,
        "tech_fields": sorted(need.tech_fields.values_list("code", flat=True)),
        "moves": list(need.transitions.order_by("at", "pk").values_list("from_status", "to_status")),
    }


def trail(need: Need, since: int = 0) -> list[tuple[str, dict]]:
    entries = AuditEntry.objects.filter(object_type="needs.need", object_id=str(need.pk), pk__gt=since)
    return [
        (entry.action, {name: value for name, value in entry.changes.items() if name not in VOLATILE})
        for entry in entries.order_by("pk")
    ]


def actors_of(need: Need, since: int = 0) -> set[str]:
    entries = AuditEntry.objects.filter(object_type="needs.need", object_id=str(need.pk), pk__gt=since)
    return set(entries.values_list("actor_email", flat=True))


def last_entry() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def make_draft(people, ref: str) -> Need:
    fields = list(TechField.objects.filter(code__in=START_FIELDS))
    data = {**START, "ref": ref}
    return need_create(data=data, tech_fields=fields, owner_unit=people["author"].organisation, actor=people["author"])


def stored(status: str, *, ref: str = "N-OLD", owner: Organisation | None = None) -> Need:
    """A need in `status` as the pages would have left it (its history is not what these tests look at)."""
    need = Need.objects.create(ref=ref, owner_unit=owner or Organisation.objects.get(unit_code=UnitCode.GSDF),
                               status=status, **START)  # fmt: skip
    need.tech_fields.set(TechField.objects.filter(code__in=START_FIELDS))
    return need


def form_data(**values) -> dict:
    return {**START, "tech_fields": START_FIELDS, **values, "proposal_deadline_0": "", "proposal_deadline_1": ""}


# --- What the pages can do, an import does alike ---------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_new_need_by_import_is_the_draft_the_create_page_makes(people, run_import, entry):
    signed_in(people["author"]).post(reverse("needs:need_create"), {**form_data(), "action": "save"})
    by_page = Need.objects.get()
    assert run_import(entry, row(ref="IMP-1")) == []
    by_import = Need.objects.get(ref="IMP-1")
    assert state(by_import) == state(by_page)
    assert trail(by_import) == trail(by_page)
    assert actors_of(by_import) == {getattr(importer(people, entry), "email", "")}


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("field", list(CHANGES))
def test_each_edit_of_a_draft_by_import_is_the_edit_page_s(people, run_import, entry, field):
    by_page, by_import = make_draft(people, "N-PAGE"), make_draft(people, "IMP-1")
    since = last_entry()
    response = signed_in(people["author"]).post(
        reverse("needs:need_edit", args=[by_page.pk]), {**form_data(**{field: CHANGES[field]}), "action": "save"}
    )
    assert response.status_code == 302
    assert run_import(entry, row(ref="IMP-1", **{field: CHANGES[field]})) == []
    assert state(by_import) == state(by_page)
    assert state(by_import)[field] == CHANGES[field]
    assert trail(by_import, since) == trail(by_page, since) != []
    assert actors_of(by_import, since) == {getattr(importer(people, entry), "email", "")}


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("start", [NeedStatus.DRAFT, NeedStatus.SUBMITTED])
def test_publishing_by_import_makes_the_moves_the_pages_make(people, run_import, entry, start):
    """The author submits and a reviewer publishes; --publish does both, through the same state machine."""
    by_page, by_import = make_draft(people, "N-PAGE"), make_draft(people, "IMP-1")
    if start == NeedStatus.SUBMITTED:
        for need in (by_page, by_import):
            need_transition(need=need, to=NeedStatus.SUBMITTED, actor=people["author"])
    since = last_entry()
    author, reviewer = signed_in(people["author"]), signed_in(people["reviewer"])
    if start == NeedStatus.DRAFT:
        author.post(reverse("needs:need_transition", args=[by_page.pk]), {"to": NeedStatus.SUBMITTED})
    reviewer.post(reverse("needs:need_transition", args=[by_page.pk]), {"to": NeedStatus.PUBLISHED})
    assert run_import(entry, row(ref="IMP-1"), publish=True) == []
    assert state(by_import) == state(by_page)
    assert state(by_import)["status"] == NeedStatus.PUBLISHED
    assert trail(by_import, since) == trail(by_page, since)
    # Publishing again changes nothing: the need is already published.
    since = last_entry()
    assert run_import(entry, row(ref="IMP-1"), publish=True) == []
    assert trail(by_import, since) == []


# --- What the pages refuse, an import refuses ------------------------------------------------------------


def assert_refused(run_import, entry, need: Need, bad_row: dict, publish: bool = False) -> None:
    """The bad row is reported, and nothing of the list is written: not the need, nor a new need beside it."""
    before, since = state(need), last_entry()
    errors = run_import(entry, bad_row, row(ref="IMP-NEW"), publish=publish)
    assert errors, "the import accepted a change the pages refuse"
    assert state(need) == before
    assert AuditEntry.objects.filter(pk__gt=since, object_type="needs.need").count() == 0
    assert not Need.objects.filter(ref="IMP-NEW").exists()


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize(
    "status", [NeedStatus.SUBMITTED, NeedStatus.PUBLISHED, NeedStatus.CLOSED, NeedStatus.WITHDRAWN]
)
def test_a_need_past_its_draft_is_changed_neither_on_its_page_nor_by_import(people, run_import, entry, status):
    need = stored(status)
    author = signed_in(people["author"])
    for field, value in CHANGES.items():
        page = author.post(
            reverse("needs:need_edit", args=[need.pk]), {**form_data(**{field: value}), "action": "save"}
        )
        assert page.status_code == 403
        assert_refused(run_import, entry, need, row(ref=need.ref, **{field: value}))
    # The same list unchanged is no change at all.
    assert run_import(entry, row(ref=need.ref)) == []


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("status", [NeedStatus.DRAFT, NeedStatus.PUBLISHED, NeedStatus.CLOSED])
def test_no_need_moves_to_another_unit(people, run_import, entry, status):
    assert "owner_unit" not in NeedForm().fields  # the pages have no way to move a need
    need = stored(status)
    assert_refused(run_import, entry, need, row(ref=need.ref, owner_unit=UnitCode.MSDF))


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("status", [NeedStatus.CLOSED, NeedStatus.WITHDRAWN])
def test_a_closed_or_withdrawn_need_is_never_published_again(people, run_import, entry, status):
    need = stored(status)
    reviewer = signed_in(people["reviewer"])
    reviewer.post(reverse("needs:need_transition", args=[need.pk]), {"to": NeedStatus.PUBLISHED})
    assert state(need)["status"] == status  # the page refuses
    assert_refused(run_import, entry, need, row(ref=need.ref), publish=True)


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_need_past_its_deadline_is_not_published_by_import_either(people, run_import, entry):
    need = stored(NeedStatus.SUBMITTED)
    Need.objects.filter(pk=need.pk).update(proposal_deadline=timezone.now() - timedelta(days=1))
    signed_in(people["reviewer"]).post(reverse("needs:need_transition", args=[need.pk]), {"to": NeedStatus.PUBLISHED})
    assert state(need)["status"] == NeedStatus.SUBMITTED  # the page refuses
    assert_refused(run_import, entry, need, row(ref=need.ref), publish=True)


def test_an_import_that_publishes_tells_the_unit_and_asks_no_reviewer_to_review(
    people, run_import, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import("command", row(ref="IMP-1"), row(ref="IMP-2"), publish=True) == []
    assert sorted(message.to[0] for message in mail.outbox) == [people["author"].email] * 2


@pytest.mark.parametrize("entry", ENTRIES)
def test_an_import_asks_for_one_recompute_not_a_scoring_task_per_need_and_step(people, run_import, entry):
    """Each need of a list is created, submitted and published through the services, and each step used to
    enqueue its own scoring task (200 needs: 35 s instead of 8 s); the list asks for one full recompute."""
    from accounts.models import OutboxTask
    from config.celery import app

    app.conf.task_always_eager = False  # tasks are written to the outbox; on_commit never runs in this test
    try:
        assert run_import(entry, *(row(ref=f"IMP-{n}") for n in range(3)), publish=True) == []
    finally:
        app.conf.task_always_eager = True
    scoring = [task for task in OutboxTask.objects.values_list("task", flat=True) if task.startswith("matchmaking.")]
    assert scoring == ["matchmaking.recompute_all"]
    assert Need.objects.filter(ref__startswith="IMP-", status=NeedStatus.PUBLISHED).count() == 3


def test_a_list_applied_through_the_api_stays_in_the_imports_history_like_one_from_the_page(people):
    from seeds.enums import ImportStatus

    api = APIClient()
    api.force_authenticate(people["reviewer"])
    upload = SimpleUploadedFile("needs.csv", csv_bytes(row(ref="API-1")))
    answer = api.post("/api/v1/needs/import/", {"file": upload, "publish": False}, format="multipart")
    assert answer.status_code == 200
    kept = NeedImport.objects.get()
    assert (kept.filename, kept.status, kept.uploaded_by) == ("needs.csv", ImportStatus.APPLIED, people["reviewer"])
    assert kept.summary["created"] == answer.json()["created"]
    dry = api.post("/api/v1/needs/import/", {"file": SimpleUploadedFile("needs.csv", csv_bytes(row(ref="API-2"))),
                   "dry_run": True}, format="multipart")  # fmt: skip
    assert dry.status_code == 200 and NeedImport.objects.count() == 1  # a dry run keeps nothing
