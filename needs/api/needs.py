"""`needs/`: the needs board (anyone reads what needs.rules lets them see), authoring and transitions."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, filters, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from needs import selectors
from needs.api.base import service_errors
from needs.enums import NeedStatus
from needs.filters import NeedFilterSet
from needs.forms import NeedImportForm
from needs.models import Need, NeedAttachment
from needs.reads import need_read
from needs.services.imports import need_import_confirm, need_import_file, need_import_preview, need_import_summary
from needs.services.needs import need_attach, need_attachment_remove, need_create, need_transition, need_update
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


class NeedAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class NeedAttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("PDF, DOCX or PPTX, at most 20 MB"))


class NeedImportSerializer(serializers.Serializer):
    """The import's options; the file is then checked as on the upload page (needs.forms.NeedImportForm)."""

    file = serializers.FileField(help_text=_("CSV or XLSX in the need import format, at most 10 MB"))
    publish = serializers.BooleanField(required=False, default=False)
    dry_run = serializers.BooleanField(required=False, default=False, help_text=_("Report only; write nothing"))


class NeedImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    published = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField(), help_text=_("line, column, message"))
    file_error = serializers.CharField()
    applied = serializers.BooleanField()


# The pages' permission for each action that has one; the others are decided by the services (403 with their
# message), on needs the caller may see (404 otherwise).
ACTION_PERMISSIONS = {"create": "needs.create_need", "import_list": "needs.import_needs"}


class NeedAccess(BasePermission):
    """Reading is for anyone (the queryset applies needs.rules); authoring and importing need the permission
    their pages need; editing a draft is for its unit's authors; a transition is decided by `need_transition`."""

    def has_permission(self, request, view) -> bool:
        if view.action in READ_ACTIONS:
            return True
        if view.action in ACTION_PERMISSIONS:
            return request.user.has_perm(ACTION_PERMISSIONS[view.action])
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

    @extend_schema(
        request={"multipart/form-data": NeedAttachmentUploadSerializer}, responses={201: NeedAttachmentSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None, format=None):  # DRF passes a format suffix by this name
        """Attach a PDF, DOCX or PPTX to a draft, as its edit page does (its unit's authors only: 403 otherwise)."""
        need = self.get_object()
        upload = NeedAttachmentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        with service_errors():
            attachment = need_attach(need=need, upload=upload.validated_data["file"], actor=request.user)
        return Response(NeedAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"attachments/(?P<attachment_id>[0-9]+)")
    def remove_attachment(self, request, pk=None, attachment_id=None, format=None):
        """Remove an attachment from a draft, as its edit page does."""
        need = self.get_object()
        attachment = get_object_or_404(NeedAttachment, pk=attachment_id, need=need)
        with service_errors():
            need_attachment_remove(attachment=attachment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request={"multipart/form-data": NeedImportSerializer},
        responses={200: NeedImportResultSerializer, 400: NeedImportResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_list(self, request, format=None):
        """Import a need list as the upload page and `import_needs` do (need reviewers only), at once: all rows or
        none (400 with the row errors). `dry_run` reports what it would do."""
        options = NeedImportSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        upload, values = options.validated_data["file"], options.validated_data
        form = NeedImportForm(data={}, files={"file": upload})  # the upload page's checks of the file
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        content, publish = upload.read(), values["publish"]
        if values["dry_run"]:
            report = need_import_file(
                content=content, filename=upload.name, actor=request.user, dry_run=True, publish=publish
            )
        else:  # kept as a list in the imports' history, as the upload page keeps it
            pending, report = need_import_preview(
                content=content, filename=upload.name, publish=publish, actor=request.user
            )
            if report.ok:
                report = need_import_confirm(pending=pending, actor=request.user)
        code = status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST
        return Response(need_import_summary(report), status=code)
