"""API adapters for needs, proposals (their transitions and evaluations) and the consultation window.

Thin: each endpoint parses input with a serializer, calls the same service as the pages, and lets the same rules
decide (needs/rules.py): a list filters by the rule that a detail checks.
"""

from needs.api.consultations import ConsultationViewSet
from needs.api.needs import NeedViewSet
from needs.api.proposals import ProposalViewSet

__all__ = ["ConsultationViewSet", "NeedViewSet", "ProposalViewSet"]
