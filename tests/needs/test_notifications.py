"""Who hears about need moves, questions and evaluator assignments, and the evaluator's worklist."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from needs.enums import NeedStatus, ProposalStatus
from needs.models import Proposal
from needs.services.needs import need_transition, question_answer, question_ask
from needs.services.proposals import need_set_evaluators
from tests.factories import StartupFactory, UserFactory


@pytest.fixture
def people(unit):
    bureau = Organisation.objects.create(
        name="内部部局", kind=OrganisationKind.MOD_UNIT, unit_code=UnitCode.INTERNAL_BUREAU
    )
    member = UserFactory(roles=[RoleCode.STARTUP_MEMBER], preferred_language="en")
    return {
        "author": UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR]),
        "colleague": UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR], preferred_language="en"),
        "reviewer": UserFactory(organisation=bureau, roles=[RoleCode.NEED_REVIEWER]),
        "member": member,
        "startup": StartupFactory(organisation=member.organisation),
    }


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_reviewers_hear_of_a_submitted_need_and_the_unit_of_its_publication(
    people, make_need, django_capture_on_commit_callbacks
):
    need = make_need(status=NeedStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        need_transition(need=need, to=NeedStatus.SUBMITTED, actor=people["author"])
    assert recipients() == {people["reviewer"].email}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        need_transition(need=need, to=NeedStatus.PUBLISHED, actor=people["reviewer"])
    assert recipients() == {people["author"].email, people["colleague"].email}
    english = next(message for message in mail.outbox if message.to == [people["colleague"].email])
    assert english.subject == f"Need {need.ref}: status changed"


def test_questions_reach_the_unit_and_answers_reach_the_asker_only(
    people, make_need, django_capture_on_commit_callbacks
):
    need = make_need()
    with django_capture_on_commit_callbacks(execute=True):
        question = question_ask(need=need, question="夜間の運用は想定していますか。", actor=people["member"])
    assert recipients() == {people["author"].email, people["colleague"].email}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        question_answer(question=question, answer="はい、夜間も想定しています。", actor=people["author"])
    assert [message.to for message in mail.outbox] == [[people["member"].email]]
    assert mail.outbox[0].subject == f"Your question on need {need.ref} was answered"


def test_new_evaluators_are_told_and_find_their_proposals_in_the_worklist(
    people, make_need, client, django_capture_on_commit_callbacks
):
    need = make_need()
    proposal = Proposal.objects.create(
        need=need, startup=people["startup"], title="探知レーダー", summary="概要", status=ProposalStatus.UNDER_REVIEW
    )
    with django_capture_on_commit_callbacks(execute=True):
        need_set_evaluators(need=need, evaluators=[people["colleague"]], actor=people["author"])
    assert recipients() == {people["colleague"].email}
    client.force_login(people["colleague"])
    page = client.get(reverse("needs:my_evaluations"))
    assert [row.pk for row in page.context["page"]] == [proposal.pk]
    client.force_login(people["member"])
    assert client.get(reverse("needs:my_evaluations")).status_code == 403
