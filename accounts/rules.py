"""Permission predicates on users, written once (STYLE.md example 4).

Every page, API operation and export asks these, through `user.has_perm(...)` or the predicates directly;
later apps combine them into their own object rules in their `rules.py`.
"""

import rules

from accounts.enums import OrganisationKind, RoleCode

# A role held in an organisation of another kind grants nothing: a VC member given need_reviewer by mistake
# cannot publish needs or read drafts (issue 13). Only these roles are tied to kinds today.
ROLE_KINDS = {RoleCode.NEED_REVIEWER: frozenset({OrganisationKind.MOD_UNIT, OrganisationKind.ATLA})}


@rules.predicate
def is_verified(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.email_verified_at is not None)


def _has_role(code: str):
    kinds = ROLE_KINDS.get(code)

    @rules.predicate(name=f"has_role_{code}")
    def predicate(user) -> bool:
        if not (is_verified(user) and user.has_role(code)):
            return False
        organisation = getattr(user, "organisation", None)
        return kinds is None or bool(organisation and organisation.is_active and organisation.kind in kinds)

    return predicate


is_curator = _has_role(RoleCode.CURATOR)
is_need_author = _has_role(RoleCode.NEED_AUTHOR)
is_need_reviewer = _has_role(RoleCode.NEED_REVIEWER)
is_startup_member = _has_role(RoleCode.STARTUP_MEMBER)
is_portal_admin = _has_role(RoleCode.PORTAL_ADMIN)


@rules.predicate
def is_government_user(user) -> bool:
    """A verified member of METI, an MOD unit or ATLA (DESIGN.md §2)."""
    organisation = getattr(user, "organisation", None) if is_verified(user) else None
    return bool(organisation and organisation.is_active and organisation.is_government)


rules.add_perm("accounts.view_directory", is_portal_admin)
rules.add_perm("accounts.view_audit", is_portal_admin)
rules.add_perm("accounts.view_own_account", rules.is_authenticated)
