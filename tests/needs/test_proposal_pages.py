"""The proposal, evaluation and results pages: who may open what (DESIGN.md §3), that a startup never sees
another startup's proposal, uploads checked by content before anything is saved, deadlines, evaluation and
ranking, bulk moves, published results, and constant query counts on the lists.

Assertions are on language-independent facts (status codes, URLs, context values, database state).
"""

import io
import zipfile
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from needs.enums import Criterion, NeedStatus, ProposalStatus, Visibility
from needs.models import Evaluation, Proposal, ProposalAttachment
from needs.services.proposals import proposal_attach, proposal_create, proposal_transition
from seeds.models import Designation
from tests.factories import OrganisationFactory, StartupFactory, UserFactory
from tests.helpers import close_response

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ALL_SCORES = Criterion.values


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def pdf(name: str = "提案書.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def world(unit, other_unit, make_need, django_capture_on_commit_callbacks):
    """Two claimed startups with a submitted proposal each to one public need, a draft of the first to a second
    need, a third need with no proposal, and one user per role (two startups, two units)."""
    bureau = Organisation.objects.create(
        name="内部部局", kind=OrganisationKind.MOD_UNIT, unit_code=UnitCode.INTERNAL_BUREAU
    )
    atla = Organisation.objects.create(name="防衛装備庁", kind=OrganisationKind.ATLA, unit_code=UnitCode.ATLA)
    users = {
        "owner": UserFactory(roles=[RoleCode.STARTUP_MEMBER]),
        "other_startup": UserFactory(roles=[RoleCode.STARTUP_MEMBER]),
        "author": UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR]),
        "other_author": UserFactory(organisation=other_unit, roles=[RoleCode.NEED_AUTHOR]),
        "reviewer": UserFactory(organisation=bureau, roles=[RoleCode.NEED_REVIEWER]),
        "curator": UserFactory(organisation=OrganisationFactory(government=True), roles=[RoleCode.CURATOR]),
        "admin": UserFactory(
            organisation=OrganisationFactory(kind=OrganisationKind.ADMIN, corporate_number=""),
            roles=[RoleCode.PORTAL_ADMIN],
        ),
        "evaluator": UserFactory(organisation=atla, roles=[RoleCode.NEED_AUTHOR]),
        "evaluator2": UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR]),
    }
    startup_a = StartupFactory(organisation=users["owner"].organisation, description="小型無人機の探知技術")
    startup_a.technologies = ["レーダー", "AI"]
    startup_a.save()
    Designation.objects.create(startup=startup_a, program="jstartup", cohort="2023")
    startup_b = StartupFactory(organisation=users["other_startup"].organisation)
    need, need2, need3 = make_need(), make_need(), make_need()
    need.evaluators.set([users["evaluator"], users["evaluator2"]])
    with django_capture_on_commit_callbacks(execute=True):
        proposal_a = proposal_create(
            need=need, startup=startup_a, data={"title": "PROPOSAL-A", "summary": "SUMMARY-A"}, actor=users["owner"]
        )
        attachment = proposal_attach(proposal=proposal_a, uploaded=pdf(), actor=users["owner"])
        proposal_transition(proposal=proposal_a, to=ProposalStatus.SUBMITTED, actor=users["owner"])
        proposal_b = proposal_create(
            need=need, startup=startup_b, data={"title": "PROPOSAL-B", "summary": "SUMMARY-B"},
            actor=users["other_startup"],
        )  # fmt: skip
        proposal_transition(proposal=proposal_b, to=ProposalStatus.SUBMITTED, actor=users["other_startup"])
        draft = proposal_create(
            need=need2, startup=startup_a, data={"title": "DRAFT-A", "summary": "S"}, actor=users["owner"]
        )
    return {
        **users,
        "need": need,
        "need2": need2,
        "need3": need3,
        "startup_a": startup_a,
        "startup_b": startup_b,
        "proposal_a": proposal_a,
        "proposal_b": proposal_b,
        "draft": draft,
        "attachment": attachment,
    }


def as_user(world, name: str | None) -> Client:
    client = Client()
    if name is not None:
        client.force_login(world[name])
    return client


def status_of(client: Client, url: str, method: str = "get", data=None) -> int:
    """The status code, the response closed (a download holds its file open until then)."""
    response = getattr(client, method)(url, data or {})
    close_response(response)
    return response.status_code


