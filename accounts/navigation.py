"""The main navigation, one entry per area, each shown only to users holding its permission.

Apps add their areas to NAVIGATION; the template never decides who sees what.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    permission: str | None  # None: shown to everyone, signed in or not


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


NAVIGATION: list[NavItem] = [
    NavItem(_("Home"), "home", None),
    NavItem(_("Organisations"), "accounts:organisation_list", "accounts.view_directory"),
    NavItem(_("Users"), "accounts:user_list", "accounts.view_directory"),
]


def navigation_for(user, current_path: str) -> list[NavLink]:
    links = []
    for item in NAVIGATION:
        if item.permission and not user.has_perm(item.permission):
            continue
        url = reverse(item.url_name)
        is_current = current_path == url if url == "/" else current_path.startswith(url)
        links.append(NavLink(str(item.label), url, is_current))
    return links
