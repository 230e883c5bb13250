"""Needs and proposals with dated transition records, for the funnel tests and the browser journey."""

from datetime import timedelta

from django.utils import timezone

from accounts.enums import OrganisationKind, UnitCode
from accounts.models import Organisation
from needs.enums import NeedStatus, Pathway, ProposalStatus, Visibility
from needs.models import Need, Proposal, ProposalTransition
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

    def proposal(self, need: Need, final: str, *, startup=None, days: int = 3) -> Proposal:
        """A proposal that went through PATHS[final], `days` days in each status (draft if final is draft)."""
        startup = startup or StartupFactory()
        start = timezone.now() - timedelta(days=60)
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
