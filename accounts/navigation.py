"""The main navigation, one entry per area, each shown only to users holding its permission.

Apps add their areas to NAVIGATION; the template never decides who sees what.
"""

from dataclasses import dataclass

import rules
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    permission: str | None  # None: shown to everyone, signed in or not
    group: str = ""  # the row wraps only between groups, so an area never stands alone on a line of its own


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool
    group: str = ""


NAVIGATION: list[NavItem] = [
    NavItem(_("Home"), "home", None, "home"),
    NavItem(_("Organisations"), "accounts:organisation_list", "accounts.view_directory", "directory"),
    NavItem(_("Users"), "accounts:user_list", "accounts.view_directory", "directory"),
    NavItem(_("Audit log"), "accounts:audit_list", "accounts.view_audit", "directory"),
    NavItem(_("Startup registry"), "seeds:startup_list", "seeds.browse_registry", "registry"),
    NavItem(_("Claims"), "seeds:claim_list", "seeds.manage_registry", "registry"),
    NavItem(_("Import"), "seeds:import_upload", "seeds.manage_registry", "registry"),
    NavItem(_("My company"), "seeds:my_company", "seeds.claim_startup", "registry"),
    # needs-board items
    NavItem(_("Needs"), "needs:need_list", None, "needs"),
    NavItem(_("Review"), "needs:review_queue", "needs.review_needs", "needs"),
    NavItem(_("New need"), "needs:need_create", "needs.create_need", "needs"),
    # proposal items
    NavItem(_("To evaluate"), "needs:my_evaluations", "needs.evaluate_nav", "proposals"),
    NavItem(_("My proposals"), "needs:my_proposals", "seeds.claim_startup", "proposals"),
    NavItem(_("Results"), "needs:results", None, "proposals"),
    # matchmaking items
    NavItem(_("Matches overview"), "matchmaking:overview", "matchmaking.view_overview", "matching"),
    # programme items
    NavItem(_("Support programmes"), "programs:program_list", None, "matching"),
    NavItem(_("Funnel"), "programs:funnel", "programs.view_funnel", "matching"),
    NavItem(_("Meetings"), "meetings:list", "matchmaking.view_meetings", "matching"),
    # consultation items
    NavItem(_("Consultation window"), "needs:consultation_new", None, "consultations"),
    NavItem(_("Consultations"), "needs:consultation_list", "needs.triage_consultations", "consultations"),
]


def navigation_for_request(request) -> list[NavLink]:
    """The navigation of the page being rendered: none while the session still owes the two-step code, whose
    pages are the only ones it may open (sign-out stays in the header)."""
    from accounts import two_factor

    if two_factor.step_owed(request):
        return []
    return navigation_for(request.user, request.path)


def navigation_for(user, current_path: str) -> list[NavLink]:
    shown = [
        (item, reverse(item.url_name))
        for item in NAVIGATION
        if not item.permission or rules.has_perm(item.permission, user)
    ]
    # The current area is the longest link the path starts with: /seeds/claims/ is "Claims", not the registry.
    matches = [url for _item, url in shown if (current_path == url if url == "/" else current_path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [NavLink(str(item.label), url, url == current, item.group) for item, url in shown]
