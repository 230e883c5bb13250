"""`proposals/`: a startup's proposals to needs, their pipeline (`transition/`) and evaluation (`evaluations/`).

Reading is `needs.rules.proposal_visibility_q`: the submitting startup, the owning unit, MOD reviewers, the need's
evaluators and admins; never another startup, which gets 404 for a proposal id it guesses. Writes go through
needs/services/proposals.py, which decides who may do what (403 with its message otherwise).
"""

from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, filters, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.rules import is_startup_member
from needs import selectors
from needs.api.base import service_errors
from needs.enums import Criterion, ProposalStatus, RejectionReason
from needs.filters import ProposalFilterSet
from needs.models import Evaluation, Need, Proposal
from needs.reads import proposal_read
from needs.rules import need_visibility_q
from needs.services.proposals import (
    PROPOSAL_FIELDS,
    ProposalConflict,
    evaluation_declare_conflict,
    evaluation_save,
    proposal_create,
    proposal_transition,
    proposal_update,
)
from seeds.models import Startup

# --- Output ----------------------------------------------------------------------------------------------


class ProposalNeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Need
        fields = ["id", "ref", "title"]
        read_only_fields = fields


class ProposalStartupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Startup
        fields = ["id", "corporate_number", "name", "name_en"]
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer):
    need = ProposalNeedSerializer(read_only=True)
    startup = ProposalStartupSerializer(read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "need",
            "startup",
            *PROPOSAL_FIELDS,
            "status",
            "rejection_reason",
            "feedback",
            "submitted_at",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):
    evaluator_name = serializers.CharField(source="evaluator.full_name", read_only=True)
    scores = serializers.DictField(child=serializers.IntegerField(), read_only=True, help_text=_("Criterion → 1–5"))

    class Meta:
        model = Evaluation
        fields = ["id", "evaluator", "evaluator_name", "scores", "comment", "conflict_of_interest", "updated_at"]
        read_only_fields = fields


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with a change made at the same moment.")
    default_code = "conflict"


# --- Input -----------------------------------------------------------------------------------------------


class ProposalUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = PROPOSAL_FIELDS

    def update(self, proposal, validated_data):
        with service_errors():
            return proposal_update(proposal=proposal, data=validated_data, actor=self.context["request"].user)

    def to_representation(self, proposal):
        return ProposalSerializer(proposal, context=self.context).data


class ProposalCreateSerializer(ProposalUpdateSerializer):
    """A draft proposal of the caller's own company to a need the caller may see."""

    need = serializers.PrimaryKeyRelatedField(queryset=Need.objects.none(), help_text=_("The need's id"))

    class Meta(ProposalUpdateSerializer.Meta):
        fields = ["need", *PROPOSAL_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A need the caller may not see does not exist for them (400 "does not exist", never a hint).
            self.fields["need"].queryset = Need.objects.filter(need_visibility_q(request.user))

    def create(self, validated_data):
        user = self.context["request"].user
        startup = Startup.objects.filter(organisation_id=user.organisation_id).first()
        if startup is None:
            raise exceptions.PermissionDenied(
                _("Your organisation manages no company in the startup registry yet: claim it first.")
            )
        need = validated_data.pop("need")
        with service_errors():
            try:
                return proposal_create(need=need, startup=startup, data=validated_data, actor=user)
            except ProposalConflict as conflict:
                raise Conflict(" ".join(conflict.messages)) from conflict


class ProposalTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ProposalStatus.choices)
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    reason = serializers.ChoiceField(
        choices=RejectionReason.choices, required=False, allow_blank=True, default="", help_text=_("For a rejection")
    )
    feedback = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("For a rejection; the startup sees it"),
    )


