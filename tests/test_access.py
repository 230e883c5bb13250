"""Every role sees its own navigation and is refused pages meant for others (DESIGN.md §3)."""

import pytest
from django.urls import reverse

from accounts.enums import RoleCode

ROLES = list(RoleCode)

# (page, roles allowed). Anonymous visitors are redirected to sign-in on every page listed here.
GOVERNMENT_ROLES = {RoleCode.CURATOR, RoleCode.NEED_AUTHOR, RoleCode.NEED_REVIEWER}
RESTRICTED_PAGES = [
    ("accounts:organisation_list", {RoleCode.PORTAL_ADMIN}),
    ("accounts:user_list", {RoleCode.PORTAL_ADMIN}),
    ("accounts:account", set(ROLES)),
    ("seeds:startup_list", GOVERNMENT_ROLES | {RoleCode.PORTAL_ADMIN}),
    ("seeds:startup_export", {RoleCode.CURATOR}),
    ("seeds:startup_create", {RoleCode.CURATOR}),
    ("seeds:import_upload", {RoleCode.CURATOR}),
    ("seeds:merge", {RoleCode.CURATOR}),
    ("seeds:claim_list", {RoleCode.CURATOR}),
    ("seeds:my_company", {RoleCode.STARTUP_MEMBER}),
    ("programs:funnel", GOVERNMENT_ROLES | {RoleCode.PORTAL_ADMIN}),
    ("programs:program_create", {RoleCode.CURATOR}),
]

# The navigation entries each role must see, by the page they open (labels depend on the language).
NAVIGATION_BY_ROLE = {
    RoleCode.PORTAL_ADMIN: {
        "accounts:organisation_list",
        "accounts:user_list",
        "seeds:startup_list",
        "programs:funnel",
    },
    RoleCode.CURATOR: {"seeds:startup_list", "seeds:claim_list", "seeds:import_upload", "programs:funnel"},
    RoleCode.NEED_AUTHOR: {"seeds:startup_list", "programs:funnel"},
    RoleCode.NEED_REVIEWER: {"seeds:startup_list", "programs:funnel"},
    RoleCode.STARTUP_MEMBER: {"seeds:my_company"},
}


@pytest.mark.parametrize(("url_name", "allowed"), RESTRICTED_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_restricted_page_allows_its_roles_and_refuses_the_others(client_for, role, url_name, allowed):
    response = client_for(role).get(reverse(url_name))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize(("url_name", "allowed"), RESTRICTED_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, db, url_name, allowed):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("role", ROLES)
def test_navigation_shows_only_the_roles_own_areas(client_for, role):
    response = client_for(role).get(reverse("home"))
    shown = {link.url for link in response.context["navigation"]}
    own = {reverse(name) for name in NAVIGATION_BY_ROLE.get(role, set())}
    every_restricted = {reverse(name) for name in set().union(*NAVIGATION_BY_ROLE.values())}
    assert own <= shown
    assert not (every_restricted - own) & shown


@pytest.mark.parametrize("role", ROLES)
def test_navigation_labels_are_those_of_the_areas_in_the_active_language(client_for, role):
    from accounts.navigation import NAVIGATION

    response = client_for(role).get(reverse("home"))
    labels = {reverse(item.url_name): str(item.label) for item in NAVIGATION}
    assert all(link.label == labels[link.url] for link in response.context["navigation"])


def test_unverified_user_with_a_role_gets_no_role_navigation(client, user_with_role):
    user = user_with_role(RoleCode.PORTAL_ADMIN, email_verified_at=None)
    client.force_login(user)
    assert client.get(reverse("accounts:organisation_list")).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_home_page_tells_each_role_what_it_does(client_for, role):
    response = client_for(role).get(reverse("home"))
    titles = [str(section["title"]) for section in response.context["sections"]]
    from accounts.home import ROLE_SECTIONS

    assert titles == [str(ROLE_SECTIONS[role].title)]


def test_home_page_invites_visitors_to_register_and_sign_in(client, db):
    body = client.get(reverse("home")).content.decode()
    assert reverse("accounts:register") in body
    assert reverse("accounts:login") in body
