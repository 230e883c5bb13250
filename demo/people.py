"""Demo organisations and one signed-in user per role, for `load_demo`. Idempotent: re-running updates."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from accounts.services import role_get

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed by `make run` for the demo accounts only

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

# Fictional companies; corporate numbers carry valid check digits in a range of the project's own.
STARTUP_ORGANISATIONS = [
    ("株式会社ソラミチ・ロボティクス", "Soramichi Robotics Inc.", "3700000000001"),
    ("株式会社ミナモ量子センシング", "Minamo Quantum Sensing Inc.", "2700000000002"),
    ("合同会社アオバ防災テック", "Aoba Disaster Tech LLC", "1700000000003"),
]
VC_ORGANISATION = ("株式会社デモ・ベンチャーキャピタル", "Demo Venture Capital Inc.", OrganisationKind.VC, "")

# (e-mail, name, organisation name, role)
DEMO_USERS = [
    ("curator@demo.example.jp", "経産 花子", "経済産業省", RoleCode.CURATOR),
    ("author@demo.example.jp", "陸上 一郎", "陸上幕僚監部", RoleCode.NEED_AUTHOR),
    ("reviewer@demo.example.jp", "内局 次郎", "防衛省 内部部局", RoleCode.NEED_REVIEWER),
    ("startup@demo.example.jp", "空道 三郎", "株式会社ソラミチ・ロボティクス", RoleCode.STARTUP_MEMBER),
    ("admin@demo.example.jp", "運営 四郎", "ポータル運営事務局", RoleCode.PORTAL_ADMIN),
]


def load() -> list[tuple[str, str, list[str]]]:
    """Create or refresh the demo organisations and users; returns (e-mail, role, recovery codes) of the demo
    sign-ins. Government users must pass two-step verification: theirs get an authenticator device and fresh
    recovery codes, printed by `load_demo`, so that the demo signs in without a phone."""
    for name, name_en, kind, unit_code in [*GOVERNMENT_ORGANISATIONS, VC_ORGANISATION]:
        Organisation.objects.update_or_create(
            name=name, kind=kind, defaults={"name_en": name_en, "unit_code": unit_code}
        )
    for name, name_en, corporate_number in STARTUP_ORGANISATIONS:
        Organisation.objects.update_or_create(
            corporate_number=corporate_number,
            defaults={"name": name, "name_en": name_en, "kind": OrganisationKind.STARTUP},
        )
    User = get_user_model()
    codes: dict[str, list[str]] = {}
    for email, full_name, organisation_name, role in DEMO_USERS:
        user, created = User.objects.get_or_create(email=email)
        user.full_name = full_name
        user.organisation = Organisation.objects.get(name=organisation_name)
        user.email_verified_at = user.email_verified_at or timezone.now()
        # The demo administrator also reaches the Django admin, to manage organisations and roles there.
        user.is_staff = user.is_superuser = role == RoleCode.PORTAL_ADMIN
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.roles.set([role_get(role)])
        codes[email] = _demo_second_step(user) if two_factor.is_required(user) else []
    return [(email, str(role), codes[email]) for email, _name, _org, role in DEMO_USERS]


def _demo_second_step(user) -> list[str]:
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "demo"})
    return two_factor.recovery_codes_issue(user=user)