def move(proposal, to, actor, **extra):
    proposal_transition(proposal=proposal, to=to, actor=actor, **extra)
    proposal.refresh_from_db()


ACTORS = ["owner", "other_startup", "author", "other_author", "reviewer", "curator", "admin", "evaluator"]
OK, DENIED, HIDDEN, GONE = 200, 403, 404, 302  # GONE: redirected (the proposal already exists)


def everyone(default: int, **overrides: int) -> dict[str, int]:
    return {name: overrides.get(name, default) for name in ACTORS}


# (URL name, object in `world` whose pk is the argument or None, expected status per actor)
PAGES = [
    ("proposal_create", "need3", everyone(DENIED, owner=OK, other_startup=OK)),
    ("proposal_create", "need", everyone(DENIED, owner=GONE, other_startup=GONE)),
    ("proposal_detail", "proposal_a", everyone(OK, other_startup=HIDDEN, other_author=HIDDEN, curator=HIDDEN)),
    ("proposal_detail", "draft", everyone(HIDDEN, owner=OK)),
    ("proposal_edit", "draft", everyone(HIDDEN, owner=OK)),
    ("proposal_edit", "proposal_a", everyone(DENIED, other_startup=HIDDEN, other_author=HIDDEN, curator=HIDDEN)),
    ("proposal_attachment", "attachment", everyone(OK, other_startup=HIDDEN, other_author=HIDDEN, curator=HIDDEN)),
    ("need_proposals", "need", everyone(OK, owner=DENIED, other_startup=DENIED)),
    ("my_proposals", None, everyone(DENIED, owner=OK, other_startup=OK)),
    ("need_evaluators", "need", everyone(DENIED, author=OK, reviewer=OK)),
    ("need_ranking", "need", everyone(DENIED, author=OK, reviewer=OK)),
    (
        "evaluation_form",
        "proposal_a",
        everyone(DENIED, evaluator=OK, other_startup=HIDDEN, other_author=HIDDEN, curator=HIDDEN),
    ),
    ("results", None, everyone(OK)),
]


def url_of(world, name: str, key: str | None) -> str:
    return reverse(f"needs:{name}", args=[world[key].pk] if key else [])


@pytest.mark.parametrize(("name", "key", "expected"), PAGES)
def test_each_page_opens_for_its_roles_and_is_refused_to_the_others(world, name, key, expected):
    url = url_of(world, name, key)
    for actor, status in expected.items():
        assert status_of(as_user(world, actor), url) == status, (name, key, actor)


@pytest.mark.parametrize(("name", "key", "_expected"), [page for page in PAGES if page[0] != "results"])
def test_anonymous_visitor_is_sent_to_sign_in(world, name, key, _expected):
    response = as_user(world, None).get(url_of(world, name, key))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_results_are_public(world):
    assert as_user(world, None).get(reverse("needs:results")).status_code == 200


def test_need_proposals_shows_contents_to_the_unit_and_only_counts_to_other_government_users(world):
    url = reverse("needs:need_proposals", args=[world["need"].pk])
    for actor in ["author", "reviewer"]:
        response = as_user(world, actor).get(url)
        assert {p.title for p in response.context["proposals"]} == {"PROPOSAL-A", "PROPOSAL-B"}
        assert response.context["funnel"][ProposalStatus.SUBMITTED] == 2
    for actor in ["other_author", "curator", "admin"]:
        response = as_user(world, actor).get(url)
        body = response.content.decode()
        assert response.context["funnel"][ProposalStatus.SUBMITTED] == 2
        assert "PROPOSAL-A" not in body and "SUMMARY-A" not in body
        assert "proposals" not in response.context


# --- A startup never sees another startup's proposal -----------------------------------------------------


