"""`needs/`: the needs board (anyone reads what needs.rules lets them see), authoring and transitions."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, filters, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from needs import selectors
from needs.api.base import service_errors
from needs.enums import NeedStatus
from needs.filters import NeedFilterSet
from needs.models import Need
from needs.reads import need_read
from needs.services.needs import need_create, need_transition, need_update
from seeds.models import TechField

READ_ACTIONS = {"list", "retrieve", "metadata"}


class NeedSerializer(serializers.ModelSerializer):
    tech_fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    owner_unit = serializers.CharField(source="owner_unit.unit_code", read_only=True, help_text=_("Unit code"))

    class Meta:
        model = Need
        fields = [
            "id",
            "ref",
            "title",
            "description",
            "desired_capabilities",
            "tech_fields",
            "min_trl",
            "owner_unit",
            "pathway",
            "visibility",
            "proposal_deadline",
            "status",
            "published_at",
        ]
        read_only_fields = fields


class NeedWriteSerializer(serializers.ModelSerializer):
    """What a need author writes; the owning unit is the author's own, the reference is allocated."""

    tech_fields = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=TechField.objects.all(), required=False
    )

    class Meta:
        model = Need
        fields = [
            "title",
            "description",
            "desired_capabilities",
            "tech_fields",
            "min_trl",
            "pathway",
            "visibility",
            "proposal_deadline",
        ]

    def create(self, validated_data):
        user = self.context["request"].user
        if user.organisation is None:
            raise exceptions.PermissionDenied(_("Your account belongs to no unit."))
        tech_fields = validated_data.pop("tech_fields", [])
        with service_errors():
            return need_create(data=validated_data, tech_fields=tech_fields, owner_unit=user.organisation, actor=user)

    def update(self, need, validated_data):
        tech_fields = validated_data.pop("tech_fields", None)
        with service_errors():
            return need_update(
                need=need, data=validated_data, tech_fields=tech_fields, actor=self.context["request"].user
            )

    def to_representation(self, need):
        return NeedSerializer(need, context=self.context).data


class NeedTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=NeedStatus.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NeedAccess(BasePermission):
    """Reading is for anyone (the queryset applies needs.rules); authoring for need authors; editing a draft for
    its unit's authors; a transition is decided by `need_transition` for the signed-in."""

    def has_permission(self, request, view) -> bool:
        if view.action in READ_ACTIONS:
            return True
        if view.action == "create":
            return request.user.has_perm("needs.create_need")
        return bool(request.user.is_authenticated)

    def has_object_permission(self, request, view, need) -> bool:
        if view.action in ("update", "partial_update"):
            return request.user.has_perm("needs.edit_need", need)
        return True


@extend_schema_view(
    list=extend_schema(description="Needs the caller may see: anonymous clients the published and closed public ones."),
    create=extend_schema(request=NeedWriteSerializer, responses={201: NeedSerializer}),
    update=extend_schema(request=NeedWriteSerializer, responses={200: NeedSerializer}),
    partial_update=extend_schema(request=NeedWriteSerializer, responses={200: NeedSerializer}),
)
class NeedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Defense needs, each with its natural key `ref`; the same visibility as the needs board (DESIGN.md §3)."""

    permission_classes = [NeedAccess]
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = NeedFilterSet
    ordering_fields = ["proposal_deadline", "published_at", "ref"]
    queryset = Need.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return selectors.need_list(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        need = self.get_object()
        need_read(need=need, user=request.user, via="api")
        return Response(self.get_serializer(need).data)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return NeedWriteSerializer
        if self.action == "transition":
            return NeedTransitionSerializer
        return NeedSerializer

    @extend_schema(request=NeedTransitionSerializer, responses={200: NeedSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None, format=None):  # DRF passes a format suffix by this name
        """Move the need (submit, publish, return to draft with a comment, close, withdraw) if the caller's role
        allows it: 403 otherwise, 400 for a move that is not possible from the need's status."""
        need = self.get_object()
        data = NeedTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            need_transition(
                need=need, to=data.validated_data["to"], actor=request.user, comment=data.validated_data["comment"]
            )
        need.refresh_from_db()
        return Response(NeedSerializer(need, context={"request": request}).data)
