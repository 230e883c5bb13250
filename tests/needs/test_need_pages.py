"""The needs board pages: who may open each, what each viewer sees (DESIGN.md §3), authoring with attachments,
review, questions and answers, the need import page, and list query counts. Assertions are on status codes,
database state and URLs, not on wording (the catalogues are filled later)."""

import datetime
import io
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from needs.enums import NeedStatus, Pathway, Visibility
from needs.models import Need, NeedAttachment, NeedImport, NeedQuestion, NeedTransition
from seeds.enums import ImportStatus
from seeds.models import TechField
from tests.factories import UserFactory
from tests.helpers import close_response

ROLES = list(RoleCode)
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def pdf_upload(name: str = "概要.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- Viewers --------------------------------------------------------------------------------------------

VIEWERS = ["anonymous", "startup", "other_unit_author", "owning_author", "reviewer", "curator", "admin"]
GOVERNMENT = {"other_unit_author", "owning_author", "reviewer", "curator"}
SEES_PUBLISHED = {
    Visibility.PUBLIC: set(VIEWERS),
    Visibility.REGISTERED: set(VIEWERS) - {"anonymous"},
    Visibility.GOVERNMENT: GOVERNMENT,
}
SEES_DRAFT = {"owning_author", "reviewer"}


@pytest.fixture
def viewers(unit, other_unit):
    meti = Organisation.objects.create(name="経済産業省", kind=OrganisationKind.METI)
    admin_org = Organisation.objects.create(name="運営", kind=OrganisationKind.ADMIN)
    bureau = Organisation.objects.get_or_create(
        unit_code=UnitCode.INTERNAL_BUREAU, defaults={"name": "内部部局", "kind": OrganisationKind.MOD_UNIT}
    )[0]
    return {
        "anonymous": AnonymousUser(),
        "startup": UserFactory(roles=[RoleCode.STARTUP_MEMBER]),
        "other_unit_author": UserFactory(organisation=other_unit, roles=[RoleCode.NEED_AUTHOR]),
        "owning_author": UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR]),
        "reviewer": UserFactory(organisation=bureau, roles=[RoleCode.NEED_REVIEWER], full_name="審査 太郎"),
        "curator": UserFactory(organisation=meti, roles=[RoleCode.CURATOR]),
        "admin": UserFactory(organisation=admin_org, roles=[RoleCode.PORTAL_ADMIN]),
    }


def client_as(user) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


def attach(need: Need, name: str = "仕様.pdf") -> NeedAttachment:
    return NeedAttachment.objects.create(
        need=need,
        file=SimpleUploadedFile(name, PDF_BYTES),
        original_name=name,
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )


def download(client, attachment: NeedAttachment):
    response = client.get(reverse("needs:need_attachment", args=[attachment.pk]))
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    close_response(response)
    return response, body


def retitle(need: Need, title: str) -> Need:
    need.title = title
    need.search_text = need.build_search_text()
    need.save()
    return need


def listed_pks(response) -> set[int]:
    return {need.pk for need in response.context["page"].object_list}


# --- Who may open each page -----------------------------------------------------------------------------

RESTRICTED = [
    ("needs:need_create", {RoleCode.NEED_AUTHOR}),
    ("needs:review_queue", {RoleCode.NEED_REVIEWER}),
    ("needs:need_import", {RoleCode.NEED_REVIEWER}),
]


@pytest.mark.parametrize(("url_name", "allowed"), RESTRICTED)
@pytest.mark.parametrize("role", [*ROLES, None])
def test_restricted_need_pages_allow_their_roles_only(client_for, role, url_name, allowed):
    url = reverse(url_name)
    response = client_for(role).get(url)
    if role is None:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
    else:
        assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("role", [*ROLES, None])
def test_the_needs_board_is_open_to_everyone(client_for, role):
    assert client_for(role).get(reverse("needs:need_list")).status_code == 200


