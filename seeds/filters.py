"""Query-string filters of the startup list API: the same filters, search and sort orders as the list page."""

import django_filters
from django.utils.translation import gettext_lazy as _

from seeds import selectors
from seeds.enums import DesignationProgram
from seeds.models import Startup, TechField
from seeds.prefectures import PREFECTURE_CHOICES


class StartupFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Keywords: every word must occur in the names, description, technologies or products"),
    )
    tech_field = django_filters.ModelChoiceFilter(
        field_name="tech_fields",
        to_field_name="code",
        queryset=TechField.objects.all(),
        distinct=True,
        label=_("Technology field (code)"),
    )
    trl_min = django_filters.NumberFilter(field_name="trl", lookup_expr="gte", min_value=1, max_value=9)
    trl_max = django_filters.NumberFilter(field_name="trl", lookup_expr="lte", min_value=1, max_value=9)
    program = django_filters.ChoiceFilter(
        field_name="designations__program", choices=DesignationProgram.choices, distinct=True
    )
    prefecture = django_filters.ChoiceFilter(choices=PREFECTURE_CHOICES)
    # The list page's sort keys (selectors.SORTS), so that a link and an API call order alike.
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering", choices=[(key, key) for key in selectors.SORTS], empty_label=None
    )

    class Meta:
        model = Startup
        fields = ["q", "tech_field", "trl_min", "trl_max", "program", "prefecture", "ordering"]

    def filter_q(self, queryset, name, value):
        return selectors.startup_search(queryset, value)

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*selectors.SORTS[value])
