"""Demo organisations and people for `load_demo`: one user per role, a need author in every other unit, and a
member for each demo company that takes part. Idempotent: keyed by name, corporate number and e-mail; a re-run
keeps passwords, devices and unused recovery codes, so that it changes nothing."""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from accounts.services import role_get

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed by `make run` for the demo accounts only
# Recovery codes printed per government account; a re-run issues a fresh set once fewer than this are left.
DEMO_CODES_AT_LEAST = two_factor.RECOVERY_CODE_COUNT // 2

GOVERNMENT_ORGANISATIONS = [
    ("経済産業省", "Ministry of Economy, Trade and Industry (METI)", OrganisationKind.METI, ""),
    ("陸上幕僚監部", "Ground Staff Office (GSDF)", OrganisationKind.MOD_UNIT, UnitCode.GSDF),
    ("海上幕僚監部", "Maritime Staff Office (MSDF)", OrganisationKind.MOD_UNIT, UnitCode.MSDF),
    ("航空幕僚監部", "Air Staff Office (ASDF)", OrganisationKind.MOD_UNIT, UnitCode.ASDF),
    ("統合幕僚監部", "Joint Staff Office", OrganisationKind.MOD_UNIT, UnitCode.JOINT_STAFF),
    ("防衛省 内部部局", "MOD Internal Bureau", OrganisationKind.MOD_UNIT, UnitCode.INTERNAL_BUREAU),
    ("防衛装備庁", "Acquisition, Technology & Logistics Agency (ATLA)", OrganisationKind.ATLA, UnitCode.ATLA),
    ("ポータル運営事務局", "Portal administration office", OrganisationKind.ADMIN, ""),
]
VC_ORGANISATION = ("株式会社デモ・ベンチャーキャピタル", "Demo Venture Capital Inc.", OrganisationKind.VC, "")

CURATOR = "curator@demo.example.jp"
REVIEWER = "reviewer@demo.example.jp"
ADMIN = "admin@demo.example.jp"
STARTUP_MEMBER = "startup@demo.example.jp"  # the member of the first demo company (demo.registry)
# Each unit's need author: they write, submit and evaluate their unit's demo needs.
AUTHORS = {
    UnitCode.GSDF: "author@demo.example.jp",
    UnitCode.MSDF: "author-msdf@demo.example.jp",
    UnitCode.ASDF: "author-asdf@demo.example.jp",
    UnitCode.JOINT_STAFF: "author-joint@demo.example.jp",
    UnitCode.INTERNAL_BUREAU: "author-bureau@demo.example.jp",
    UnitCode.ATLA: "author-atla@demo.example.jp",
}

# (e-mail, name, organisation name, role): one user per role first, then the other units' authors.
DEMO_USERS = [
    (CURATOR, "経産 花子", "経済産業省", RoleCode.CURATOR),
    (AUTHORS[UnitCode.GSDF], "陸上 一郎", "陸上幕僚監部", RoleCode.NEED_AUTHOR),
    (REVIEWER, "内局 次郎", "防衛省 内部部局", RoleCode.NEED_REVIEWER),
    (ADMIN, "運営 四郎", "ポータル運営事務局", RoleCode.PORTAL_ADMIN),
    (AUTHORS[UnitCode.MSDF], "海上 五月", "海上幕僚監部", RoleCode.NEED_AUTHOR),
    (AUTHORS[UnitCode.ASDF], "航空 六郎", "航空幕僚監部", RoleCode.NEED_AUTHOR),
    (AUTHORS[UnitCode.JOINT_STAFF], "統合 七海", "統合幕僚監部", RoleCode.NEED_AUTHOR),
    (AUTHORS[UnitCode.INTERNAL_BUREAU], "内局 八重", "防衛省 内部部局", RoleCode.NEED_AUTHOR),
    (AUTHORS[UnitCode.ATLA], "装備 九郎", "防衛装備庁", RoleCode.NEED_AUTHOR),
]


@dataclass(frozen=True)
class SignIn:
    email: str
    role: str  # accounts.enums.RoleCode
    organisation: Organisation
    codes: list[str]  # recovery codes, for accounts that must pass two-step verification

    @property
    def role_label(self) -> str:
        return str(RoleCode(self.role).label)


def load() -> None:
    """Create or refresh the demo organisations and the government and administration users."""
    for name, name_en, kind, unit_code in [*GOVERNMENT_ORGANISATIONS, VC_ORGANISATION]:
        Organisation.objects.update_or_create(
            name=name, kind=kind, defaults={"name_en": name_en, "unit_code": unit_code}
        )
    for email, full_name, organisation_name, role in DEMO_USERS:
        _user_put(email, full_name, Organisation.objects.get(name=organisation_name), role)


def company_member_put(*, startup, email: str, full_name: str):
    """The organisation of a demo company (by corporate number) and its member, who may then claim it."""
    organisation, _created = Organisation.objects.update_or_create(
        corporate_number=startup.corporate_number,
        defaults={"name": startup.name, "name_en": startup.name_en, "kind": OrganisationKind.STARTUP},
    )
    return _user_put(email, full_name, organisation, RoleCode.STARTUP_MEMBER)


@cache
def _password_hash(hashers: tuple[str, ...]) -> str:
    """Hashed once per hasher setting: slow by design, and every demo account shares the password."""
    return make_password(DEMO_PASSWORD)


def _user_put(email: str, full_name: str, organisation: Organisation, role: str):
    user, created = get_user_model().objects.get_or_create(email=email)
    user.full_name = full_name
    user.organisation = organisation
    user.email_verified_at = user.email_verified_at or timezone.now()
    # The demo administrator also reaches the Django admin, to manage organisations and roles there.
    user.is_staff = user.is_superuser = role == RoleCode.PORTAL_ADMIN
    if created:
        user.password = _password_hash(tuple(settings.PASSWORD_HASHERS))
    user.save()
    user.roles.set([role_get(role)])
    return user


def sign_ins() -> list[SignIn]:
    """The printed sign-ins: the demo users, the first company's member among them after the reviewer."""
    emails = [email for email, *_rest in DEMO_USERS]
    emails.insert(3, STARTUP_MEMBER)
    users = (
        get_user_model()
        .objects.select_related("organisation")
        .prefetch_related("roles")
        .in_bulk(emails, field_name="email")
    )
    return [
        SignIn(email, next(iter(users[email].role_codes)), users[email].organisation, _codes(users[email]))
        for email in emails
        if email in users
    ]


def _codes(user) -> list[str]:
    """A demo account that must pass two-step verification gets an authenticator nobody holds and recovery
    codes that are printed: the ones it still has, or a fresh set once it has used most of them."""
    if not two_factor.is_required(user):
        return []
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "demo"})
    left = list(StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True))
    return left if len(left) >= DEMO_CODES_AT_LEAST else two_factor.recovery_codes_issue(user=user)
