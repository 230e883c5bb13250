"""Who may see and change what in the startup registry (DESIGN.md §3)."""

import rules

from accounts.rules import is_curator, is_government_user, is_portal_admin, is_startup_member


@rules.predicate
def is_member_of_startup(user, startup) -> bool:
    """The user belongs to the organisation that claimed this startup (claim approved by a curator)."""
    return bool(
        startup is not None
        and startup.organisation_id is not None
        and getattr(user, "organisation_id", None) == startup.organisation_id
        and is_startup_member(user)
    )


can_browse_registry = is_government_user | is_portal_admin
can_view_startup = can_browse_registry | is_member_of_startup
can_view_startup_contact = is_government_user | is_member_of_startup
can_edit_startup_profile = is_curator | is_member_of_startup

rules.add_perm("seeds.browse_registry", can_browse_registry)
rules.add_perm("seeds.view_startup", can_view_startup)
rules.add_perm("seeds.view_startup_contact", can_view_startup_contact)
rules.add_perm("seeds.view_curator_notes", is_government_user)
rules.add_perm("seeds.edit_startup_profile", can_edit_startup_profile)
rules.add_perm("seeds.manage_registry", is_curator)  # import, edit every field, merge, annotate, export, claims
rules.add_perm("seeds.claim_startup", is_startup_member)
