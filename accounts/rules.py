"""Permission predicates on users, written once (STYLE.md example 4).

Every page, API operation and export asks these, through `user.has_perm(...)` or the predicates directly;
later apps combine them into their own object rules in their `rules.py`.
"""

import rules

from accounts.enums import RoleCode


@rules.predicate
def is_verified(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.email_verified_at is not None)


def _has_role(code: str):
    @rules.predicate(name=f"has_role_{code}")
    def predicate(user) -> bool:
        return bool(is_verified(user) and user.has_role(code))

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
