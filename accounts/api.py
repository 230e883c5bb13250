"""API adapters for accounts: the caller's own profile, a token exchange, the organisation directory."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors, two_factor
from accounts.identity import email_normalise
from accounts.models import Organisation, User


class HasPortalPerm(BasePermission):
    """Allows a request when the user holds the view's `required_perm` (a `rules` permission)."""

    def has_permission(self, request, view) -> bool:
        return request.user.has_perm(view.required_perm)


class OrganisationSerializer(serializers.ModelSerializer):
    is_government = serializers.BooleanField(read_only=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "name_en", "kind", "unit_code", "corporate_number", "is_government", "member_count"]


class OrganisationBriefSerializer(OrganisationSerializer):
    """The caller's own organisation on /me/: the member count is only annotated by the directory's queryset."""

    class Meta(OrganisationSerializer.Meta):
        fields = [name for name in OrganisationSerializer.Meta.fields if name != "member_count"]


class MeSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    roles = serializers.SerializerMethodField()
    is_verified = serializers.BooleanField(read_only=True)
    is_government_user = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "preferred_language",
            "organisation",
            "roles",
            "is_verified",
            "is_government_user",
        ]

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_codes)

    def get_is_government_user(self, user) -> bool:
        from accounts.rules import is_government_user

        return is_government_user(user)


class MeView(generics.RetrieveAPIView):
    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class AccountEmailField(serializers.EmailField):
    """As the sign-in form's field: the address in its normal form before it is validated or looked up."""

    def to_internal_value(self, data):
        return super().to_internal_value(email_normalise(data) if isinstance(data, str) else data)


class TokenRequestSerializer(serializers.Serializer):
    email = AccountEmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenObtainView(APIView):
    """Exchange a verified account's e-mail and password for its API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, username=data.validated_data["email"], password=data.validated_data["password"])
        if getattr(request, "axes_locked_out", False):
            # django-axes refused the attempt (accounts: 5 wrong passwords); the same lock as the sign-in page.
            raise Throttled(detail=_("Too many wrong passwords: signing in to this account is locked for a while."))
        if user is None:
            raise serializers.ValidationError({"detail": _("The e-mail address or password is wrong.")})
        if user.email_verified_at is None:
            raise serializers.ValidationError({"detail": _("Verify your e-mail address before using the API.")})
        if two_factor.is_required(user) or two_factor.has_device(user):
            # A password alone must not open an account that has two-step verification.
            raise serializers.ValidationError(
                {"detail": _("This account uses two-step verification: issue its token on your account page.")}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    permission_classes = [HasPortalPerm]
    required_perm = "accounts.view_directory"
    filterset_fields = ["kind", "unit_code"]
    ordering_fields = ["name", "kind"]

    def get_queryset(self):
        return selectors.organisation_list(query=self.request.query_params.get("q", ""))