@pytest.mark.parametrize("role", [*ROLES, None])
def test_editing_a_draft_is_for_the_owning_units_author(client_for, make_need, role):
    need = make_need(status=NeedStatus.DRAFT)
    url = reverse("needs:need_edit", args=[need.pk])
    response = client_for(role).get(url)
    expected = {
        None: 302,
        RoleCode.NEED_AUTHOR: 200,  # the test author belongs to the owning unit (GSDF)
        RoleCode.NEED_REVIEWER: 403,  # sees the draft, may not edit it
    }.get(role, 404)  # everyone else may not even see that the draft exists
    assert response.status_code == expected


def test_a_need_is_edited_only_while_it_is_a_draft(client_for, make_need):
    need = make_need(status=NeedStatus.SUBMITTED)
    assert client_for(RoleCode.NEED_AUTHOR).get(reverse("needs:need_edit", args=[need.pk])).status_code == 403


def test_an_author_outside_a_unit_cannot_post_a_need(client, db):
    meti = Organisation.objects.create(name="経済産業省", kind=OrganisationKind.METI)
    client.force_login(UserFactory(organisation=meti, roles=[RoleCode.NEED_AUTHOR]))
    assert client.get(reverse("needs:need_create")).status_code == 403


def test_a_need_that_does_not_exist_is_404(client, db):
    assert client.get(reverse("needs:need_detail", args=[999_999])).status_code == 404


# --- Each visibility level × each viewer: list, detail, search, attachment --------------------------------


@pytest.mark.parametrize("visibility", Visibility.values)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_published_need_is_shown_exactly_to_its_visibility_level(viewers, make_need, visibility, viewer):
    need = retitle(make_need(visibility=visibility), "沿岸監視用の小型レーダー")
    attachment = attach(need)
    client = client_as(viewers[viewer])
    allowed = viewer in SEES_PUBLISHED[visibility]

    assert (need.pk in listed_pks(client.get(reverse("needs:need_list")))) is allowed
    search = client.get(reverse("needs:need_list"), {"q": "レーダー"})
    assert (need.pk in listed_pks(search)) is allowed
    assert (need.pk in listed_pks(client.get(reverse("needs:need_list"), {"q": need.ref}))) is allowed
    assert client.get(reverse("needs:need_detail", args=[need.pk])).status_code == (200 if allowed else 404)
    response, body = download(client, attachment)
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert body == PDF_BYTES


@pytest.mark.parametrize("status", [NeedStatus.DRAFT, NeedStatus.SUBMITTED, NeedStatus.WITHDRAWN])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_unpublished_need_is_shown_only_to_its_unit_and_reviewers(viewers, make_need, status, viewer):
    need = retitle(make_need(status=status, visibility=Visibility.PUBLIC), "未公開のレーダー")
    attachment = attach(need)
    client = client_as(viewers[viewer])
    allowed = viewer in SEES_DRAFT

    assert (need.pk in listed_pks(client.get(reverse("needs:need_list"), {"q": "未公開"}))) is allowed
    assert client.get(reverse("needs:need_detail", args=[need.pk])).status_code == (200 if allowed else 404)
    assert download(client, attachment)[0].status_code == (200 if allowed else 404)


