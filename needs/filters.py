"""Query-string filters of the needs, proposals and consultations APIs: the needs board's filters
(selectors.NeedFilters), applied to a queryset the visibility rule has already narrowed."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.enums import UnitCode
from core.params import MAX_ID
from needs.enums import ConsultationStatus, NeedStatus, Pathway, ProposalStatus
from needs.models import ConsultationRequest, Need, Proposal
from seeds.models import TechField, normalise_for_search


class NeedFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Keywords: every word must occur in the reference, title, problem or desired capabilities"),
    )
    tech_field = django_filters.ModelChoiceFilter(
        field_name="tech_fields",
        to_field_name="code",
        queryset=TechField.objects.all(),
        distinct=True,
        label=_("Technology field (code)"),
    )
    unit = django_filters.ChoiceFilter(field_name="owner_unit__unit_code", choices=UnitCode.choices)
    pathway = django_filters.ChoiceFilter(choices=Pathway.choices)
    status = django_filters.ChoiceFilter(choices=NeedStatus.choices)
    deadline_after = django_filters.DateFilter(
        field_name="proposal_deadline", lookup_expr="date__gte", label=_("Proposal deadline on or after (date)")
    )
    deadline_before = django_filters.DateFilter(
        field_name="proposal_deadline", lookup_expr="date__lte", label=_("Proposal deadline on or before (date)")
    )

    class Meta:
        model = Need
        fields = ["q", "tech_field", "unit", "pathway", "status", "deadline_after", "deadline_before"]

    def filter_q(self, queryset, name, value):
        # As selectors.need_list searches: every normalised word must occur in the search text.
        for term in normalise_for_search(value).split():
            queryset = queryset.filter(search_text__contains=term)
        return queryset


class ProposalFilterSet(django_filters.FilterSet):
    need = django_filters.NumberFilter(field_name="need_id", label=_("Need (id)"), min_value=1, max_value=MAX_ID)
    need_ref = django_filters.CharFilter(field_name="need__ref", label=_("Need (reference)"))
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices)

    class Meta:
        model = Proposal
        fields = ["need", "need_ref", "status"]


class ConsultationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ConsultationStatus.choices)

    class Meta:
        model = ConsultationRequest
        fields = ["status"]
