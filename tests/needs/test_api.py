"""The needs and proposals API (DESIGN.md §3, §6): who reads and moves what, evaluations, filters, query counts."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from needs.enums import Criterion, NeedStatus, ProposalStatus, Visibility
from needs.models import Evaluation, Need, Proposal
from needs.services.proposals import PROPOSAL_TRANSITIONS
from seeds.models import Startup, TechField
from tests.factories import OrganisationFactory, UserFactory, make_corporate_number

NEEDS_URL = "/api/v1/needs/"
PROPOSALS_URL = "/api/v1/proposals/"
VIEWERS = ["anonymous", "startup", "other_unit_author", "owning_author", "curator", "admin", "reviewer"]
ALL_SCORES = dict.fromkeys(Criterion.values, 4)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def people(unit, other_unit):
    """One user per viewer of DESIGN.md §3, two startups with their members, and an evaluator from ATLA."""
    meti = Organisation.objects.create(name="経済産業省", kind=OrganisationKind.METI)
    admin_org = Organisation.objects.create(name="運営", kind=OrganisationKind.ADMIN)
    bureau = Organisation.objects.create(
        name="内部部局", kind=OrganisationKind.MOD_UNIT, unit_code=UnitCode.INTERNAL_BUREAU
    )
    atla = Organisation.objects.create(name="防衛装備庁", kind=OrganisationKind.ATLA, unit_code=UnitCode.ATLA)
    startups = {}
    members = {}
    for key, number in (("startup", 501), ("other_startup", 502)):
        organisation = OrganisationFactory()
        members[key] = UserFactory(organisation=organisation, roles=[RoleCode.STARTUP_MEMBER])
        startups[key] = Startup.objects.create(
            corporate_number=make_corporate_number(number), name=f"株式会社{key}", organisation=organisation
        )
    return {
        "anonymous": None,
        **members,
        "other_unit_author": UserFactory(organisation=other_unit, roles=[RoleCode.NEED_AUTHOR]),
        "owning_author": UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR]),
        "curator": UserFactory(organisation=meti, roles=[RoleCode.CURATOR]),
        "admin": UserFactory(organisation=admin_org, roles=[RoleCode.PORTAL_ADMIN]),
        "reviewer": UserFactory(organisation=bureau, roles=[RoleCode.NEED_REVIEWER]),
        "evaluator": UserFactory(organisation=atla, roles=[RoleCode.NEED_AUTHOR]),
        "_startups": startups,
    }


@pytest.fixture
def as_user(api, people):
    def make(name: str | None):
        api.force_authenticate(None if name in (None, "anonymous") else people[name])
        return api

    return make


# --- Needs: visibility -----------------------------------------------------------------------------------

REGISTERED_VIEWERS = {"startup", "other_unit_author", "owning_author", "curator", "admin", "reviewer"}
GOVERNMENT_VIEWERS = {"other_unit_author", "owning_author", "curator", "reviewer"}
BY_VISIBILITY = {
    Visibility.PUBLIC: set(VIEWERS),
    Visibility.REGISTERED: REGISTERED_VIEWERS,
    Visibility.GOVERNMENT: GOVERNMENT_VIEWERS,
}


def sees(viewer: str, status: str, visibility: str) -> bool:
    """DESIGN.md §3, written out independently of needs.rules."""
    if status in (NeedStatus.PUBLISHED, NeedStatus.CLOSED):
        return viewer in BY_VISIBILITY[visibility]
    return viewer in {"owning_author", "reviewer"}


@pytest.fixture
def every_need(make_need):
    """One need of the owning unit for each status × visibility."""
    return {
        (status, visibility): make_need(status=status, visibility=visibility)
        for status, visibility in itertools.product(NeedStatus.values, Visibility.values)
    }


@pytest.mark.parametrize("viewer", VIEWERS)
def test_need_list_and_detail_show_each_viewer_what_the_design_allows(as_user, every_need, viewer):
    api = as_user(viewer)
    response = api.get(NEEDS_URL, {"page_size": 100})
    assert response.status_code == 200
    listed = {item["ref"] for item in response.json()["results"]}
    expected = {need.ref for (status, visibility), need in every_need.items() if sees(viewer, status, visibility)}
    assert listed == expected
    for (status, visibility), need in every_need.items():
        detail = api.get(f"{NEEDS_URL}{need.pk}/")
        assert detail.status_code == (200 if sees(viewer, status, visibility) else 404), (status, visibility)


def test_a_need_item_carries_its_natural_key_and_codes(api, make_need, unit):
    need = make_need(min_trl=5, desired_capabilities="半径5kmの探知")
    need.tech_fields.set(TechField.objects.filter(code__in=["unmanned", "sensing"]))
    item = api.get(f"{NEEDS_URL}{need.pk}/").json()
    assert set(item) == {
        "id",
        "ref",
        "title",
        "description",
        "desired_capabilities",
        "tech_fields",
        "min_trl",
        "owner_unit",
        "pathway",
        "visibility",
        "proposal_deadline",
        "status",
        "published_at",
    }
    assert (item["ref"], item["owner_unit"], item["min_trl"]) == (need.ref, "gsdf", 5)
    assert sorted(item["tech_fields"]) == ["sensing", "unmanned"]


def test_need_filters(api, make_need, other_unit):
    drone = make_need(desired_capabilities="ドローンの探知", deadline_days=10)
    drone.tech_fields.set(TechField.objects.filter(code="unmanned"))
    sea = make_need(owner=other_unit, deadline_days=60)
    Need.objects.filter(pk=sea.pk).update(pathway="tech_proposal")
    closed = make_need(status=NeedStatus.CLOSED, deadline_days=None)

    def refs(**params):
        return {item["ref"] for item in api.get(NEEDS_URL, params).json()["results"]}

    assert refs(q="ドローン") == {drone.ref}
    assert refs(tech_field="unmanned") == {drone.ref}
    assert refs(unit="msdf") == {sea.ref}
    assert refs(pathway="tech_proposal") == {sea.ref}
    assert refs(status="closed") == {closed.ref}
    # Deadlines are compared as dates in Japan time, whatever the hour in UTC.
    deadline = timezone.localtime(sea.proposal_deadline).date()
    assert refs(deadline_after=deadline.isoformat()) == {sea.ref}
    assert refs(deadline_before=timezone.localtime(drone.proposal_deadline).date().isoformat()) == {drone.ref}
    assert api.get(NEEDS_URL, {"status": "nonsense"}).status_code == 400


def test_need_list_query_count_does_not_grow_with_the_list(as_user, make_need):
    api = as_user("curator")

    def count_queries() -> int:
        api.get(NEEDS_URL)  # the user's roles are read once, on the first request
        with CaptureQueriesContext(connection) as queries:
            assert api.get(NEEDS_URL).status_code == 200
        return len(queries)

    for need in [make_need(), make_need()]:
        need.tech_fields.set(TechField.objects.all()[:2])
    few = count_queries()
    for _ in range(28):
        make_need().tech_fields.set(TechField.objects.all()[:3])
    assert count_queries() == few


# --- Needs: authoring and transitions -----------------------------------------------------------------------


def new_need_payload(**extra) -> dict:
    return {
        "title": "小型無人機の早期探知",
        "description": "駐屯地周辺で小型無人機を早期に探知したい。",
        "tech_fields": ["unmanned", "sensing"],
        "min_trl": 5,
        "pathway": "early_equipment",
        "visibility": "public",
        **extra,
    }


def test_a_need_author_creates_a_draft_of_their_own_unit(as_user, people):
    response = as_user("owning_author").post(NEEDS_URL, new_need_payload(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["owner_unit"], sorted(body["tech_fields"])) == (
        "draft",
        "gsdf",
        ["sensing", "unmanned"],
    )
    need = Need.objects.get(ref=body["ref"])
    assert need.created_by == people["owning_author"]
    assert need.transitions.get().to_status == NeedStatus.DRAFT


@pytest.mark.parametrize("viewer", ["anonymous", "startup", "curator", "admin"])
def test_only_need_authors_create_needs(as_user, viewer):
    response = as_user(viewer).post(NEEDS_URL, new_need_payload(), format="json")
    assert response.status_code in (401, 403)
    assert not Need.objects.exists()


def test_invalid_need_input_is_refused_with_the_field(as_user):
    response = as_user("owning_author").post(NEEDS_URL, new_need_payload(min_trl=12), format="json")
    assert response.status_code == 400
    assert "min_trl" in response.json()
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("viewer", "code"),
    [("owning_author", 200), ("reviewer", 403), ("other_unit_author", 404), ("startup", 404), ("anonymous", 404)],
)
def test_a_draft_is_edited_by_its_units_authors_only(as_user, make_need, viewer, code):
    need = make_need(status=NeedStatus.DRAFT)
    response = as_user(viewer).patch(f"{NEEDS_URL}{need.pk}/", {"title": "改題"}, format="json")
    if viewer == "anonymous":
        assert response.status_code in (401, 403, 404)
    else:
        assert response.status_code == code
    need.refresh_from_db()
    assert (need.title == "改題") == (code == 200)


def test_a_submitted_need_is_no_longer_editable(as_user, make_need):
    need = make_need(status=NeedStatus.SUBMITTED)
    assert as_user("owning_author").patch(f"{NEEDS_URL}{need.pk}/", {"title": "改題"}).status_code == 403


def test_need_transitions_through_the_api_follow_the_roles(as_user, make_need):
    need = make_need(status=NeedStatus.DRAFT)
    url = f"{NEEDS_URL}{need.pk}/transition/"
    assert as_user("reviewer").post(url, {"to": "submitted"}).status_code == 403  # only its author submits
    assert as_user("owning_author").post(url, {"to": "submitted"}).json()["status"] == "submitted"
    assert as_user("owning_author").post(url, {"to": "published"}).status_code == 403
    refused = as_user("reviewer").post(url, {"to": "draft", "comment": " "})
    assert refused.status_code == 400  # a return to draft needs a comment
    assert refused.json()
    assert as_user("anonymous").get(f"{NEEDS_URL}{need.pk}/").status_code == 404
    published = as_user("reviewer").post(url, {"to": "published"}).json()
    assert (published["status"], published["published_at"] is not None) == ("published", True)
    assert as_user("anonymous").get(f"{NEEDS_URL}{need.pk}/").status_code == 200
    assert as_user("startup").post(url, {"to": "closed"}).status_code == 403
    assert as_user("anonymous").post(url, {"to": "closed"}).status_code in (401, 403)
    assert as_user("reviewer").post(url, {"to": "submitted"}).status_code == 400  # not possible from published
    assert as_user("reviewer").post(url, {"to": "nonsense"}).status_code == 400
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED
    assert [t.to_status for t in need.transitions.all()] == ["submitted", "published"]


def test_a_need_invisible_to_the_caller_cannot_be_moved(as_user, make_need):
    need = make_need(status=NeedStatus.SUBMITTED)
    assert (
        as_user("other_unit_author").post(f"{NEEDS_URL}{need.pk}/transition/", {"to": "withdrawn"}).status_code == 404
    )


# --- Proposals ---------------------------------------------------------------------------------------------


def make_proposal(need, startup, member, status=ProposalStatus.SUBMITTED, title="提案") -> Proposal:
    proposal = Proposal.objects.create(need=need, startup=startup, title=title, summary="概要", created_by=member)
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def pipeline(people, make_need):
    """A published need with an evaluator; startup A's proposal under review, startup B's submitted and a draft."""
    need = make_need()
    need.evaluators.add(people["evaluator"])
    startups = people["_startups"]
    return {
        "need": need,
        "own": make_proposal(need, startups["startup"], people["startup"], ProposalStatus.UNDER_REVIEW, "A"),
        "other": make_proposal(need, startups["other_startup"], people["other_startup"], title="B"),
        "other_draft": make_proposal(
            make_need(), startups["other_startup"], people["other_startup"], ProposalStatus.DRAFT, "B-draft"
        ),
    }


def listed_titles(api) -> set[str]:
    response = api.get(PROPOSALS_URL)
    assert response.status_code == 200
    return {item["title"] for item in response.json()["results"]}


def test_proposals_are_listed_by_the_rule(as_user, pipeline):
    assert listed_titles(as_user("startup")) == {"A"}
    assert listed_titles(as_user("other_startup")) == {"B", "B-draft"}
    assert listed_titles(as_user("owning_author")) == {"A", "B"}  # never a draft
    assert listed_titles(as_user("reviewer")) == {"A", "B"}
    assert listed_titles(as_user("admin")) == {"A", "B"}
    assert listed_titles(as_user("evaluator")) == {"A", "B"}
    assert listed_titles(as_user("curator")) == set()  # METI sees counts, not contents
    assert listed_titles(as_user("other_unit_author")) == set()
    assert as_user("anonymous").get(PROPOSALS_URL).status_code in (401, 403)


def test_a_startup_never_reaches_another_startups_proposal(as_user, pipeline):
    api = as_user("startup")
    for proposal in (pipeline["other"], pipeline["other_draft"]):
        base = f"{PROPOSALS_URL}{proposal.pk}/"
        assert api.get(base).status_code == 404
        assert api.get(f"{base}evaluations/").status_code == 404
        assert api.post(f"{base}evaluations/", {"scores": ALL_SCORES}, format="json").status_code == 404
        assert api.post(f"{base}transition/", {"to": "withdrawn"}).status_code == 404
        assert api.patch(base, {"title": "乗っ取り"}).status_code == 404
    assert api.get(f"{PROPOSALS_URL}{pipeline['own'].pk}/").json()["startup"]["corporate_number"] == (
        pipeline["own"].startup.corporate_number
    )
    assert listed_titles(api) == {"A"}
    # and not through a filter either
    assert api.get(PROPOSALS_URL, {"need": pipeline["need"].pk}).json()["count"] == 1


def test_a_startup_member_proposes_for_its_own_company(as_user, people, make_need):
    need = make_need()
    payload = {"need": need.pk, "title": "群制御による探知", "summary": "概要", "current_trl": 5}
    response = as_user("startup").post(PROPOSALS_URL, payload, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["startup"]["id"], body["need"]["ref"]) == (
        "draft",
        people["_startups"]["startup"].pk,
        need.ref,
    )
    again = as_user("startup").post(PROPOSALS_URL, payload, format="json")
    assert again.status_code == 409  # one open proposal per startup and need
    assert again.json()["detail"] == "このニーズには、既に自社の提案が進行中です。"
    edited = as_user("startup").patch(f"{PROPOSALS_URL}{body['id']}/", {"title": "改題"}, format="json")
    assert edited.json()["title"] == "改題"
    submitted = as_user("startup").post(f"{PROPOSALS_URL}{body['id']}/transition/", {"to": "submitted"})
    assert submitted.json()["status"] == "submitted"
    assert as_user("startup").patch(f"{PROPOSALS_URL}{body['id']}/", {"title": "再"}).status_code == 403


def test_nobody_else_proposes_and_invisible_needs_do_not_exist(as_user, make_need):
    public, government = make_need(), make_need(visibility=Visibility.GOVERNMENT)
    assert (
        as_user("owning_author").post(PROPOSALS_URL, {"need": public.pk, "title": "t", "summary": "s"}).status_code
        == 403
    )
    assert as_user("anonymous").post(PROPOSALS_URL, {"need": public.pk, "title": "t", "summary": "s"}).status_code in (
        401,
        403,
    )
    hidden = as_user("startup").post(PROPOSALS_URL, {"need": government.pk, "title": "t", "summary": "s"})
    assert hidden.status_code == 400
    assert "need" in hidden.json()
    assert not Proposal.objects.exists()


def test_a_startup_member_without_a_company_is_told_to_claim_it(as_user, api, make_need):
    api.force_authenticate(UserFactory(roles=[RoleCode.STARTUP_MEMBER]))
    response = api.post(PROPOSALS_URL, {"need": make_need().pk, "title": "t", "summary": "s"})
    assert response.status_code == 403
    assert response.json()["detail"]


# Who may make each kind of move (needs/services/proposals.py), and who cannot even see the proposal.
MOVERS = {"startup": {"startup"}, "unit": {"owning_author", "reviewer"}, "reviewer": {"reviewer"}}
ACTORS = ["startup", "other_startup", "owning_author", "other_unit_author", "reviewer", "curator", "admin"]


def expected_code(actor: str, start: str, who: str) -> int:
    if actor in MOVERS[who]:
        return 200
    can_see = actor == "startup" or (start != ProposalStatus.DRAFT and actor in {"owning_author", "reviewer", "admin"})
    return 403 if can_see else 404


@pytest.mark.parametrize(("move", "who"), list(PROPOSAL_TRANSITIONS.items()))
def test_each_proposal_transition_through_the_api_is_allowed_only_for_its_roles(as_user, people, make_need, move, who):
    start, to = move
    need = make_need()
    startup = people["_startups"]["startup"]
    for actor in ACTORS:
        proposal = make_proposal(need, startup, people["startup"], start)
        response = as_user(actor).post(
            f"{PROPOSALS_URL}{proposal.pk}/transition/", {"to": to, "reason": "maturity", "feedback": "TRL不足"}
        )
        assert response.status_code == expected_code(actor, start, who), (actor, move, response.content)
        proposal.refresh_from_db()
        assert proposal.status == (to if response.status_code == 200 else start)
        if response.status_code == 200:
            assert response.json()["status"] == to
            assert proposal.transitions.get().actor == people[actor]
        Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.WITHDRAWN)


def test_a_rejection_without_a_reason_is_refused_with_the_message(as_user, pipeline):
    url = f"{PROPOSALS_URL}{pipeline['own'].pk}/transition/"
    response = as_user("reviewer").post(url, {"to": "rejected"})
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert as_user("reviewer").post(url, {"to": "rejected", "reason": "nonsense"}).status_code == 400
    pipeline["own"].refresh_from_db()
    assert pipeline["own"].status == ProposalStatus.UNDER_REVIEW


def test_the_startup_sees_the_rejection_reason_and_feedback(as_user, pipeline):
    url = f"{PROPOSALS_URL}{pipeline['own'].pk}/transition/"
    as_user("reviewer").post(url, {"to": "rejected", "reason": "maturity", "feedback": "実証結果を添えてください"})
    body = as_user("startup").get(f"{PROPOSALS_URL}{pipeline['own'].pk}/").json()
    assert (body["status"], body["rejection_reason"], body["feedback"]) == (
        "rejected",
        "maturity",
        "実証結果を添えてください",
    )


def test_proposal_list_query_count_does_not_grow_with_the_list(as_user, people, make_need):
    api = as_user("reviewer")

    def count_queries() -> int:
        api.get(PROPOSALS_URL)  # the user's roles are read once, on the first request
        with CaptureQueriesContext(connection) as queries:
            assert api.get(PROPOSALS_URL).status_code == 200
        return len(queries)

    def add(count: int) -> None:
        for _ in range(count):
            organisation = OrganisationFactory()
            startup = Startup.objects.create(
                corporate_number=organisation.corporate_number, name="株式会社量産", organisation=organisation
            )
            make_proposal(make_need(), startup, None)

    add(2)
    few = count_queries()
    add(28)
    assert count_queries() == few


# --- Evaluations -------------------------------------------------------------------------------------------


def evaluations_url(proposal) -> str:
    return f"{PROPOSALS_URL}{proposal.pk}/evaluations/"


def test_an_assigned_evaluator_scores_and_revises(as_user, people, pipeline):
    api = as_user("evaluator")
    created = api.post(evaluations_url(pipeline["own"]), {"scores": ALL_SCORES, "comment": "良い"}, format="json")
    assert created.status_code == 201
    assert created.json()["scores"] == ALL_SCORES
    revised = api.post(evaluations_url(pipeline["own"]), {"scores": {**ALL_SCORES, "maturity": 2}}, format="json")
    assert revised.status_code == 200
    evaluation = Evaluation.objects.get()
    assert (evaluation.evaluator, evaluation.scores["maturity"]) == (people["evaluator"], 2)


@pytest.mark.parametrize("viewer", ["owning_author", "reviewer", "admin", "startup"])
def test_only_assigned_evaluators_score(as_user, pipeline, viewer):
    response = as_user(viewer).post(evaluations_url(pipeline["own"]), {"scores": ALL_SCORES}, format="json")
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    "scores",
    [
        {**ALL_SCORES, "maturity": 6},
        {**ALL_SCORES, "maturity": 0},
        {k: v for k, v in ALL_SCORES.items() if k != "maturity"},
        {**ALL_SCORES, "charm": 5},
        None,
    ],
)
def test_scores_out_of_range_or_incomplete_are_refused(as_user, pipeline, scores):
    payload = {} if scores is None else {"scores": scores}
    response = as_user("evaluator").post(evaluations_url(pipeline["own"]), payload, format="json")
    assert response.status_code == 400
    assert "scores" in response.json()
    assert not Evaluation.objects.exists()


def test_a_proposal_not_under_evaluation_cannot_be_scored(as_user, pipeline):
    response = as_user("evaluator").post(evaluations_url(pipeline["other"]), {"scores": ALL_SCORES}, format="json")
    assert response.status_code == 400  # still "submitted"
    assert not Evaluation.objects.exists()


def test_a_conflict_of_interest_declaration_clears_the_scores(as_user, pipeline):
    api = as_user("evaluator")
    api.post(evaluations_url(pipeline["own"]), {"scores": ALL_SCORES}, format="json")
    declared = api.post(evaluations_url(pipeline["own"]), {"conflict_of_interest": True}, format="json")
    assert declared.status_code == 200
    assert (declared.json()["conflict_of_interest"], declared.json()["scores"]) == (True, {})
    assert api.post(evaluations_url(pipeline["own"]), {"scores": ALL_SCORES}, format="json").status_code == 400


def test_evaluations_are_read_by_the_unit_and_evaluators_never_by_the_startup(as_user, people, pipeline):
    colleague = UserFactory(organisation=people["evaluator"].organisation, roles=[RoleCode.NEED_AUTHOR])
    pipeline["need"].evaluators.add(colleague)
    Evaluation.objects.create(proposal=pipeline["own"], evaluator=colleague, scores=ALL_SCORES)
    as_user("evaluator").post(evaluations_url(pipeline["own"]), {"scores": ALL_SCORES}, format="json")
    url = evaluations_url(pipeline["own"])

    def evaluators(viewer) -> set[int]:
        response = as_user(viewer).get(url)
        assert response.status_code == 200, viewer
        return {item["evaluator"] for item in response.json()}

    everyone = {colleague.pk, people["evaluator"].pk}
    assert evaluators("owning_author") == everyone
    assert evaluators("reviewer") == everyone
    assert evaluators("evaluator") == {people["evaluator"].pk}  # each evaluator scores independently
    assert as_user("startup").get(url).status_code == 403
    assert as_user("admin").get(url).status_code == 403
    assert as_user("curator").get(url).status_code == 404
    assert as_user("other_unit_author").get(url).status_code == 404
    assert as_user("anonymous").get(url).status_code in (401, 403)
