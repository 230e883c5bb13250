"""API adapters for the startup registry: technology fields, and startups read and written through the services.

Visibility is the registry's own (`selectors.startup_visible_to`, `seeds.rules`); writes go through
`services.startup_create` / `startup_update`, exactly as the pages do.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny, BasePermission

from config.page_cache import cached_api_list
from seeds import selectors, services
from seeds.enums import StartupStage
from seeds.filters import StartupFilterSet
from seeds.importing import MAX_LENGTHS, MAX_TECHNOLOGIES
from seeds.models import Designation, Startup, TechField
from seeds.prefectures import PREFECTURE_CHOICES

CONTACT_FIELDS = ["contact_name", "contact_email", "contact_phone", "defense_record"]


class TechFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = TechField
        fields = ["code", "name_ja", "name_en"]


class TechFieldViewSet(viewsets.ReadOnlyModelViewSet):
    """The 20 technology fields of the taxonomy; public, like the catalogue pages."""

    queryset = TechField.objects.all()
    serializer_class = TechFieldSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    filter_backends: list = []


# --- Startups: output ----------------------------------------------------------------------------------


class DesignationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Designation
        fields = ["program", "cohort", "source_note"]


class StartupSerializer(serializers.ModelSerializer):
    """A startup as the API shows it; the contact keys only to users who may see the contact (DESIGN.md §3)."""

    tech_fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    technologies = serializers.ListField(child=serializers.CharField(), read_only=True)
    designations = DesignationSerializer(many=True, read_only=True)
    # DRF drops allow_blank from read-only model fields, and the schema would then promise a choice or an address
    # where the registry stores "" (not given): declared here with the empty value allowed.
    stage = serializers.ChoiceField(choices=StartupStage.choices, allow_blank=True, read_only=True)
    prefecture = serializers.ChoiceField(choices=PREFECTURE_CHOICES, allow_blank=True, read_only=True)
    website = serializers.CharField(read_only=True)

    class Meta:
        model = Startup
        fields = [
            "id",
            "corporate_number",
            "name",
            "name_en",
            "description",
            "technologies",
            "tech_fields",
            "trl",
            "stage",
            "prefecture",
            "founded_year",
            "employees",
            *services.ELIGIBILITY_FIELDS,  # what support programmes ask; null: unknown
            "website",
            "designations",
            "updated_at",
            *CONTACT_FIELDS,
        ]
        read_only_fields = [name for name in fields if name not in CONTACT_FIELDS]
        # Left writable-looking (but never written: this serializer only renders) so that the schema marks
        # them optional: they are absent for users who may not see them.
        extra_kwargs = {name: {"required": False} for name in CONTACT_FIELDS}

    def to_representation(self, startup):
        data = super().to_representation(startup)
        request = self.context.get("request")
        if request is None or not request.user.has_perm("seeds.view_startup_contact", startup):
            for name in CONTACT_FIELDS:
                data.pop(name, None)
        return data


# --- Startups: input -----------------------------------------------------------------------------------


class StartupUpdateSerializer(serializers.ModelSerializer):
    """What a curator may change (every field), or a startup's member (the profile fields) on a PATCH."""

    technologies = serializers.ListField(
        child=serializers.CharField(max_length=MAX_LENGTHS["technology"]),
        max_length=MAX_TECHNOLOGIES,
        required=False,
    )
    tech_fields = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=TechField.objects.all(), required=False
    )
    founded_year = serializers.IntegerField(min_value=1800, allow_null=True, required=False)

    class Meta:
        model = Startup
        fields = [*services.CURATOR_FIELDS, "tech_fields"]

    def validate_founded_year(self, value):
        if value is not None and value > timezone.localdate().year + 1:
            raise serializers.ValidationError(_("The founding year must be a year such as 2018."))
        return value

    def to_internal_value(self, data):
        # Refuse, rather than silently drop, what this user may not change: an API client must know.
        if isinstance(data, Mapping):
            errors = {}
            number = data.get("corporate_number")
            if self.instance is not None and number and number != self.instance.corporate_number:
                errors["corporate_number"] = [
                    _("The corporate number cannot be changed. Ask a curator to merge the two records.")
                ]
            if not self.context.get("as_curator", False):
                for name in sorted(set(data) & set(self.fields) - set(services.PROFILE_FIELDS)):
                    errors[name] = [_("Only a curator can change this field.")]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def update(self, startup, validated_data):
        tech_fields = validated_data.pop("tech_fields", None)
        try:
            return services.startup_update(
                startup=startup,
                data=validated_data,
                tech_fields=tech_fields,
                actor=self.context["request"].user,
                as_curator=self.context.get("as_curator", False),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error

    def to_representation(self, startup):
        return StartupSerializer(startup, context=self.context).data


class StartupCreateSerializer(StartupUpdateSerializer):
    class Meta(StartupUpdateSerializer.Meta):
        fields = ["corporate_number", *StartupUpdateSerializer.Meta.fields]

    def create(self, validated_data):
        tech_fields = validated_data.pop("tech_fields", None)
        try:
            return services.startup_create(
                data=validated_data, tech_fields=tech_fields, actor=self.context["request"].user
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error


# --- Startups: the endpoint ----------------------------------------------------------------------------


class StartupAccess(BasePermission):
    """Reading is the registry's visibility (the queryset, and `seeds.view_startup` on each object); creating
    and replacing are for curators; a PATCH for whoever may edit the profile (curators, the startup's own)."""

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False
        if view.action in ("create", "update"):
            return request.user.has_perm("seeds.manage_registry")
        return True

    def has_object_permission(self, request, view, startup) -> bool:
        if view.action == "update":
            return request.user.has_perm("seeds.manage_registry")
        if view.action == "partial_update":
            return request.user.has_perm("seeds.edit_startup_profile", startup)
        return request.user.has_perm("seeds.view_startup", startup)


@extend_schema_view(
    create=extend_schema(request=StartupCreateSerializer, responses={201: StartupSerializer}),
    update=extend_schema(request=StartupUpdateSerializer, responses={200: StartupSerializer}),
    partial_update=extend_schema(
        request=StartupUpdateSerializer,
        responses={200: StartupSerializer},
        description="Curators change every field; a startup's own members only the profile fields "
        f"({', '.join(services.PROFILE_FIELDS)}). Other fields in a member's request are refused (400).",
    ),
)
class StartupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The startup registry: government users and portal admins see every startup, a startup member its own.
    Contact details are shown to government users and to the startup's own members only."""

    permission_classes = [StartupAccess]
    filter_backends = [DjangoFilterBackend]
    filterset_class = StartupFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.startup_list(user=self.request.user, filters=selectors.StartupFilters())

    @cached_api_list("registry")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.action == "create":
            return StartupCreateSerializer
        if self.action in ("update", "partial_update"):
            return StartupUpdateSerializer
        return StartupSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["as_curator"] = self.request.user.has_perm("seeds.manage_registry")
        return context