def test_another_startup_sees_no_proposal_but_its_own_by_any_route(world):
    client = as_user(world, "other_startup")
    own = world["proposal_b"].pk
    last = Proposal.objects.order_by("-pk").first().pk
    for pk in range(1, last + 5):
        for name in ["proposal_detail", "proposal_edit", "evaluation_form"]:
            status = client.get(reverse(f"needs:{name}", args=[pk])).status_code
            assert status == (HIDDEN if pk != own else (OK if name == "proposal_detail" else DENIED)), (name, pk)
        response = client.post(reverse("needs:proposal_transition", args=[pk]), {"to": "withdrawn"})
        assert response.status_code == (302 if pk == own else HIDDEN)
    last_attachment = ProposalAttachment.objects.order_by("-pk").first().pk
    for pk in range(1, last_attachment + 3):
        assert status_of(client, reverse("needs:proposal_attachment", args=[pk])) == HIDDEN
        assert client.post(reverse("needs:proposal_attachment_remove", args=[pk])).status_code == HIDDEN
    mine = client.get(reverse("needs:my_proposals"))
    assert [p.pk for p in mine.context["page"].object_list] == [own]
    assert "PROPOSAL-A" not in mine.content.decode()
    assert client.get(reverse("needs:need_proposals", args=[world["need"].pk])).status_code == DENIED
    world["proposal_a"].refresh_from_db()
    assert world["proposal_a"].status == ProposalStatus.SUBMITTED
    assert ProposalAttachment.objects.filter(pk=world["attachment"].pk).exists()


