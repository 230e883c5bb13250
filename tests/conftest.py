import pytest

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from config.celery import app as celery_app
from tests.factories import UserFactory

# The organisation each role's user belongs to in tests, as in DESIGN.md §2.
ROLE_ORGANISATIONS = {
    RoleCode.CURATOR: {"kind": OrganisationKind.METI, "unit_code": ""},
    RoleCode.NEED_AUTHOR: {"kind": OrganisationKind.MOD_UNIT, "unit_code": UnitCode.GSDF},
    RoleCode.NEED_REVIEWER: {"kind": OrganisationKind.MOD_UNIT, "unit_code": UnitCode.INTERNAL_BUREAU},
    RoleCode.STARTUP_MEMBER: {"kind": OrganisationKind.STARTUP, "unit_code": ""},
    RoleCode.PORTAL_ADMIN: {"kind": OrganisationKind.ADMIN, "unit_code": ""},
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate limits live there) and no index held by the process."""
    from django.core.cache import cache

    from config import cache as resilient_cache
    from matchmaking import index, services

    resilient_cache._down_until = 0.0  # a test that stopped a Redis leaves the next one free to use its own
    cache.clear()
    # A process keeps the matcher's index and featurised needs between requests; a test starts as a fresh
    # process would, not from an index caught up from another test's registry.
    index._local.__dict__.clear()
    services._local.__dict__.clear()


@pytest.fixture(autouse=True)
def _two_factor_passed(request):
    """Government users must pass two-step verification (accounts/security.py). Tests that are not about it
    sign them in as if they had: the user gets a confirmed authenticator device and the session is marked
    verified at sign-in (force_login and the browser's sign-in form alike). Tests marked `two_factor` meet
    the real gate."""
    if request.node.get_closest_marker("two_factor"):
        yield
        return
    from django.contrib.auth.signals import user_logged_in
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import two_factor

    def verified(sender, request, user, **kwargs):
        if two_factor.is_required(user) or request.session.get(two_factor.PENDING_SESSION_KEY):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            two_factor.mark_verified(request, device)

    user_logged_in.connect(verified, dispatch_uid="tests.two_factor_passed")
    yield
    user_logged_in.disconnect(dispatch_uid="tests.two_factor_passed")


@pytest.fixture(autouse=True)
def _page_cache_only_where_asked(request, settings):
    """Most tests count and inspect what a view renders (response.context, its queries); the page cache is on
    for tests marked page_cache (tests/test_page_cache.py) and for the browser journeys."""
    if not (request.node.get_closest_marker("page_cache") or request.node.get_closest_marker("browser")):
        settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_and_eager(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run in-process unless a test starts a real worker (tests/test_celery_worker.py).
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture
def user_with_role(db):
    """Create a verified user holding `role`, in an organisation of the kind that role belongs to."""

    def make(role: str, **extra):
        org_fields = ROLE_ORGANISATIONS[role]
        organisation = Organisation.objects.filter(**org_fields).first()
        if organisation is None:
            from tests.factories import OrganisationFactory

            corporate = {} if org_fields["kind"] == OrganisationKind.STARTUP else {"corporate_number": ""}
            organisation = OrganisationFactory(**org_fields, **corporate)
        return UserFactory(organisation=organisation, roles=[role], **extra)

    return make


@pytest.fixture
def client_for(client, user_with_role):
    """A test client signed in as a fresh user of `role` (None: anonymous)."""

    def make(role: str | None):
        if role is not None:
            client.force_login(user_with_role(role))
        return client

    return make
