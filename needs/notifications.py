"""E-mails about proposals, each rendered in its recipient's language."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from accounts.enums import RoleCode
from needs.enums import ProposalStatus
from needs.models import ProposalTransition
from needs.rules import can_read_internal_comments

# Moves the owning unit hears about; the startup hears about every move (its own submission as a receipt).
UNIT_NOTIFIED = {ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN}


def proposal_transition_recipients(transition: ProposalTransition) -> list:
    User = get_user_model()
    proposal = transition.proposal
    recipients = []
    if proposal.startup.organisation_id:
        recipients += list(
            User.objects.filter(
                organisation_id=proposal.startup.organisation_id,
                roles__code=RoleCode.STARTUP_MEMBER,
                is_active=True,
                email_verified_at__isnull=False,
            )
        )
    if transition.to_status in UNIT_NOTIFIED:
        recipients += list(
            User.objects.filter(
                organisation_id=proposal.need.owner_unit_id,
                roles__code=RoleCode.NEED_AUTHOR,
                is_active=True,
                email_verified_at__isnull=False,
            )
        )
    unique = {user.pk: user for user in recipients}
    return list(unique.values())


def proposal_transition_send(transition: ProposalTransition) -> int:
    """Send one e-mail per recipient, in that recipient's language; returns how many went out."""
    proposal = transition.proposal
    link = settings.SITE_URL + reverse("needs:proposal_detail", args=[proposal.pk])
    sent = 0
    for user in proposal_transition_recipients(transition):
        # The comment is internal: the startup's members read the status, the reason and the feedback only.
        comment = transition.comment if can_read_internal_comments(user, proposal) else ""
        with translation.override(user.preferred_language):
            status = ProposalStatus(transition.to_status).label
            subject = gettext("Proposal “%(title)s”: %(status)s") % {"title": proposal.title, "status": status}
            context = {"user": user, "proposal": proposal, "status": status, "comment": comment, "link": link}
            body = render_to_string("needs/email/proposal_transition.txt", {**context, "transition": transition})
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent


def _active(users):
    return users.filter(is_active=True, email_verified_at__isnull=False).distinct()


def _send_each(users, *, subject, template: str, context: dict) -> int:
    """One e-mail per user, subject and body rendered in that user's language (subject: a lazy translation)."""
    sent = 0
    for user in users:
        with translation.override(user.preferred_language):
            body = render_to_string(template, {**context, "user": user})
            send_mail(str(subject) % context, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent


def need_transition_send(transition) -> int:
    """Reviewers hear of needs waiting for review, while they still wait (an import submits and publishes at
    once); the owning unit's authors of every later move. Whoever made the move is not told about it."""
    from needs.enums import NeedStatus

    User = get_user_model()
    need = transition.need
    if transition.to_status == NeedStatus.SUBMITTED:
        if need.status != NeedStatus.SUBMITTED:
            return 0
        users = User.objects.filter(roles__code=RoleCode.NEED_REVIEWER)
    elif transition.from_status:
        users = User.objects.filter(organisation_id=need.owner_unit_id, roles__code=RoleCode.NEED_AUTHOR)
    else:
        return 0
    if transition.actor_id:
        users = users.exclude(pk=transition.actor_id)
    context = {
        "need": need,
        "transition": transition,
        "ref": need.ref,
        "link": settings.SITE_URL + reverse("needs:need_detail", args=[need.pk]),
    }
    return _send_each(
        _active(users),
        subject=gettext_lazy("Need %(ref)s: status changed"),
        template="needs/email/need_transition.txt",
        context=context,
    )


def question_send(question) -> int:
    """A new question goes to the owning unit's authors; an answer goes back to whoever asked."""
    User = get_user_model()
    need = question.need
    if question.answer:
        users = User.objects.filter(pk=question.asked_by_id)
        subject = gettext_lazy("Your question on need %(ref)s was answered")
    else:
        users = User.objects.filter(organisation_id=need.owner_unit_id, roles__code=RoleCode.NEED_AUTHOR)
        subject = gettext_lazy("New question on need %(ref)s")
    context = {
        "need": need,
        "question": question,
        "ref": need.ref,
        "link": settings.SITE_URL + reverse("needs:need_detail", args=[need.pk]),
    }
    return _send_each(_active(users), subject=subject, template="needs/email/question.txt", context=context)


def evaluators_send(need, user_ids: list[int]) -> int:
    users = get_user_model().objects.filter(pk__in=user_ids)
    context = {"need": need, "ref": need.ref, "link": settings.SITE_URL + reverse("needs:my_evaluations")}
    return _send_each(
        _active(users),
        subject=gettext_lazy("You evaluate the proposals to need %(ref)s"),
        template="needs/email/evaluator_assigned.txt",
        context=context,
    )