def test_my_proposals_lists_the_company_drafts_too_and_has_an_empty_state(world):
    response = as_user(world, "owner").get(reverse("needs:my_proposals"))
    assert {p.title for p in response.context["page"].object_list} == {"PROPOSAL-A", "DRAFT-A"}
    lonely = UserFactory(roles=[RoleCode.STARTUP_MEMBER])
    client = Client()
    client.force_login(lonely)
    response = client.get(reverse("needs:my_proposals"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


# --- Creating and submitting ------------------------------------------------------------------------------


def test_proposal_form_starts_from_the_profile_or_an_earlier_proposal_of_the_same_company(world):
    client = as_user(world, "owner")
    url = reverse("needs:proposal_create", args=[world["need3"].pk])
    form = client.get(url).context["form"]
    assert form.initial["summary"] == "小型無人機の探知技術"
    assert form.initial["technical_approach"] == "レーダー\nAI"
    form = client.get(url, {"from": world["proposal_a"].pk}).context["form"]
    assert (form.initial["title"], form.initial["summary"]) == ("PROPOSAL-A", "SUMMARY-A")
    # Another company's proposal is never a starting point: the profile is used instead.
    response = client.get(url, {"from": world["proposal_b"].pk})
    assert response.context["form"].initial["summary"] == "小型無人機の探知技術"
    assert "SUMMARY-B" not in response.content.decode()


def proposal_post(**extra) -> dict:
    return {
        "title": "NEW-PROPOSAL",
        "summary": "探知と追尾",
        "technical_approach": "",
        "current_trl": "5",
        "schedule": "6か月でPoC",
        "cost_min_yen": "10000000",
        "cost_max_yen": "30000000",
        **extra,
    }


def test_a_submitted_proposal_with_files_is_stored_and_served_as_a_download(world, django_capture_on_commit_callbacks):
    client = as_user(world, "owner")
    docx = SimpleUploadedFile("計画.docx", docx_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("needs:proposal_create", args=[world["need3"].pk]),
            proposal_post(action="submit", attachments=[pdf("概要.pdf"), docx]),
        )
    proposal = Proposal.objects.get(title="NEW-PROPOSAL")
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:proposal_detail", args=[proposal.pk])
    assert (proposal.status, proposal.startup, proposal.cost_max_yen) == (
        ProposalStatus.SUBMITTED,
        world["startup_a"],
        30_000_000,
    )
    assert sorted(proposal.attachments.values_list("original_name", flat=True)) == ["概要.pdf", "計画.docx"]
    attachment = proposal.attachments.get(original_name="概要.pdf")
    download = as_user(world, "author").get(reverse("needs:proposal_attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    close_response(download)
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "%E6%A6%82%E8%A6%81.pdf" in download["Content-Disposition"]  # 概要.pdf, RFC 5987-encoded


def test_save_draft_keeps_it_a_draft(world):
    client = as_user(world, "owner")
    response = client.post(reverse("needs:proposal_create", args=[world["need3"].pk]), proposal_post(action="draft"))
    proposal = Proposal.objects.get(title="NEW-PROPOSAL")
    assert response.status_code == 302
    assert proposal.status == ProposalStatus.DRAFT
    assert as_user(world, "author").get(reverse("needs:proposal_detail", args=[proposal.pk])).status_code == 404


@pytest.mark.parametrize(
    "bad",
    [
        SimpleUploadedFile("偽装.pdf", b"just some text, not a PDF", content_type="application/pdf"),
        SimpleUploadedFile("slides.pptx", PDF_BYTES, content_type="application/pdf"),  # a PDF named .pptx
        SimpleUploadedFile("計画.pdf", docx_bytes(), content_type="application/pdf"),  # a DOCX named .pdf
    ],
)
def test_an_upload_whose_content_is_not_its_claimed_type_saves_nothing(world, settings, bad):
    client = as_user(world, "owner")
    before = (Proposal.objects.count(), ProposalAttachment.objects.count())
    response = client.post(
        reverse("needs:proposal_create", args=[world["need3"].pk]),
        proposal_post(action="submit", attachments=[pdf("good.pdf"), bad]),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["attachments"]
    assert any(bad.name in error for error in errors)
    assert (Proposal.objects.count(), ProposalAttachment.objects.count()) == before
    assert not Proposal.objects.filter(title="NEW-PROPOSAL").exists()


def test_an_upload_over_the_limit_saves_nothing(world, monkeypatch):
    monkeypatch.setattr("needs.attachments.MAX_ATTACHMENT_BYTES", 20)
    client = as_user(world, "owner")
    before = ProposalAttachment.objects.count()
    response = client.post(
        reverse("needs:proposal_create", args=[world["need3"].pk]),
        proposal_post(action="draft", attachments=[pdf("big.pdf")]),
    )
    assert response.status_code == 200
    assert any("big.pdf" in error for error in response.context["form"].errors["attachments"])
    assert not Proposal.objects.filter(title="NEW-PROPOSAL").exists()
    assert ProposalAttachment.objects.count() == before
    # Adding it to an existing draft is refused the same way.
    draft = world["draft"]
    response = client.post(
        reverse("needs:proposal_edit", args=[draft.pk]),
        proposal_post(title="DRAFT-A", action="draft", attachments=[pdf("big.pdf")]),
    )
    assert response.status_code == 200
    assert not draft.attachments.exists()


def test_a_proposal_after_the_deadline_is_refused(world, make_need):
    client = as_user(world, "owner")
    expired = make_need(deadline_days=-1)
    url = reverse("needs:proposal_create", args=[expired.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, proposal_post(action="submit")).status_code == 403
    assert not Proposal.objects.filter(need=expired).exists()
    # A draft whose need's deadline passed is kept as a draft, with an error.
    draft, need2 = world["draft"], world["need2"]
    need2.proposal_deadline = timezone.now() - timedelta(minutes=1)
    need2.save()
    response = client.post(reverse("needs:proposal_edit", args=[draft.pk]), proposal_post(action="submit"))
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:proposal_edit", args=[draft.pk])
    assert any(message.level_tag == "error" for message in get_messages(response.wsgi_request))
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (ProposalStatus.DRAFT, "NEW-PROPOSAL")


def test_an_unclaimed_company_is_sent_to_claim_it_first(world):
    member = UserFactory(roles=[RoleCode.STARTUP_MEMBER])
    client = Client()
    client.force_login(member)
    response = client.get(reverse("needs:proposal_create", args=[world["need3"].pk]))
    assert response.status_code == 200
    assert response.context["reason"] == "unclaimed"
    assert reverse("seeds:my_company") in response.content.decode()


def test_a_hidden_need_is_not_found_for_proposing(world, make_need):
    secret = make_need(visibility=Visibility.GOVERNMENT)
    draft_need = make_need(status=NeedStatus.DRAFT)
    client = as_user(world, "owner")
    for need in [secret, draft_need]:
        assert client.get(reverse("needs:proposal_create", args=[need.pk])).status_code == 404


def test_a_draft_attachment_can_be_removed_by_its_company_only(world):
    draft = world["draft"]
    attachment = proposal_attach(proposal=draft, uploaded=pdf("old.pdf"), actor=world["owner"])
    url = reverse("needs:proposal_attachment_remove", args=[attachment.pk])
    assert as_user(world, "author").post(url).status_code == 404
    assert as_user(world, "owner").post(url).status_code == 302
    assert not draft.attachments.exists()
    # Not once submitted.
    submitted_attachment = world["attachment"]
    url = reverse("needs:proposal_attachment_remove", args=[submitted_attachment.pk])
    assert as_user(world, "owner").post(url).status_code == 403
    assert ProposalAttachment.objects.filter(pk=submitted_attachment.pk).exists()


# --- One proposal's page: moves, rejection feedback, history ---------------------------------------------


def test_the_unit_moves_a_proposal_and_a_role_that_may_not_is_refused(world, django_capture_on_commit_callbacks):
    proposal = world["proposal_a"]
    url = reverse("needs:proposal_transition", args=[proposal.pk])
    detail = as_user(world, "author").get(reverse("needs:proposal_detail", args=[proposal.pk]))
    assert [status for status, _label in detail.context["moves"]] == [ProposalStatus.UNDER_REVIEW]
    with django_capture_on_commit_callbacks(execute=True):
        assert as_user(world, "author").post(url, {"to": "under_review"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW
    # Selecting is for reviewers: the owning unit's author is refused (403), the status stays.
    assert as_user(world, "author").post(url, {"to": "selected"}).status_code == 403
    assert as_user(world, "owner").post(url, {"to": "shortlisted"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW
    # An impossible move is explained, not a crash.
    response = as_user(world, "reviewer").post(url, {"to": "submitted"})
    assert response.status_code == 302
    assert any(message.level_tag == "error" for message in get_messages(response.wsgi_request))


def test_a_rejection_needs_a_reason_and_its_feedback_is_shown_to_the_startup(world, django_capture_on_commit_callbacks):
    proposal = world["proposal_a"]
    url = reverse("needs:proposal_transition", args=[proposal.pk])
    reviewer = as_user(world, "reviewer")
    reviewer.post(url, {"to": "rejected", "feedback": "x"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(url, {"to": "rejected", "reason": "maturity", "feedback": "FEEDBACK-7731"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.rejection_reason) == (ProposalStatus.REJECTED, "maturity")
    body = as_user(world, "owner").get(reverse("needs:proposal_detail", args=[proposal.pk])).content.decode()
    assert "FEEDBACK-7731" in body


def test_history_names_the_actors_to_government_users_only(world, django_capture_on_commit_callbacks):
    proposal, author = world["proposal_a"], world["author"]
    with django_capture_on_commit_callbacks(execute=True):
        move(proposal, ProposalStatus.UNDER_REVIEW, author, comment="COMMENT-55")
    url = reverse("needs:proposal_detail", args=[proposal.pk])
    owner_page = as_user(world, "owner").get(url)
    reviewer_page = as_user(world, "reviewer").get(url)
    assert [t.to_status for t in owner_page.context["history"]] == ["draft", "submitted", "under_review"]
    assert author.full_name not in owner_page.content.decode()
    assert author.full_name in reviewer_page.content.decode()
    # The comment is internal (tests/needs/test_internal_comments.py): the unit's side reads it, the startup not.
    assert "COMMENT-55" not in owner_page.content.decode()
    assert "COMMENT-55" in reviewer_page.content.decode()


# --- Bulk moves --------------------------------------------------------------------------------------------


def test_bulk_transition_moves_all_or_none(world, django_capture_on_commit_callbacks):
    a, b = world["proposal_a"], world["proposal_b"]
    url = reverse("needs:need_proposals", args=[world["need"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world, "author").post(url, {"proposals": [a.pk, b.pk], "to": "under_review"})
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (ProposalStatus.UNDER_REVIEW, ProposalStatus.UNDER_REVIEW)
    # The author may not select: nothing changes, and the page says why.
    response = as_user(world, "author").post(url, {"proposals": [a.pk, b.pk], "to": "selected"})
    assert response.status_code == 200
    assert any(message.level_tag == "error" for message in get_messages(response.wsgi_request))
    # One of them cannot make the move: neither moves.
    with django_capture_on_commit_callbacks(execute=True):
        move(b, ProposalStatus.SHORTLISTED, world["reviewer"])
    response = as_user(world, "reviewer").post(url, {"proposals": [a.pk, b.pk], "to": "shortlisted"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (ProposalStatus.UNDER_REVIEW, ProposalStatus.SHORTLISTED)
    assert not a.transitions.filter(to_status=ProposalStatus.SHORTLISTED).exists()
    # A bulk rejection needs a reason, then records it on each.
    as_user(world, "reviewer").post(url, {"proposals": [a.pk, b.pk], "to": "rejected"})
    a.refresh_from_db()
    assert a.status == ProposalStatus.UNDER_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        as_user(world, "reviewer").post(
            url, {"proposals": [a.pk, b.pk], "to": "rejected", "reason": "cost", "feedback": "FB"}
        )
    assert set(Proposal.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", "rejection_reason")) == {
        (ProposalStatus.REJECTED, "cost")
    }


def test_bulk_transition_cannot_reach_another_needs_proposals(world, make_need):
    other_need_proposal = world["draft"]
    url = reverse("needs:need_proposals", args=[world["need"].pk])
    response = as_user(world, "reviewer").post(url, {"proposals": [other_need_proposal.pk], "to": "under_review"})
    assert response.status_code == 200
    assert "proposals" in response.context["form"].errors
    other_need_proposal.refresh_from_db()
    assert other_need_proposal.status == ProposalStatus.DRAFT


# --- Evaluation and ranking ---------------------------------------------------------------------------------


def scores(value: int | dict) -> dict:
    values = value if isinstance(value, dict) else dict.fromkeys(ALL_SCORES, value)
    return {criterion: str(values[criterion]) for criterion in ALL_SCORES}


@pytest.fixture
def under_review(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for proposal in [world["proposal_a"], world["proposal_b"]]:
            move(proposal, ProposalStatus.UNDER_REVIEW, world["author"])
    return world


def evaluate(world, evaluator: str, proposal, value, comment: str = "") -> int:
    url = reverse("needs:evaluation_form", args=[proposal.pk])
    return as_user(world, evaluator).post(url, {**scores(value), "comment": comment}).status_code


def ranking(world, actor: str = "reviewer") -> list:
    response = as_user(world, actor).get(reverse("needs:need_ranking", args=[world["need"].pk]))
    assert response.status_code == 200
    return response.context["rows"]


def test_two_evaluators_score_and_the_ranking_adds_the_jstartup_bonus(under_review):
    world = under_review
    a, b = world["proposal_a"], world["proposal_b"]
    assert evaluate(world, "evaluator", a, 5) == 302
    assert evaluate(world, "evaluator2", a, 3) == 302
    assert evaluate(world, "evaluator", b, 4) == 302
    assert evaluate(world, "evaluator2", b, 4) == 302
    rows = ranking(world)
    assert [row["item"].proposal.pk for row in rows] == [a.pk, b.pk]
    first, second = rows[0]["item"], rows[1]["item"]
    assert (first.evaluator_count, first.weighted_score, first.spread, first.bonus, first.total) == (
        2,
        pytest.approx(4.0),
        pytest.approx(1.0),
        pytest.approx(0.5),  # J-Startup
        pytest.approx(4.5),
    )
    assert (second.weighted_score, second.spread, second.bonus, second.total) == (
        pytest.approx(4.0),
        pytest.approx(0.0),
        0.0,
        pytest.approx(4.0),
    )
    assert [row["rank"] for row in rows] == [1, 2]
    # Re-saving revises the evaluator's scores rather than adding a third.
    assert evaluate(world, "evaluator2", a, 1) == 302
    assert Evaluation.objects.filter(proposal=a).count() == 2
    assert ranking(world)[0]["item"].proposal.pk == b.pk
    # Only reviewers get the decision buttons.
    assert all(row["can_select"] and row["rejection_form"] for row in ranking(world, "reviewer"))
    assert not any(row["can_select"] or row["rejection_form"] for row in ranking(world, "author"))


def test_a_score_outside_1_to_5_is_refused(under_review):
    world = under_review
    url = reverse("needs:evaluation_form", args=[world["proposal_a"].pk])
    response = as_user(world, "evaluator").post(url, {**scores(3), Criterion.MATURITY: "6"})
    assert response.status_code == 200
    assert Criterion.MATURITY in response.context["form"].errors
    assert not Evaluation.objects.exists()


def test_a_conflict_of_interest_removes_the_evaluator_from_the_totals(under_review):
    world = under_review
    a = world["proposal_a"]
    evaluate(world, "evaluator", a, 2)
    evaluate(world, "evaluator2", a, 4)
    response = as_user(world, "evaluator2").post(reverse("needs:evaluation_conflict", args=[a.pk]), {"note": "株主"})
    assert response.status_code == 302
    item = next(row["item"] for row in ranking(world) if row["item"].proposal.pk == a.pk)
    assert (item.evaluator_count, item.weighted_score, item.total) == (1, pytest.approx(2.0), pytest.approx(2.5))
    # The evaluator cannot score it again.
    evaluate(world, "evaluator2", a, 5)
    assert Evaluation.objects.get(proposal=a, evaluator=world["evaluator2"]).conflict_of_interest
    page = as_user(world, "evaluator2").get(reverse("needs:evaluation_form", args=[a.pk]))
    assert page.context["evaluation"].conflict_of_interest


def test_criterion_weights_change_the_ranking(under_review):
    world = under_review
    a, b = world["proposal_a"], world["proposal_b"]
    evaluate(world, "evaluator", a, {**dict.fromkeys(ALL_SCORES, 5), Criterion.TECHNICAL_MERIT: 1})
    evaluate(world, "evaluator", b, {**dict.fromkeys(ALL_SCORES, 2), Criterion.TECHNICAL_MERIT: 5})
    assert ranking(world)[0]["item"].proposal.pk == a.pk
    url = reverse("needs:need_ranking", args=[world["need"].pk])
    weights = {**dict.fromkeys(ALL_SCORES, "0"), Criterion.TECHNICAL_MERIT: "1"}
    assert as_user(world, "other_author").post(url, weights).status_code == 403
    assert as_user(world, "author").post(url, weights).status_code == 302
    world["need"].refresh_from_db()
    assert world["need"].criterion_weights[Criterion.TECHNICAL_MERIT] == 1.0
    rows = ranking(world)
    assert [row["item"].proposal.pk for row in rows] == [b.pk, a.pk]
    assert rows[0]["item"].weighted_score == pytest.approx(5.0)
    # Negative weights, or all zero, are refused.
    response = as_user(world, "author").post(url, {**weights, Criterion.MATURITY: "-1"})
    assert response.status_code == 200 and Criterion.MATURITY in response.context["weights_form"].errors
    response = as_user(world, "author").post(url, dict.fromkeys(ALL_SCORES, "0"))
    assert response.status_code == 200 and response.context["weights_form"].non_field_errors()


def test_the_reviewer_selects_from_the_ranking(under_review, django_capture_on_commit_callbacks):
    world = under_review
    a = world["proposal_a"]
    ranking_url = reverse("needs:need_ranking", args=[world["need"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world, "reviewer").post(
            reverse("needs:proposal_transition", args=[a.pk]), {"to": "selected", "next": ranking_url}
        )
    assert response["Location"] == ranking_url
    a.refresh_from_db()
    assert a.status == ProposalStatus.SELECTED
    # A foreign "next" is not followed.
    response = as_user(world, "reviewer").post(
        reverse("needs:proposal_transition", args=[a.pk]), {"to": "contracted", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("needs:proposal_detail", args=[a.pk])


def test_evaluators_are_chosen_among_the_unit_atla_and_reviewers(world):
    need = world["need"]
    url = reverse("needs:need_evaluators", args=[need.pk])
    candidates = set(as_user(world, "author").get(url).context["form"].fields["evaluators"].queryset)
    assert {world["author"], world["evaluator"], world["evaluator2"], world["reviewer"]} <= candidates
    assert not candidates & {world["other_author"], world["curator"], world["owner"], world["admin"]}
    response = as_user(world, "reviewer").post(url, {"evaluators": [world["reviewer"].pk]})
    assert response.status_code == 302
    assert list(need.evaluators.all()) == [world["reviewer"]]
    response = as_user(world, "author").post(url, {"evaluators": [world["other_author"].pk]})
    assert response.status_code == 200
    assert list(need.evaluators.all()) == [world["reviewer"]]
    # Taken off the need, the ATLA evaluator no longer sees its proposals at all.
    url = reverse("needs:evaluation_form", args=[world["proposal_a"].pk])
    assert as_user(world, "evaluator").get(url).status_code == 404


# --- Published results ---------------------------------------------------------------------------------


def test_results_show_selected_proposals_and_hide_government_only_needs(
    world, make_need, django_capture_on_commit_callbacks
):
    secret_need = make_need(visibility=Visibility.GOVERNMENT)
    secret = Proposal.objects.create(
        need=secret_need, startup=world["startup_b"], title="SECRET-RESULT", summary="s", status="selected",
        decided_at=timezone.now(),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        move(world["proposal_a"], ProposalStatus.UNDER_REVIEW, world["author"])
        move(world["proposal_a"], ProposalStatus.SELECTED, world["reviewer"])
    url = reverse("needs:results")
    anonymous = as_user(world, None).get(url)
    assert [p.pk for p in anonymous.context["page"].object_list] == [world["proposal_a"].pk]
    assert "SECRET-RESULT" not in anonymous.content.decode()
    assert "PROPOSAL-B" not in anonymous.content.decode()  # submitted only, not a result
    startup = as_user(world, "owner").get(url)
    assert secret.pk not in {p.pk for p in startup.context["page"].object_list}
    government = as_user(world, "curator").get(url)
    assert {p.pk for p in government.context["page"].object_list} == {world["proposal_a"].pk, secret.pk}


# --- Lists keep a constant query count ---------------------------------------------------------------------


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_proposals(world, count: int, *, status=ProposalStatus.SUBMITTED, need=None, startup=None, make_need=None):
    for index in range(count):
        target = need or make_need()
        company = startup or StartupFactory(organisation=OrganisationFactory())
        Designation.objects.create(
            startup=company, program="jva", cohort=str(2000 + index % 20)
        ) if not startup else None
        Proposal.objects.create(
            need=target, startup=company, title=f"P{index}", summary="s", status=status, submitted_at=timezone.now()
        )


def test_need_proposals_and_ranking_keep_a_constant_query_count(world):
    client = as_user(world, "reviewer")
    need = world["need"]
    urls = [reverse("needs:need_proposals", args=[need.pk]), reverse("needs:need_ranking", args=[need.pk])]
    few = [count_queries(client, url) for url in urls]
    add_proposals(world, 28, status=ProposalStatus.UNDER_REVIEW, need=need)
    for proposal in need.proposals.all():
        Evaluation.objects.create(proposal=proposal, evaluator=world["evaluator"], scores=dict.fromkeys(ALL_SCORES, 3))
    many = [count_queries(client, url) for url in urls]
    assert need.proposals.count() == 30
    assert many == few


def test_my_proposals_and_results_keep_a_constant_query_count(world, make_need):
    owner = as_user(world, "owner")
    anonymous = as_user(world, None)
    mine, results = reverse("needs:my_proposals"), reverse("needs:results")
    add_proposals(world, 1, status=ProposalStatus.SELECTED, make_need=make_need)
    few = (count_queries(owner, mine), count_queries(anonymous, results))
    add_proposals(world, 28, status=ProposalStatus.SUBMITTED, startup=world["startup_a"], make_need=make_need)
    add_proposals(world, 29, status=ProposalStatus.SELECTED, make_need=make_need)
    assert Proposal.objects.filter(startup=world["startup_a"]).count() == 30
    assert (count_queries(owner, mine), count_queries(anonymous, results)) == few


# --- Forms that only take a POST ---------------------------------------------------------------------------

# (route, object, a user allowed to post to it)
POST_ONLY = [
    ("proposal_transition", "proposal_a", "owner"),
    ("evaluation_conflict", "proposal_a", "evaluator"),
    ("proposal_attachment_remove", "attachment", "owner"),
]


@pytest.mark.parametrize(("name", "key", "allowed"), POST_ONLY)
def test_post_only_routes_refuse_get_and_anonymous_visitors(world, name, key, allowed):
    url = url_of(world, name, key)
    assert as_user(world, allowed).get(url).status_code == 405
    response = as_user(world, None).post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_only_assigned_evaluators_declare_a_conflict(under_review):
    world = under_review
    url = reverse("needs:evaluation_conflict", args=[world["proposal_a"].pk])
    expected = everyone(DENIED, evaluator=302, other_startup=HIDDEN, other_author=HIDDEN, curator=HIDDEN)
    for actor, status in expected.items():
        if actor != "evaluator":
            assert as_user(world, actor).post(url, {"note": "x"}).status_code == status, actor
    assert not Evaluation.objects.exists()
    assert as_user(world, "evaluator").post(url, {"note": "x"}).status_code == 302
    assert Evaluation.objects.get().conflict_of_interest
