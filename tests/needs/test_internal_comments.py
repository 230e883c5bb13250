"""A proposal's transition comments stay on the government side; the startup reads the feedback (issue 13, #12).

On every kind of proposal transition a canary comment is written by whoever may make the move; it must appear in
no page, API answer or e-mail that a member of the startup receives, while the unit still reads it and the
rejection feedback still reaches the startup everywhere.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from needs.enums import ProposalStatus
from needs.models import Proposal
from needs.proposal_forms import BulkTransitionForm, CommentForm, RejectionForm, TransitionForm
from needs.services.proposals import PROPOSAL_TRANSITIONS, proposal_create, proposal_transition

CANARY = "内部メモ-CANARY-7f3a"
FEEDBACK = "実証データを添えて再提案してください-FEEDBACK-19c2"
# Who makes each kind of move in these tests.
MOVER = {"startup": "owner", "unit": "author", "reviewer": "reviewer"}


def a_proposal_in(world, make_need, status: str) -> Proposal:
    proposal = proposal_create(
        need=make_need(), startup=world["startup_a"], data={"title": "探知レーダー", "summary": "概要"},
        actor=world["owner"],
    )  # fmt: skip
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    return proposal


def startup_sees(world, proposal: Proposal) -> str:
    """Everything a member of the startup is shown about the proposal: its pages and the API."""
    client = Client()
    client.force_login(world["owner"])
    pages = [
        reverse("needs:proposal_detail", args=[proposal.pk]),
        reverse("needs:my_proposals"),
        reverse("needs:need_detail", args=[proposal.need_id]),
        "/",
    ]
    api = APIClient()
    api.force_authenticate(world["owner"])
    answers = [api.get("/api/v1/proposals/"), api.get(f"/api/v1/proposals/{proposal.pk}/")]
    texts = [client.get(url).content.decode() for url in pages] + [answer.content.decode() for answer in answers]
    return "\n".join(texts)


def mail_to(user) -> str:
    return "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox if user.email in m.to)


@pytest.mark.parametrize(("move", "who"), list(PROPOSAL_TRANSITIONS.items()), ids=lambda value: str(value))
def test_an_internal_comment_never_reaches_the_startup_and_the_feedback_does(
    world, make_need, django_capture_on_commit_callbacks, move, who
):
    start, to = move
    proposal = a_proposal_in(world, make_need, start)
    extra = {"reason": "maturity", "feedback": FEEDBACK} if to == ProposalStatus.REJECTED else {}
    with django_capture_on_commit_callbacks(execute=True):
        proposal_transition(proposal=proposal, to=to, actor=world[MOVER[who]], comment=CANARY, **extra)

    seen, mailed = startup_sees(world, proposal), mail_to(world["owner"])
    assert mailed, "the startup is told of every move"
    assert CANARY not in seen
    assert CANARY not in mailed
    if to == ProposalStatus.REJECTED:
        assert FEEDBACK in seen
        assert FEEDBACK in mailed
    reviewer = Client()
    reviewer.force_login(world["reviewer"])
    assert CANARY in reviewer.get(reverse("needs:proposal_detail", args=[proposal.pk])).content.decode()


@translation.override("en")
def test_the_forms_say_which_field_the_startup_reads():
    forms = [CommentForm(), RejectionForm(), BulkTransitionForm(proposals=Proposal.objects.none()), TransitionForm()]
    for form in forms:
        assert "never shown to the startup" in str(form.fields["comment"].label)
    for form in forms[1:]:
        assert "feedback to the startup" in str(form.fields["feedback"].label).lower()