def test_attachment_download_keeps_name_and_type_and_forbids_sniffing(client, make_need):
    attachment = attach(make_need(), name="要求仕様書.pdf")
    response, body = download(client, attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E8%A6%81%E6%B1%82%E4%BB%95%E6%A7%98%E6%9B%B8.pdf" in response["Content-Disposition"]
    assert body == PDF_BYTES


def test_history_names_the_actors_to_government_users_only(viewers, make_need):
    need = make_need(status=NeedStatus.SUBMITTED)
    NeedTransition.objects.create(
        need=need, from_status=NeedStatus.SUBMITTED, to_status=NeedStatus.PUBLISHED, actor=viewers["reviewer"],
        comment="内部向けの講評",
    )  # fmt: skip
    Need.objects.filter(pk=need.pk).update(status=NeedStatus.PUBLISHED)
    url = reverse("needs:need_detail", args=[need.pk])
    for viewer in ("curator", "owning_author"):
        body = client_as(viewers[viewer]).get(url).content.decode()
        assert "審査 太郎" in body and "内部向けの講評" in body
    for viewer in ("startup", "anonymous", "admin"):
        response = client_as(viewers[viewer]).get(url)
        body = response.content.decode()
        assert response.status_code == 200
        assert "審査 太郎" not in body and "内部向けの講評" not in body


def test_status_filter_offers_unpublished_statuses_only_to_units_and_reviewers(viewers):
    for viewer, all_statuses in [("startup", False), ("anonymous", False), ("owning_author", True), ("reviewer", True)]:
        form = client_as(viewers[viewer]).get(reverse("needs:need_list")).context["form"]
        offered = {value for value, _label in form.fields["status"].choices if value}
        expected = set(NeedStatus.values) if all_statuses else {NeedStatus.PUBLISHED, NeedStatus.CLOSED}
        assert offered == expected, viewer


def test_board_filters_by_field_unit_pathway_status_and_deadline(client, make_need, other_unit):
    ai = make_need(deadline_days=5)
    ai.tech_fields.set(TechField.objects.filter(code="ai"))
    other = make_need(owner=other_unit, deadline_days=60)
    Need.objects.filter(pk=other.pk).update(pathway=Pathway.INDUSTRY_DAY)
    closed = make_need(status=NeedStatus.CLOSED, deadline_days=None)
    url = reverse("needs:need_list")
    assert listed_pks(client.get(url, {"tech_field": "ai"})) == {ai.pk}
    assert listed_pks(client.get(url, {"unit": UnitCode.MSDF})) == {other.pk}
    assert listed_pks(client.get(url, {"pathway": Pathway.INDUSTRY_DAY})) == {other.pk}
    assert listed_pks(client.get(url, {"status": NeedStatus.CLOSED})) == {closed.pk}
    soon = timezone.localdate() + timedelta(days=10)
    assert listed_pks(client.get(url, {"deadline_before": soon.isoformat()})) == {ai.pk}
    assert listed_pks(client.get(url, {"deadline_after": soon.isoformat()})) == {other.pk}


def test_board_lists_25_needs_a_page(client, make_need):
    for _number in range(30):
        make_need()
    response = client.get(reverse("needs:need_list"))
    assert response.context["page"].paginator.count == 30
    assert len(response.context["page"].object_list) == 25
    assert len(client.get(reverse("needs:need_list"), {"page": 2}).context["page"].object_list) == 5


def test_board_runs_the_same_number_of_queries_for_2_and_50_needs(client_for, make_need, django_assert_num_queries):
    client = client_for(RoleCode.STARTUP_MEMBER)
    fields = list(TechField.objects.all()[:3])
    url = reverse("needs:need_list")

    def add(count):
        for _number in range(count):
            make_need().tech_fields.set(fields)

    add(2)
    client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    add(48)
    with django_assert_num_queries(len(two.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25


def test_review_queue_lists_submitted_needs_oldest_first(client_for, make_need):
    client = client_for(RoleCode.NEED_REVIEWER)
    first, second = make_need(status=NeedStatus.SUBMITTED), make_need(status=NeedStatus.SUBMITTED)
    now = timezone.now()
    NeedTransition.objects.create(need=second, from_status="draft", to_status=NeedStatus.SUBMITTED)
    NeedTransition.objects.create(need=first, from_status="draft", to_status=NeedStatus.SUBMITTED)
    NeedTransition.objects.filter(need=second).update(at=now - timedelta(days=2))
    NeedTransition.objects.filter(need=first).update(at=now - timedelta(days=1))
    published = make_need()
    response = client.get(reverse("needs:review_queue"))
    assert [need.pk for need in response.context["page"].object_list] == [second.pk, first.pk]
    published_tab = client.get(reverse("needs:review_queue"), {"tab": "published"})
    assert [need.pk for need in published_tab.context["page"].object_list] == [published.pk]


# --- Authoring, review and publication through the pages --------------------------------------------------


def need_form_data(**extra) -> dict:
    return {
        "title": "港湾警備用の水中ドローン",
        "description": "港湾内の不審な水中物体を早期に発見したい。",
        "desired_capabilities": "連続4時間の自律航行",
        "tech_fields": ["maritime", "unmanned"],
        "min_trl": "5",
        "pathway": Pathway.EARLY_EQUIPMENT,
        "visibility": Visibility.REGISTERED,
        "proposal_deadline_0": (timezone.localdate() + timedelta(days=40)).isoformat(),
        "proposal_deadline_1": "17:00",
        "action": "save",
        **extra,
    }


def test_draft_submit_and_publish_through_the_pages(viewers, unit):
    author = client_as(viewers["owning_author"])
    response = author.post(reverse("needs:need_create"), need_form_data(action="submit"))
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:need_detail", args=[need.pk])
    assert need.status == NeedStatus.SUBMITTED
    assert need.owner_unit == unit
    assert need.created_by == viewers["owning_author"]
    assert sorted(need.tech_fields.values_list("code", flat=True)) == ["maritime", "unmanned"]
    assert need.min_trl == 5

    reviewer = client_as(viewers["reviewer"])
    detail = reviewer.get(reverse("needs:need_detail", args=[need.pk]))
    assert [item["to"] for item in detail.context["transition_forms"]] == [
        NeedStatus.DRAFT,
        NeedStatus.PUBLISHED,
        NeedStatus.WITHDRAWN,
    ]
    response = reviewer.post(reverse("needs:need_transition", args=[need.pk]), {"to": NeedStatus.PUBLISHED})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED
    assert list(need.transitions.values_list("to_status", "actor")) == [
        (NeedStatus.DRAFT, viewers["owning_author"].pk),
        (NeedStatus.SUBMITTED, viewers["owning_author"].pk),
        (NeedStatus.PUBLISHED, viewers["reviewer"].pk),
    ]
    assert need.pk in listed_pks(client_as(viewers["startup"]).get(reverse("needs:need_list")))


def test_save_draft_then_edit_keeps_it_a_draft(viewers):
    author = client_as(viewers["owning_author"])
    author.post(reverse("needs:need_create"), need_form_data())
    need = Need.objects.get()
    assert need.status == NeedStatus.DRAFT
    response = author.post(reverse("needs:need_edit", args=[need.pk]), need_form_data(title="改題", tech_fields=["ai"]))
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title == "改題"
    assert need.status == NeedStatus.DRAFT
    assert list(need.tech_fields.values_list("code", flat=True)) == ["ai"]


def test_deadline_is_typed_in_japan_time(viewers):
    client_as(viewers["owning_author"]).post(
        reverse("needs:need_create"), need_form_data(proposal_deadline_0="2031-04-01", proposal_deadline_1="09:00")
    )
    assert Need.objects.get().proposal_deadline == datetime.datetime(2031, 4, 1, 0, 0, tzinfo=datetime.UTC)


def test_a_deadline_in_the_past_is_refused(viewers):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_as(viewers["owning_author"]).post(
        reverse("needs:need_create"), need_form_data(proposal_deadline_0=yesterday)
    )
    assert response.status_code == 200
    assert "proposal_deadline" in response.context["form"].errors
    assert not Need.objects.exists()


def test_return_to_draft_requires_a_comment(viewers, make_need):
    need = make_need(status=NeedStatus.SUBMITTED)
    reviewer = client_as(viewers["reviewer"])
    url = reverse("needs:need_transition", args=[need.pk])

    response = reviewer.post(url, {"to": NeedStatus.DRAFT, "comment": "  "}, follow=True)
    need.refresh_from_db()
    assert need.status == NeedStatus.SUBMITTED
    assert response.redirect_chain[-1][0] == reverse("needs:need_detail", args=[need.pk])
    assert [m.level_tag for m in response.context["messages"]] == ["error"]

    reviewer.post(url, {"to": NeedStatus.DRAFT, "comment": "予算規模を明記してください。"})
    need.refresh_from_db()
    assert need.status == NeedStatus.DRAFT
    assert need.transitions.last().comment == "予算規模を明記してください。"


@pytest.mark.parametrize("viewer", ["startup", "curator", "admin", "other_unit_author", "owning_author"])
def test_only_reviewers_publish_or_close(viewers, make_need, viewer):
    submitted, published = make_need(status=NeedStatus.SUBMITTED), make_need()
    client = client_as(viewers[viewer])
    response = client.post(reverse("needs:need_transition", args=[published.pk]), {"to": NeedStatus.CLOSED})
    assert response.status_code == 403
    response = client.post(reverse("needs:need_transition", args=[submitted.pk]), {"to": NeedStatus.PUBLISHED})
    assert response.status_code == (403 if viewer in SEES_DRAFT else 404)
    assert Need.objects.get(pk=published.pk).status == NeedStatus.PUBLISHED
    assert Need.objects.get(pk=submitted.pk).status == NeedStatus.SUBMITTED


def test_a_transition_by_an_anonymous_visitor_goes_to_sign_in(client, make_need):
    need = make_need()
    response = client.post(reverse("needs:need_transition", args=[need.pk]), {"to": NeedStatus.CLOSED})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Need.objects.get(pk=need.pk).status == NeedStatus.PUBLISHED


# --- Attachments on the form ----------------------------------------------------------------------------


def test_attachments_are_saved_with_the_need_and_downloadable(viewers):
    author = client_as(viewers["owning_author"])
    docx = SimpleUploadedFile("構成.docx", docx_bytes())
    author.post(reverse("needs:need_create"), {**need_form_data(), "attachments": [pdf_upload(), docx]})
    need = Need.objects.get()
    kinds = dict(need.attachments.values_list("original_name", "content_type"))
    assert kinds == {
        "概要.pdf": "application/pdf",
        "構成.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    for attachment in need.attachments.all():
        assert not attachment.file.name.endswith((".pdf", ".docx"))  # stored under a random name
        assert download(author, attachment)[0].status_code == 200


def test_an_attachment_whose_content_is_not_its_claimed_type_refuses_the_whole_form(viewers):
    fake = SimpleUploadedFile("仕様.pdf", docx_bytes(), content_type="application/pdf")
    response = client_as(viewers["owning_author"]).post(
        reverse("needs:need_create"), {**need_form_data(), "attachments": [pdf_upload(), fake]}
    )
    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert not Need.objects.exists()
    assert not NeedAttachment.objects.exists()


def test_a_file_that_is_no_document_at_all_is_refused(viewers):
    script = SimpleUploadedFile("readme.pdf", b"#!/bin/sh\necho hi\n")
    response = client_as(viewers["owning_author"]).post(
        reverse("needs:need_create"), {**need_form_data(), "attachments": [script]}
    )
    assert "attachments" in response.context["form"].errors
    assert not Need.objects.exists()


def test_an_attachment_over_the_limit_is_refused_and_nothing_saved(viewers, make_need, monkeypatch):
    monkeypatch.setattr("needs.attachments.MAX_ATTACHMENT_BYTES", 50)
    need = retitle(make_need(status=NeedStatus.DRAFT), "元の題")
    response = client_as(viewers["owning_author"]).post(
        reverse("needs:need_edit", args=[need.pk]),
        {**need_form_data(title="変えた題"), "attachments": [pdf_upload(content=PDF_BYTES + b"0" * 100)]},
    )
    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    need.refresh_from_db()
    assert need.title == "元の題"
    assert not NeedAttachment.objects.exists()


def test_an_attachment_can_be_removed_from_a_draft(viewers, make_need):
    need = make_need(status=NeedStatus.DRAFT)
    kept, removed = attach(need, "残す.pdf"), attach(need, "消す.pdf")
    client_as(viewers["owning_author"]).post(
        reverse("needs:need_edit", args=[need.pk]), {**need_form_data(), "remove_attachments": [removed.pk]}
    )
    assert list(need.attachments.all()) == [kept]


# --- Questions and answers ------------------------------------------------------------------------------


def test_a_startup_asks_the_unit_answers_and_others_see_the_answer_without_the_asker(viewers, make_need):
    need = make_need(visibility=Visibility.REGISTERED)
    asker = UserFactory(roles=[RoleCode.STARTUP_MEMBER], full_name="質問 花子")
    detail = reverse("needs:need_detail", args=[need.pk])

    response = client_as(asker).post(reverse("needs:question_ask", args=[need.pk]), {"question": "試験場所は？"})
    assert response.status_code == 302
    question = NeedQuestion.objects.get()
    assert (question.need, question.asked_by) == (need, asker)

    other_startup = client_as(viewers["startup"])
    assert "試験場所は？" not in other_startup.get(detail).content.decode()  # unanswered: the unit only
    unit = client_as(viewers["owning_author"])
    assert "試験場所は？" in unit.get(detail).content.decode()

    response = unit.post(reverse("needs:question_answer", args=[question.pk]), {"answer": "富士演習場です。"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "富士演習場です。"

    body = other_startup.get(detail).content.decode()
    assert "試験場所は？" in body and "富士演習場です。" in body
    assert "質問 花子" not in body and asker.email not in body and asker.organisation.name not in body
    assert "質問 花子" not in unit.get(detail).content.decode()


def test_only_the_owning_unit_answers(viewers, make_need):
    need = make_need()
    question = NeedQuestion.objects.create(need=need, question="予算は？", asked_by=viewers["startup"])
    url = reverse("needs:question_answer", args=[question.pk])
    for viewer in ("startup", "other_unit_author", "curator", "reviewer"):
        assert client_as(viewers[viewer]).post(url, {"answer": "秘密"}).status_code == 403, viewer
    assert client_as(AnonymousUser()).post(url, {"answer": "秘密"}).status_code == 302
    question.refresh_from_db()
    assert question.answer == ""


@pytest.mark.parametrize("viewer", ["curator", "owning_author", "admin"])
def test_only_startups_ask_questions(viewers, make_need, viewer):
    need = make_need()
    response = client_as(viewers[viewer]).post(reverse("needs:question_ask", args=[need.pk]), {"question": "？"})
    assert response.status_code == 403
    assert not NeedQuestion.objects.exists()


def test_no_questions_once_the_need_is_closed(viewers, make_need):
    need = make_need(status=NeedStatus.CLOSED)
    client = client_as(viewers["startup"])
    assert client.get(reverse("needs:need_detail", args=[need.pk])).context["question_form"] is None
    client.post(reverse("needs:question_ask", args=[need.pk]), {"question": "まだ間に合いますか？"})
    assert not NeedQuestion.objects.exists()


def test_a_startup_cannot_ask_about_a_need_it_may_not_see(viewers, make_need):
    need = make_need(visibility=Visibility.GOVERNMENT)
    response = client_as(viewers["startup"]).post(reverse("needs:question_ask", args=[need.pk]), {"question": "？"})
    assert response.status_code == 404
    assert not NeedQuestion.objects.exists()


def test_the_propose_button_is_for_startups_while_the_need_is_open(viewers, make_need):
    open_need, closed = make_need(), make_need(status=NeedStatus.CLOSED)
    startup = client_as(viewers["startup"])
    propose_url = startup.get(reverse("needs:need_detail", args=[open_need.pk])).context["propose_url"]
    assert propose_url in (None, f"/needs/{open_need.pk}/propose/")  # None until the proposal pages exist
    assert startup.get(reverse("needs:need_detail", args=[closed.pk])).context["propose_url"] is None
    curator = client_as(viewers["curator"])
    assert curator.get(reverse("needs:need_detail", args=[open_need.pk])).context["propose_url"] is None


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_funnel_is_shown_to_government_viewers_only(viewers, make_need, viewer):
    need = make_need()
    funnel = client_as(viewers[viewer]).get(reverse("needs:need_detail", args=[need.pk])).context["funnel"]
    assert (funnel is not None) is (viewer in GOVERNMENT)


# --- Need import page -----------------------------------------------------------------------------------

HEADER = "ref,title,description,desired_capabilities,tech_fields,min_trl,owner_unit,pathway,visibility\n"


def csv_upload(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("needs.csv", (HEADER + "".join(rows)).encode(), content_type="text/csv")


def test_import_preview_writes_nothing_then_confirm_publishes(client_for, db):
    client = client_for(RoleCode.NEED_REVIEWER)
    upload = csv_upload(
        "IMP-1,対ドローン探知,小型無人機を探知したい,半径5km,sensing;ai,4,gsdf,early_equipment,public\n",
        "IMP-2,衛星通信,離島との通信,,comms,,atla,tech_proposal,government\n",
    )
    response = client.post(reverse("needs:need_import"), {"file": upload, "publish": "on"})
    pending = NeedImport.objects.get()
    assert response["Location"] == reverse("needs:need_import_preview", args=[pending.pk])
    assert pending.publish is True
    assert not Need.objects.exists()

    preview = client.get(response["Location"])
    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result["created"], result["published"], result["ok"]) == (2, 2, True)

    client.post(reverse("needs:need_import_confirm", args=[pending.pk]))
    assert set(Need.objects.values_list("ref", "status")) == {
        ("IMP-1", NeedStatus.PUBLISHED),
        ("IMP-2", NeedStatus.PUBLISHED),
    }
    pending.refresh_from_db()
    assert pending.status == ImportStatus.APPLIED
    # A list is applied once.
    client.post(reverse("needs:need_import_confirm", args=[pending.pk]))
    assert Need.objects.count() == 2


def test_import_preview_shows_each_bad_row_and_confirm_writes_nothing(client_for, db):
    client = client_for(RoleCode.NEED_REVIEWER)
    upload = csv_upload(
        "IMP-1,対ドローン探知,小型無人機を探知したい,,sensing,4,gsdf,early_equipment,public\n",
        "IMP-2,宇宙,衛星,,nonsense,12,navy,early_equipment,public\n",
    )
    response = client.post(reverse("needs:need_import"), {"file": upload})
    preview = client.get(response["Location"])
    result = preview.context["result"]
    assert result["ok"] is False
    assert {(error["line"], error["column"]) for error in result["errors"]} >= {
        (3, "tech_fields"),
        (3, "min_trl"),
        (3, "owner_unit"),
    }
    client.post(reverse("needs:need_import_confirm", args=[NeedImport.objects.get().pk]))
    assert not Need.objects.exists()


def test_import_refuses_a_file_that_is_not_csv_or_xlsx(client_for, db):
    client = client_for(RoleCode.NEED_REVIEWER)
    response = client.post(reverse("needs:need_import"), {"file": SimpleUploadedFile("needs.pdf", PDF_BYTES)})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not NeedImport.objects.exists()


@pytest.mark.parametrize("role", [RoleCode.NEED_AUTHOR, RoleCode.CURATOR, RoleCode.STARTUP_MEMBER])
def test_import_is_refused_to_other_roles(client_for, role):
    response = client_for(role).post(reverse("needs:need_import"), {"file": csv_upload()})
    assert response.status_code == 403
    assert not NeedImport.objects.exists()
