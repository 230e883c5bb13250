"""`programs/` (the public catalogue, with the catalogue page's filters) and `startups/{id}/programs/` (the
programmes a startup may apply to, ranked, with each rule's verdict): government users and the startup's own
members; 404 for anyone else, as for a startup's matches."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, viewsets
from rest_framework.permissions import AllowAny

from needs.enums import Pathway
from programs import clock
from programs.enums import EligibilityStatus, ProgramCategory, RuleStatus
from programs.forms import CatalogueFilterForm
from programs.models import SupportProgram
from programs.selectors import catalogue as selectors
from programs.services import EDITABLE_FIELDS
from seeds.enums import StartupStage
from seeds.models import Startup


class WindowSerializer(serializers.Serializer):
    open_now = serializers.BooleanField(help_text=_("Applications accepted today (Japan time)"))
    next_deadline = serializers.DateField(allow_null=True)
    next_opening = serializers.DateField(allow_null=True)


class ProgramSerializer(serializers.ModelSerializer):
    """A programme with its figures; amounts in whole yen, `rate` the fraction of `rate_text` (2/3 → 0.6667)."""

    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True, help_text=_("The name in the response's language"))
    applications = serializers.SerializerMethodField()

    class Meta:
        model = SupportProgram
        # What curators edit (services.EDITABLE_FIELDS), plus the localised name, the rate as a fraction and
        # today's application state.
        fields = [
            "id",
            "name",
            *(name for name in EDITABLE_FIELDS if name not in ("position", "is_active")),
            "rate",
            "applications",
        ]

    @extend_schema_field(WindowSerializer)
    def get_applications(self, program) -> dict:
        window = getattr(program, "window", None) or selectors.window_state(program, today=clock.today())
        return WindowSerializer(window).data


FILTERS = [
    OpenApiParameter("category", OpenApiTypes.STR, enum=ProgramCategory.values),
    OpenApiParameter("stage", OpenApiTypes.STR, enum=StartupStage.values, description="Targets this stage"),
    OpenApiParameter("pathway", OpenApiTypes.STR, enum=Pathway.values, description="Linked to this pathway"),
    OpenApiParameter("open_now", OpenApiTypes.BOOL, description="Accepting applications today (Japan time)"),
]


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class ProgramViewSet(viewsets.ReadOnlyModelViewSet):
    """The support-programme catalogue: public, like its pages."""

    serializer_class = ProgramSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    filter_backends: list = []
    queryset = SupportProgram.objects.none()  # for the schema; requests use get_queryset / list

    def get_queryset(self):
        return selectors.program_queryset()

    def list(self, request, *args, **kwargs):
        form = CatalogueFilterForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        rows = selectors.catalogue(filters=form.to_filters())
        for row in rows:
            row.program.window = row.window
        page = self.paginate_queryset([row.program for row in rows])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RuleResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=RuleStatus.choices)
    required = serializers.BooleanField(help_text=_("False for an advantage, which never excludes"))
    reason = serializers.CharField(source="text", help_text=_("Why, in the response's language"))
    note = serializers.CharField()
    field = serializers.CharField(help_text=_("For an unknown rule: the profile field that would settle it"))


class ProgramSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = SupportProgram
        fields = ["id", "code", "name", "category", "max_amount_yen", "rate_text"]


class StartupProgramSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    status = serializers.ChoiceField(choices=EligibilityStatus.choices)
    program = ProgramSummarySerializer()
    applications = WindowSerializer(source="window")
    rules = RuleResultSerializer(source="results", many=True)


@extend_schema(
    parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The startup's id")]
)
class StartupProgramsView(generics.ListAPIView):
    """The programmes a startup may apply to (eligible, or undecided for want of profile data), best first,
    with each rule met / unmet / unknown and why. Government users and the startup's own members; 404 for
    anyone else."""

    serializer_class = StartupProgramSerializer
    filter_backends: list = []
    queryset = SupportProgram.objects.none()

    def list(self, request, *args, **kwargs):
        startup = Startup.objects.prefetch_related("designations").filter(pk=self.kwargs["pk"]).first()
        if startup is None or not request.user.has_perm("programs.view_startup_programs", startup):
            raise Http404
        items = selectors.startup_recommendations(startup=startup)
        page = self.paginate_queryset(items)
        first = self.paginator.page.start_index() or 1
        rows = [
            {
                "rank": rank,
                "status": item.status,
                "program": item.program,
                "window": item.window,
                "results": item.results,
            }
            for rank, item in enumerate(page, start=first)
        ]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
