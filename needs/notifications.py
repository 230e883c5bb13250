"""E-mails about proposals, each rendered in its recipient's language."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.enums import RoleCode
from needs.enums import ProposalStatus
from needs.models import ProposalTransition

# Moves the owning unit hears about; the startup hears about every move made by someone else.
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
        with translation.override(user.preferred_language):
            status = ProposalStatus(transition.to_status).label
            subject = gettext("Proposal “%(title)s”: %(status)s") % {"title": proposal.title, "status": status}
            body = render_to_string(
                "needs/email/proposal_transition.txt",
                {"user": user, "proposal": proposal, "transition": transition, "status": status, "link": link},
            )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent
