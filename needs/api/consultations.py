"""`consultations/`: anyone sends a new-entry consultation (rate limited per client IP, the page's budget too);
portal admins and curators read them (`needs.triage_consultations`)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import BasePermission

from needs.api.base import service_errors
from needs.filters import ConsultationFilterSet
from needs.models import ConsultationRequest
from needs.services import consultations as services
from needs.throttles import ConsultationRateThrottle
from seeds.validators import validate_corporate_number


class ConsultationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsultationRequest
        fields = [
            "id",
            *services.SUBMITTED_FIELDS,
            "language",
            "status",
            "answer",
            "handled_by",
            "startup",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ConsultationSubmitSerializer(serializers.ModelSerializer):
    """The five items of the window (company name and summary; inquiry; technology or product; defense
    transactions or main customers and sales; contact person), and an optional corporate number."""

    corporate_number = serializers.CharField(
        max_length=13, required=False, allow_blank=True, validators=[validate_corporate_number]
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language of the e-mails to the contact person; by default the request's language."),
    )

    class Meta:
        model = ConsultationRequest
        fields = [*services.SUBMITTED_FIELDS, "language"]

    def create(self, validated_data):
        language = validated_data.pop("language", None) or translation.get_language()
        with service_errors():
            return services.consultation_submit(data=validated_data, language=language)

    def to_representation(self, consultation):
        # The submitter learns the number of the request, and nothing else comes back from the API.
        return {"id": consultation.pk, "status": consultation.status}


class ConsultationReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class ConsultationAccess(BasePermission):
    def has_permission(self, request, view) -> bool:
        if view.action == "create":
            return True
        return request.user.has_perm(services.TRIAGE_PERM)


@extend_schema_view(
    create=extend_schema(
        request=ConsultationSubmitSerializer,
        responses={201: ConsultationReceiptSerializer},
        description="Anyone, without an account. Limited per client IP (together with the web form); over the "
        "limit: 429 with Retry-After. An acknowledgement is e-mailed to `contact_email`.",
    ),
)
class ConsultationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The new-entry consultation window (新規参入相談窓口)."""

    permission_classes = [ConsultationAccess]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ConsultationFilterSet
    throttle_scope = "consultations"
    queryset = ConsultationRequest.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return services.consultation_list()

    def get_serializer_class(self):
        return ConsultationSubmitSerializer if self.action == "create" else ConsultationSerializer

    def get_throttles(self):
        return [ConsultationRateThrottle()] if self.action == "create" else []

    def perform_create(self, serializer):
        serializer.save()
        ConsultationRateThrottle().record(self.request)
