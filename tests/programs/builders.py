"""Needs and proposals with dated transition records, and joint meetings with their appointments, for the funnel
tests and the browser journey."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.enums import OrganisationKind, UnitCode
from accounts.models import Organisation
from matchmaking.meetings.enums import InvitationStatus, MeetingStatus
from matchmaking.models import Appointment, Invitation, JointMeeting, MeetingDay, MeetingRoom, MeetingUnit
from needs.enums import NeedStatus, Pathway, ProposalStatus, Visibility
from needs.models import Need, Proposal, ProposalTransition
from programs.clock import TOKYO
from tests.factories import StartupFactory


def unit_for(code: str) -> Organisation:
    return Organisation.objects.get_or_create(
        unit_code=code,
        defaults={"name": f"{code} 幕僚監部", "name_en": f"{code} staff", "kind": OrganisationKind.MOD_UNIT},
    )[0]


class FunnelBuilder:
    """Needs and proposals with transition records dated as a real pipeline would leave them."""

    PATHS = {
        ProposalStatus.SUBMITTED: [ProposalStatus.SUBMITTED],
        ProposalStatus.UNDER_REVIEW: [ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW],
        ProposalStatus.SHORTLISTED: [ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW, ProposalStatus.SHORTLISTED],
        ProposalStatus.PITCH: [
            ProposalStatus.SUBMITTED,
            ProposalStatus.UNDER_REVIEW,
            ProposalStatus.SHORTLISTED,
            ProposalStatus.PITCH,
        ],
        # Selected straight from review: the pipeline allows skipping the shortlist and the pitch.
        ProposalStatus.SELECTED: [ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW, ProposalStatus.SELECTED],
        ProposalStatus.CONTRACTED: [
            ProposalStatus.SUBMITTED,
            ProposalStatus.UNDER_REVIEW,
            ProposalStatus.SHORTLISTED,
            ProposalStatus.PITCH,
            ProposalStatus.SELECTED,
            ProposalStatus.CONTRACTED,
        ],
        ProposalStatus.REJECTED: [ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW, ProposalStatus.REJECTED],
    }

    def __init__(self):
        self.count = 0
        self.meetings = 0

    def need(self, *, unit=UnitCode.GSDF, fields=(), published=None, status=NeedStatus.PUBLISHED) -> Need:
        self.count += 1
        need = Need.objects.create(
            ref=f"F-{self.count:04d}",
            title=f"ファネル試験ニーズ{self.count}",
            description="試験",
            owner_unit=unit_for(unit),
            pathway=Pathway.TECH_PROPOSAL,
            visibility=Visibility.PUBLIC,
            status=status,
            published_at=published,
        )
        if fields:
            from seeds.models import TechField

            need.tech_fields.set(TechField.objects.filter(code__in=fields))
        return need

    def proposal(self, need: Need, final: str, *, startup=None, days: int = 3, submitted=None) -> Proposal:
        """A proposal that went through PATHS[final], `days` days in each status (draft if final is draft),
        submitted at `submitted` (default 60 days ago)."""
        startup = startup or StartupFactory()
        start = submitted or timezone.now() - timedelta(days=60)
        path = self.PATHS.get(final, [])
        proposal = Proposal.objects.create(
            need=need,
            startup=startup,
            title="提案",
            summary="概要",
            status=final,
            submitted_at=start if path else None,
        )
        previous = ProposalStatus.DRAFT
        for step, status in enumerate(path):
            transition = ProposalTransition.objects.create(proposal=proposal, from_status=previous, to_status=status)
            ProposalTransition.objects.filter(pk=transition.pk).update(at=start + timedelta(days=days * step))
            previous = status
        return proposal

    def meeting(self, *, day, status=MeetingStatus.HELD, met=()) -> JointMeeting:
        """A one-day meeting on `day` in which each (startup, unit code) of `met` had an appointment."""
        self.meetings += 1
        meeting = JointMeeting.objects.create(
            number=self.meetings, title=f"第{self.meetings}回 合同推進会", status=status
        )
        MeetingDay.objects.create(meeting=meeting, date=day, opens_at=time(10), closes_at=time(17))
        room = MeetingRoom.objects.create(meeting=meeting, name="A")
        invitations, units = {}, {}
        for slot, (startup, code) in enumerate(met):
            if startup.pk not in invitations:
                invitations[startup.pk] = Invitation.objects.create(
                    meeting=meeting, startup=startup, status=InvitationStatus.ACCEPTED
                )
            if code not in units:
                units[code] = MeetingUnit.objects.create(meeting=meeting, unit=unit_for(code)).unit
            starts = datetime.combine(day, time(10), tzinfo=TOKYO) + timedelta(minutes=30 * slot)
            Appointment.objects.create(
                meeting=meeting,
                invitation=invitations[startup.pk],
                unit=units[code],
                room=room,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=30),
            )
        return meeting
