"""Every need and proposal transition: allowed for its roles, refused for each other role, always recorded."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from needs.enums import NeedStatus, ProposalStatus
from needs.models import Proposal
from needs.services.needs import NEED_TRANSITIONS, need_transition, needs_close_expired
from needs.services.proposals import PROPOSAL_TRANSITIONS, proposal_create, proposal_transition
from seeds.models import Startup
from tests.factories import UserFactory, make_corporate_number

ACTORS = ["owning_author", "other_unit_author", "reviewer", "curator", "admin", "startup_member", "other_startup"]


@pytest.fixture
def actors(unit, other_unit):
    meti = Organisation.objects.create(name="経済産業省", kind=OrganisationKind.METI)
    admin_org = Organisation.objects.create(name="運営", kind=OrganisationKind.ADMIN)
    bureau = Organisation.objects.create(
        name="内部部局", kind=OrganisationKind.MOD_UNIT, unit_code=UnitCode.INTERNAL_BUREAU
    )
    member = UserFactory(roles=[RoleCode.STARTUP_MEMBER], preferred_language="en")
    startup = Startup.objects.create(
        corporate_number=make_corporate_number(77), name="株式会社提案", organisation=member.organisation
    )
    return {
        "owning_author": UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR]),
        "other_unit_author": UserFactory(organisation=other_unit, roles=[RoleCode.NEED_AUTHOR]),
        "reviewer": UserFactory(organisation=bureau, roles=[RoleCode.NEED_REVIEWER]),
        "curator": UserFactory(organisation=meti, roles=[RoleCode.CURATOR]),
        "admin": UserFactory(organisation=admin_org, roles=[RoleCode.PORTAL_ADMIN]),
        "startup_member": member,
        "other_startup": UserFactory(roles=[RoleCode.STARTUP_MEMBER]),
        "_startup": startup,
    }


NEED_ALLOWED = {"author": {"owning_author"}, "reviewer": {"reviewer"}, "unit": {"owning_author", "reviewer"}}


@pytest.mark.parametrize(("move", "who"), list(NEED_TRANSITIONS.items()))
def test_each_need_transition_is_allowed_only_for_its_roles(actors, make_need, move, who):
    start, to = move
    for name in ACTORS:
        need = make_need(status=start)
        try:
            record = need_transition(need=need, to=to, actor=actors[name], comment="理由")
        except PermissionDenied:
            assert name not in NEED_ALLOWED[who], (name, move)
            need.refresh_from_db()
            assert need.status == start
            assert not need.transitions.exists()
        else:
            assert name in NEED_ALLOWED[who], (name, move)
            assert (record.from_status, record.to_status, record.actor, record.comment) == (
                start,
                to,
                actors[name],
                "理由",
            )
            need.refresh_from_db()
            assert need.status == to


def test_returning_a_need_to_draft_needs_a_comment(actors, make_need):
    need = make_need(status=NeedStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        need_transition(need=need, to=NeedStatus.DRAFT, actor=actors["reviewer"], comment=" ")
    need.refresh_from_db()
    assert need.status == NeedStatus.SUBMITTED


def test_impossible_need_moves_are_refused(actors, make_need):
    need = make_need(status=NeedStatus.DRAFT)
    with pytest.raises(ValidationError):
        need_transition(need=need, to=NeedStatus.PUBLISHED, actor=actors["reviewer"])


def test_published_needs_past_their_deadline_close_themselves(actors, make_need):
    past = make_need(status=NeedStatus.PUBLISHED, deadline_days=-1)
    future = make_need(status=NeedStatus.PUBLISHED, deadline_days=5)
    assert needs_close_expired() == [past.ref]
    past.refresh_from_db()
    future.refresh_from_db()
    assert (past.status, future.status) == (NeedStatus.CLOSED, NeedStatus.PUBLISHED)
    assert past.transitions.get().actor is None


PROPOSAL_ALLOWED = {
    "startup": {"startup_member"},
    "unit": {"owning_author", "reviewer"},
    "reviewer": {"reviewer"},
}


def proposal_in(status: str, need, startup, member) -> Proposal:
    proposal = Proposal.objects.create(need=need, startup=startup, title="提案", summary="概要", created_by=member)
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    return proposal


@pytest.mark.parametrize(("move", "who"), list(PROPOSAL_TRANSITIONS.items()))
def test_each_proposal_transition_is_allowed_only_for_its_roles(
    actors, make_need, move, who, django_capture_on_commit_callbacks
):
    start, to = move
    need = make_need()
    for name in ACTORS:
        proposal = proposal_in(start, need, actors["_startup"], actors["startup_member"])
        try:
            with django_capture_on_commit_callbacks(execute=True):
                proposal_transition(proposal=proposal, to=to, actor=actors[name], reason="maturity", feedback="TRL")
        except PermissionDenied:
            assert name not in PROPOSAL_ALLOWED[who], (name, move)
            proposal.refresh_from_db()
            assert proposal.status == start
        else:
            assert name in PROPOSAL_ALLOWED[who], (name, move)
            proposal.refresh_from_db()
            assert proposal.status == to
            assert proposal.transitions.get().actor == actors[name]
        Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.WITHDRAWN)


def test_a_rejection_needs_a_reason_and_the_startup_is_told_in_its_language(
    actors, make_need, django_capture_on_commit_callbacks
):
    need = make_need()
    proposal = proposal_in(ProposalStatus.UNDER_REVIEW, need, actors["_startup"], actors["startup_member"])
    with pytest.raises(ValidationError):
        proposal_transition(proposal=proposal, to=ProposalStatus.REJECTED, actor=actors["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        proposal_transition(
            proposal=proposal,
            to=ProposalStatus.REJECTED,
            actor=actors["reviewer"],
            reason="maturity",
            feedback="実証試験の結果を添えて再提案してください。",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [actors["startup_member"].email]
    assert "Not selected" in message.subject  # the member prefers English
    assert "実証試験の結果を添えて再提案してください。" in message.body


def test_submission_tells_the_owning_unit_in_japanese(actors, make_need, django_capture_on_commit_callbacks):
    need = make_need()
    proposal = proposal_create(
        need=need, startup=actors["_startup"], data={"title": "探知", "summary": "概要"}, actor=actors["startup_member"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        proposal_transition(proposal=proposal, to=ProposalStatus.SUBMITTED, actor=actors["startup_member"])
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "提出" in by_recipient[actors["owning_author"].email].subject
    assert "Submitted" in by_recipient[actors["startup_member"].email].subject


def test_a_proposal_after_the_deadline_is_refused(actors, make_need):
    need = make_need()
    proposal = proposal_create(
        need=need, startup=actors["_startup"], data={"title": "探知", "summary": "概要"}, actor=actors["startup_member"]
    )
    need.proposal_deadline = timezone.now() - timedelta(minutes=1)
    need.save()
    with pytest.raises(ValidationError):
        proposal_transition(proposal=proposal, to=ProposalStatus.SUBMITTED, actor=actors["startup_member"])
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    with pytest.raises(ValidationError):
        proposal_create(need=need, startup=actors["_startup"], data={"title": "2", "summary": "s"},
                        actor=actors["startup_member"])  # fmt: skip


def test_one_open_proposal_per_startup_and_need(actors, make_need):
    need = make_need()
    data = {"title": "探知", "summary": "概要"}
    proposal_create(need=need, startup=actors["_startup"], data=data, actor=actors["startup_member"])
    with pytest.raises(ValidationError):
        proposal_create(need=need, startup=actors["_startup"], data=data, actor=actors["startup_member"])


def test_another_startup_cannot_propose_on_behalf_of_a_company(actors, make_need):
    with pytest.raises(PermissionDenied):
        proposal_create(
            need=make_need(), startup=actors["_startup"], data={"title": "t", "summary": "s"},
            actor=actors["other_startup"],
        )  # fmt: skip
