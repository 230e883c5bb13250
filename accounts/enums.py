from django.db import models
from django.utils.translation import pgettext_lazy


class OrganisationKind(models.TextChoices):
    METI = "meti", pgettext_lazy("organisation kind", "METI")
    MOD_UNIT = "mod_unit", pgettext_lazy("organisation kind", "MOD unit")
    ATLA = "atla", pgettext_lazy("organisation kind", "ATLA")
    STARTUP = "startup", pgettext_lazy("organisation kind", "Startup")
    VC = "vc", pgettext_lazy("organisation kind", "Venture capital")
    INDUSTRY = "industry", pgettext_lazy("organisation kind", "Industry")
    ADMIN = "admin", pgettext_lazy("organisation kind", "Portal administration")


GOVERNMENT_KINDS = frozenset({OrganisationKind.METI, OrganisationKind.MOD_UNIT, OrganisationKind.ATLA})


class UnitCode(models.TextChoices):
    GSDF = "gsdf", pgettext_lazy("unit", "GSDF Staff Office")
    MSDF = "msdf", pgettext_lazy("unit", "MSDF Staff Office")
    ASDF = "asdf", pgettext_lazy("unit", "ASDF Staff Office")
    JOINT_STAFF = "joint_staff", pgettext_lazy("unit", "Joint Staff Office")
    INTERNAL_BUREAU = "internal_bureau", pgettext_lazy("unit", "Internal Bureau")
    ATLA = "atla", pgettext_lazy("unit", "ATLA")


MOD_UNIT_CODES = frozenset(UnitCode) - {UnitCode.ATLA}


class RoleCode(models.TextChoices):
    CURATOR = "curator", pgettext_lazy("role", "Curator (METI)")
    NEED_AUTHOR = "need_author", pgettext_lazy("role", "Need author")
    NEED_REVIEWER = "need_reviewer", pgettext_lazy("role", "Need reviewer")
    STARTUP_MEMBER = "startup_member", pgettext_lazy("role", "Startup member")
    PORTAL_ADMIN = "portal_admin", pgettext_lazy("role", "Portal administrator")
