"""`needs/{id}/matches/` and `startups/{id}/matches/` (DESIGN.md §6): ranked matches with their reasons.

The same rules and selectors as the pages: a need's matches for government users who may see the need (403
for others who may see it, 404 for those who may not); a startup's matches with scores for government users,
or the needs recommended to it, without `score` and `components`, for its own members (DESIGN.md §3); 404 for
anyone else.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers

from matchmaking import selectors
from matchmaking.forms import MatchFilterForm
from matchmaking.models import MatchScore
from needs.models import Need
from seeds.enums import DesignationProgram
from seeds.models import Startup


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Reason code, e.g. shared_concepts, trl_ok, trl_short"))
    text = serializers.CharField(help_text=_("The reason as a sentence in the response's language"))


class PathwayHintSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Pathway code (early_equipment, bridging_research, …); empty if none"))
    label = serializers.CharField()
    reason = serializers.CharField()


class MatchedStartupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    corporate_number = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class MatchedNeedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ref = serializers.CharField()
    title = serializers.CharField()


class MatchItemSerializer(serializers.Serializer):
    """A `selectors.MatchRow` as the API shows it."""

    rank = serializers.IntegerField()
    score = serializers.FloatField(source="match.score", min_value=0, max_value=1)
    components = serializers.DictField(
        source="match.components", child=serializers.FloatField(), help_text=_("Score components, each in [0, 1]")
    )
    reasons = ReasonSerializer(many=True)
    pathway_hint = PathwayHintSerializer(source="pathway")


class NeedMatchSerializer(MatchItemSerializer):
    startup = MatchedStartupSerializer(source="match.startup")


class StartupMatchSerializer(MatchItemSerializer):
    """`score` and `components` only for government users: absent for the startup's own members."""

    need = MatchedNeedSerializer(source="match.need")

    def __init__(self, *args, with_scores: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].required = False
        self.fields["components"].required = False
        if not with_scores:
            self.fields.pop("score")
            self.fields.pop("components")


FILTER_PARAMETERS = [
    OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The need's id"),
    OpenApiParameter("min_trl", OpenApiTypes.INT, description="Startups with at least this TRL (1–9)"),
    OpenApiParameter("designation", OpenApiTypes.STR, enum=DesignationProgram.values, description="Designated by"),
    OpenApiParameter("prefecture", OpenApiTypes.STR, description="Prefecture as stored, e.g. 東京都"),
]


class MatchListView(generics.ListAPIView):
    """A ranked list whose reasons are computed for the rows of the page only, in one batch."""

    filter_backends: list = []
    first_rank_from_page = False

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        first = (self.paginator.page.start_index() or 1) if self.first_rank_from_page else 1
        rows = selectors.match_rows(page, first_rank=first)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


@extend_schema(parameters=FILTER_PARAMETERS)
class NeedMatchesView(MatchListView):
    """The startups ranked for a need, best first; `rank` is the place in the need's whole ranking. Government
    users who may see the need; filters: minimum TRL, designation programme, prefecture."""

    serializer_class = NeedMatchSerializer
    queryset = MatchScore.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        need = Need.objects.filter(pk=self.kwargs["pk"]).first()
        user = self.request.user
        if need is None or not user.has_perm("needs.view_need", need):
            raise Http404
        if not user.has_perm("matchmaking.view_need_matches", need):
            raise exceptions.PermissionDenied(_("Match scores are shown to government users only."))
        form = MatchFilterForm(self.request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        return selectors.need_matches(need=need, filters=form.to_filters())


@extend_schema(
    parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The startup's id")]
)
class StartupMatchesView(MatchListView):
    """The needs matched to a startup, best first. Government users: the needs they may see, with `score` and
    `components`. The startup's own members: the needs recommended to it (published, open, visible to them),
    without `score` and `components`. Anyone else: 404."""

    serializer_class = StartupMatchSerializer
    queryset = MatchScore.objects.none()
    first_rank_from_page = True

    def get_queryset(self):
        startup = Startup.objects.filter(pk=self.kwargs["pk"]).first()
        user = self.request.user
        if startup is None or not user.has_perm("matchmaking.view_startup_matches", startup):
            raise Http404
        return selectors.startup_matches(user=user, startup=startup, with_scores=self.with_scores)

    @property
    def with_scores(self) -> bool:
        return bool(self.request.user.has_perm("matchmaking.view_scores"))

    def get_serializer(self, *args, **kwargs):
        if getattr(self, "swagger_fake_view", False):
            return StartupMatchSerializer(*args, **kwargs)
        return StartupMatchSerializer(*args, with_scores=self.with_scores, **kwargs)
