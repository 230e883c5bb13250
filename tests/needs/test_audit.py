"""The audit trail (issue 8): an entry for each kind of change to startups, needs, proposals, evaluations and
consultations, for exports, and for reads of government-only needs and of proposals; the admin pages that list
and export it, and who may open them."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import audit
from accounts.enums import RoleCode
from accounts.models import AuditEntry
from needs.enums import Criterion, NeedStatus, ProposalStatus, Visibility
from needs.services import consultations
from needs.services.needs import need_create, need_transition, need_update
from needs.services.proposals import (
    evaluation_declare_conflict,
    evaluation_save,
    proposal_attach,
    proposal_create,
    proposal_transition,
    proposal_update,
)
from seeds import services as seeds
from tests.factories import StartupFactory, UserFactory, make_corporate_number
from tests.helpers import close_response
from tests.needs.test_proposal_pages import pdf


def entries(**filters) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(**filters)
        .order_by("pk")
        .values_list("actor_email", "action", "object_type", "object_id", "changes")
    )


# --- Startups -------------------------------------------------------------------------------------------------


def test_startup_create_update_note_and_merge_are_recorded_with_their_changes(user_with_role):
    curator = user_with_role(RoleCode.CURATOR)
    startup = seeds.startup_create(
        data={"corporate_number": make_corporate_number(71), "name": "監査技研", "trl": 4}, actor=curator
    )
    seeds.startup_update(startup=startup, data={"trl": 6, "name": "監査技研"}, actor=curator, as_curator=True)
    seeds.startup_note_add(startup=startup, body="面談済み", actor=curator)
    other = StartupFactory(name="重複登録", description="説明あり")
    seeds.startup_merge(survivor=startup, merged=other, actor=curator)

    rows = entries(object_type="seeds.startup")
    created, updated = rows[0], rows[1]
    assert created[:4] == (curator.email, "create", "seeds.startup", str(startup.pk))
    assert created[4]["name"] == [None, "監査技研"]
    assert updated[1] == "update" and updated[4] == {"trl": [4, 6]}
    deleted = AuditEntry.objects.get(action="delete", object_id=str(other.pk))
    assert deleted.changes["name"] == "重複登録" and "merged into" in deleted.note
    merged = AuditEntry.objects.filter(action="update", object_id=str(startup.pk)).order_by("pk").last()
    assert merged.changes["description"] == ["", "説明あり"]
    assert AuditEntry.objects.filter(action="create", object_type="seeds.curatornote").count() >= 1


def test_an_edit_that_changes_nothing_leaves_no_update_entry(user_with_role):
    curator = user_with_role(RoleCode.CURATOR)
    startup = StartupFactory(trl=5)
    seeds.startup_update(startup=startup, data={"trl": 5}, actor=curator, as_curator=True)
    assert entries(action="update") == []


def test_an_import_records_each_created_and_updated_startup(user_with_role):
    curator = user_with_role(RoleCode.CURATOR)
    existing = StartupFactory(trl=3)
    header = "corporate_number,name,name_en,description,technologies,tech_fields,trl,designations,prefecture,"
    header += "founded_year,employees,website"
    content = "\n".join(
        [
            header,
            f"{make_corporate_number(81)},新規技研,,,,,5,,,,,",
            f"{existing.corporate_number},{existing.name},,,,,8,,,,,",
        ]
    ).encode()
    report = seeds.startup_import_file(content=content, filename="list.csv", actor=curator, dry_run=False)
    assert report.applied
    created = AuditEntry.objects.get(action="create", object_type="seeds.startup")
    updated = AuditEntry.objects.get(action="update", object_id=str(existing.pk))
    assert created.note == updated.note == "import: list.csv"
    assert updated.changes["trl"] == [3, 8]
    assert updated.actor_email == curator.email


# --- Needs ----------------------------------------------------------------------------------------------------


def test_need_create_update_and_every_transition_are_recorded(unit, user_with_role):
    author = UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR])
    reviewer = user_with_role(RoleCode.NEED_REVIEWER)
    data = {"title": "監査対象ニーズ", "description": "説明", "pathway": "early_equipment", "visibility": "public"}
    need = need_create(data=data, tech_fields=[], owner_unit=unit, actor=author)
    need_update(need=need, data={"title": "監査対象ニーズ（改）"}, actor=author)
    need_transition(need=need, to=NeedStatus.SUBMITTED, actor=author)
    need_transition(need=need, to=NeedStatus.DRAFT, actor=reviewer, comment="予算を明記")
    need_transition(need=need, to=NeedStatus.SUBMITTED, actor=author)
    need_transition(need=need, to=NeedStatus.PUBLISHED, actor=reviewer)
    need_transition(need=need, to=NeedStatus.CLOSED, actor=reviewer)

    rows = entries(object_type="needs.need")
    assert [row[1] for row in rows] == ["create", "update", *["transition"] * 5]
    assert rows[1][4] == {"title": ["監査対象ニーズ", "監査対象ニーズ（改）"]}
    moves = [tuple(row[4]["status"]) for row in rows[2:]]
    assert moves == [("draft", "submitted"), ("submitted", "draft"), ("draft", "submitted"),
                     ("submitted", "published"), ("published", "closed")]  # fmt: skip
    assert AuditEntry.objects.get(changes__status=["submitted", "draft"]).note == "予算を明記"
    assert rows[3][0] == reviewer.email


# --- Proposals and evaluations --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_proposal_create_update_attach_and_transitions_are_recorded(world):
    owner, need = world["owner"], world["need3"]
    proposal = proposal_create(need=need, startup=world["startup_a"], data={"title": "T", "summary": "S"}, actor=owner)
    proposal_update(proposal=proposal, data={"title": "T2"}, actor=owner)
    proposal_attach(proposal=proposal, uploaded=pdf(), actor=owner)
    proposal_transition(proposal=proposal, to=ProposalStatus.SUBMITTED, actor=owner)
    proposal_transition(proposal=proposal, to=ProposalStatus.UNDER_REVIEW, actor=world["author"])

    rows = entries(object_type="needs.proposal", object_id=str(proposal.pk))
    assert [row[1] for row in rows] == ["create", "update", "transition", "transition"]
    assert rows[1][4] == {"title": ["T", "T2"]}
    assert rows[3][0] == world["author"].email and rows[3][4] == {"status": ["submitted", "under_review"]}
    assert entries(object_type="needs.proposalattachment", action="create")


def test_evaluations_are_recorded_when_given_revised_and_on_a_conflict(world):
    proposal = world["proposal_a"]
    proposal_transition(proposal=proposal, to=ProposalStatus.UNDER_REVIEW, actor=world["author"])
    proposal.refresh_from_db()
    evaluator = world["evaluator"]
    evaluation_save(proposal=proposal, evaluator=evaluator, scores=dict.fromkeys(Criterion.values, 3))
    evaluation_save(proposal=proposal, evaluator=evaluator, scores=dict.fromkeys(Criterion.values, 4))
    evaluation_declare_conflict(proposal=proposal, evaluator=world["evaluator2"], note="元同僚")

    rows = entries(object_type="needs.evaluation")
    assert [row[1] for row in rows] == ["create", "update", "update"]
    first = Criterion.values[0]
    assert rows[1][4]["scores"][0][first] == 3 and rows[1][4]["scores"][1][first] == 4
    assert rows[2][0] == world["evaluator2"].email and rows[2][4] == {"conflict_of_interest": [False, True]}


def test_a_consultation_is_recorded_when_sent_and_when_answered(user_with_role):
    curator = user_with_role(RoleCode.CURATOR)
    data = {
        "company_name": "相談技研",
        "company_summary": "概要",
        "inquiry": "参入したい",
        "technology": "センサー",
        "defense_record": "なし",
        "contact_name": "担当",
        "contact_email": "contact@consult.example.jp",
    }
    consultation = consultations.consultation_submit(data=data, language="ja")
    consultations.consultation_answer(consultation=consultation, answer="ご連絡します", actor=curator)
    rows = entries(object_type="needs.consultationrequest")
    assert [(row[0], row[1]) for row in rows] == [("", "create"), (curator.email, "transition")]
    assert rows[1][4] == {"status": ["new", "answered"]}


# --- Exports --------------------------------------------------------------------------------------------------


def test_the_registry_export_and_export_matches_are_recorded(client, user_with_role, tmp_path):
    curator = user_with_role(RoleCode.CURATOR)
    StartupFactory.create_batch(2)
    client.force_login(curator)
    response = client.get(reverse("seeds:startup_export"), {"format": "csv", "sort": "name"})
    assert response.status_code == 200
    export = AuditEntry.objects.get(action="export", object_type="seeds.startup")
    assert export.actor_email == curator.email and "csv, 2 startups" in export.note and "'sort': 'name'" in export.note
    call_command("export_matches", str(tmp_path / "m.csv"), stdout=io.StringIO())
    assert AuditEntry.objects.filter(action="export", object_type="matchmaking.matchscore").exists()


# --- Reads ----------------------------------------------------------------------------------------------------


def test_reading_a_government_only_need_is_recorded_and_a_public_one_is_not(client, make_need, user_with_role):
    secret = make_need(visibility=Visibility.GOVERNMENT)
    public = make_need(visibility=Visibility.PUBLIC)
    reader = user_with_role(RoleCode.CURATOR)
    client.force_login(reader)
    assert client.get(reverse("needs:need_detail", args=[secret.pk])).status_code == 200
    assert client.get(reverse("needs:need_detail", args=[public.pk])).status_code == 200
    assert client.get(f"/api/v1/needs/{secret.pk}/").status_code == 200
    assert client.get(f"/api/v1/needs/{public.pk}/").status_code == 200
    reads = AuditEntry.objects.filter(action="read")
    assert sorted((r.object_id, r.note) for r in reads) == [(str(secret.pk), "api"), (str(secret.pk), "page")]
    assert {r.actor_email for r in reads} == {reader.email}


def test_a_refused_reader_of_a_government_need_leaves_no_read_entry(client, make_need, user_with_role):
    secret = make_need(visibility=Visibility.GOVERNMENT)
    client.force_login(user_with_role(RoleCode.STARTUP_MEMBER))
    assert client.get(reverse("needs:need_detail", args=[secret.pk])).status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="read").exists()


def test_reading_a_proposal_by_page_api_or_attachment_is_recorded_with_request_id_and_address(world):
    proposal, author = world["proposal_a"], world["author"]
    client = Client(REMOTE_ADDR="192.0.2.7")
    client.force_login(author)
    page = client.get(reverse("needs:proposal_detail", args=[proposal.pk]), HTTP_X_REQUEST_ID="req-00000001")
    assert page.status_code == 200
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 200
    response = client.get(reverse("needs:proposal_attachment", args=[world["attachment"].pk]))
    assert response.status_code == 200
    close_response(response)
    reads = list(AuditEntry.objects.filter(action="read", object_type="needs.proposal").order_by("pk"))
    assert [r.note for r in reads] == ["page", "api", f"attachment {world['attachment'].original_name}"]
    assert reads[0].request_id == "req-00000001" and reads[0].ip_address == "192.0.2.7"
    assert {r.actor_email for r in reads} == {author.email}


def test_entries_outlive_the_user_and_the_record_they_describe(user_with_role):
    curator = user_with_role(RoleCode.CURATOR)
    startup = seeds.startup_create(
        data={"corporate_number": make_corporate_number(91), "name": "消える社"}, actor=curator
    )
    startup.delete()
    curator.delete()
    entry = AuditEntry.objects.get(action="create")
    assert (entry.actor_email, entry.object_repr) == (curator.email, "消える社")


# --- The admin pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [(RoleCode.PORTAL_ADMIN, 200), (RoleCode.CURATOR, 403), (RoleCode.NEED_AUTHOR, 403),
     (RoleCode.NEED_REVIEWER, 403), (RoleCode.STARTUP_MEMBER, 403), (None, 302)],
)  # fmt: skip
def test_only_portal_admins_open_the_audit_pages(client_for, role, status):
    client = client_for(role)
    assert client.get(reverse("accounts:audit_list")).status_code == status
    assert client.get(reverse("accounts:audit_export")).status_code == status
    home = client.get(reverse("home")).content.decode()
    assert (reverse("accounts:audit_list") in home) == (status == 200)


def _some_entries(count: int, actor) -> None:
    for n in range(count):
        audit.record(actor, audit.Action.UPDATE, actor, {"full_name": [f"old{n}", f"new{n}"]}, note=f"n{n}")


def test_the_list_filters_by_actor_action_type_date_and_search(client_for, user_with_role):
    client = client_for(RoleCode.PORTAL_ADMIN)
    curator = user_with_role(RoleCode.CURATOR)
    _some_entries(3, curator)
    audit.record(None, audit.Action.EXPORT, AuditEntry, note="nightly")
    url = reverse("accounts:audit_list")

    def shown(**query) -> list[str]:
        return [entry.note for entry in client.get(url, query).context["page"].object_list]

    assert shown(actor=curator.email) == ["n2", "n1", "n0"]
    assert shown(action="export") == ["nightly"]
    assert shown(object_type="accounts.user") == ["n2", "n1", "n0"]
    assert shown(q="n1") == ["n1"]
    assert shown(date_from="2000-01-01", date_to="2000-01-02") == []
    assert len(shown()) == 4


def test_the_list_pages_and_its_queries_do_not_grow_with_entries(client_for, user_with_role):
    client = client_for(RoleCode.PORTAL_ADMIN)
    curator = user_with_role(RoleCode.CURATOR)
    url = reverse("accounts:audit_list")
    _some_entries(2, curator)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _some_entries(120, curator)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.num_pages == 3


def test_the_csv_export_holds_the_filtered_entries_and_is_itself_recorded(client_for, user_with_role):
    client = client_for(RoleCode.PORTAL_ADMIN)
    curator = user_with_role(RoleCode.CURATOR)
    _some_entries(2, curator)
    response = client.get(reverse("accounts:audit_export"), {"actor": curator.email})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["time", "actor_id", "actor_email", "action"]
    assert [row[8] for row in rows[1:]] == ["n1", "n0"]
    assert '"full_name": ["old1", "new1"]' in rows[1][7]
    recorded = AuditEntry.objects.get(action="export", object_type="accounts.auditentry")
    assert "2 entries" in recorded.note and curator.email in recorded.note