class EvaluationInputSerializer(serializers.Serializer):
    """Scores 1–5 on every criterion, or a conflict-of-interest declaration (which removes the evaluator's
    scores from the proposal's totals)."""

    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        required=False,
        help_text=format_lazy("{} {}", _("Criterion → 1–5, for every criterion:"), ", ".join(Criterion.values)),
    )
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    conflict_of_interest = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        if data["conflict_of_interest"]:
            return data
        scores = data.get("scores") or {}
        unknown = sorted(set(scores) - set(Criterion.values))
        missing = [criterion for criterion in Criterion.values if criterion not in scores]
        if unknown:
            raise serializers.ValidationError(
                {"scores": _("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown)}}
            )
        if missing:
            raise serializers.ValidationError(
                {"scores": _("Score every criterion; missing: %(codes)s.") % {"codes": ", ".join(missing)}}
            )
        return data


# --- The endpoint ----------------------------------------------------------------------------------------


class ProposalAccess(BasePermission):
    """Signed-in users only; creating is for startup members. Everything else: the queryset (what the caller may
    see) and then the services (what the caller may do)."""

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False
        if view.action == "create":
            return bool(is_startup_member(request.user))
        return True


def evaluations_visible_to(user, proposal: Proposal) -> QuerySet[Evaluation] | None:
    """The owning unit and MOD reviewers see every evaluation; an evaluator only their own, so that each scores
    independently; anyone else (the startup above all) none: None."""
    evaluations = proposal.evaluations.select_related("evaluator").order_by("pk")
    if user.has_perm("needs.manage_proposals", proposal.need):  # as the ranking page
        return evaluations
    if user.has_perm("needs.evaluate_proposal", proposal):  # as the evaluation form
        return evaluations.filter(evaluator=user)
    return None


@extend_schema_view(
    create=extend_schema(request=ProposalCreateSerializer, responses={201: ProposalSerializer}),
    update=extend_schema(request=ProposalUpdateSerializer, responses={200: ProposalSerializer}),
    partial_update=extend_schema(request=ProposalUpdateSerializer, responses={200: ProposalSerializer}),
)
class ProposalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Technical proposals to needs: a startup sees its own; the owning unit, MOD reviewers, the need's evaluators
    and admins those past their draft (DESIGN.md §3)."""

    permission_classes = [ProposalAccess]
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ProposalFilterSet
    ordering_fields = ["submitted_at", "created_at", "updated_at"]
    queryset = Proposal.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return selectors.proposal_list(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        proposal = self.get_object()
        proposal_read(proposal=proposal, user=request.user, via="api")
        return Response(self.get_serializer(proposal).data)

    def get_serializer_class(self):
        if self.action == "create":
            return ProposalCreateSerializer
        if self.action in ("update", "partial_update"):
            return ProposalUpdateSerializer
        if self.action == "transition":
            return ProposalTransitionSerializer
        if self.action == "evaluations":
            return EvaluationInputSerializer if self.request.method == "POST" else EvaluationSerializer
        return ProposalSerializer

    @extend_schema(request=ProposalTransitionSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None, format=None):  # DRF passes a format suffix by this name
        """Move the proposal along its pipeline if the caller's role allows it (403 otherwise; 400 for a move not
        possible from its status, or a rejection without a reason). The startup is notified by e-mail."""
        proposal = self.get_object()
        data = ProposalTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            proposal_transition(proposal=proposal, actor=request.user, **data.validated_data)
        proposal.refresh_from_db()
        return Response(ProposalSerializer(proposal, context={"request": request}).data)

    @extend_schema(methods=["GET"], request=None, responses={200: EvaluationSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request=EvaluationInputSerializer,
        responses={200: EvaluationSerializer, 201: EvaluationSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def evaluations(self, request, pk=None, format=None):  # DRF passes a format suffix by this name
        """GET: the evaluations the caller may read (the owning unit and reviewers all of them, an evaluator their
        own; 403 for anyone else, the startup included). POST: the caller's own scores, or a conflict-of-interest
        declaration; only for the need's evaluators, while the proposal is under review, shortlisted or at pitch."""
        proposal = self.get_object()
        if request.method == "POST":
            return self._evaluate(request, proposal)
        evaluations = evaluations_visible_to(request.user, proposal)
        if evaluations is None:
            raise exceptions.PermissionDenied(_("Evaluations are read by the owning unit and the evaluators only."))
        return Response(EvaluationSerializer(evaluations, many=True).data)

    def _evaluate(self, request, proposal: Proposal) -> Response:
        data = EvaluationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        existed = Evaluation.objects.filter(proposal=proposal, evaluator=request.user).exists()
        values = data.validated_data
        with service_errors():
            if values["conflict_of_interest"]:
                evaluation = evaluation_declare_conflict(
                    proposal=proposal, evaluator=request.user, note=values["comment"]
                )
            else:
                evaluation = evaluation_save(
                    proposal=proposal, evaluator=request.user, scores=values["scores"], comment=values["comment"]
                )
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(EvaluationSerializer(evaluation).data, status=code)
