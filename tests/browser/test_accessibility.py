"""Every main page of every role passes axe-core's WCAG 2.1 A and AA rules with no violation (issue 16).

Main pages: each role's navigation (so an area added to accounts/navigation.py is checked without editing this
file) plus the pages a role works on from there. Each page is checked once, as the first role in ROLES that sees
it (the richest view first), except the home page, which every role sees differently. axe-core comes from npm
into tests/browser/axe (`make test`), and is injected by the test: the portal never serves it.
"""

import pytest
from django.urls import reverse

from accounts.navigation import navigation_for
from needs.enums import NeedStatus
from needs.models import Need
from tests.browser.demo_pages import DEMO_USERS, axe_violations, context_for, demo_user, load_demo, skip_without_axe

ROLES = list(DEMO_USERS)


def work_pages(role: str, user) -> list[str]:
    """The pages behind the navigation that a role's daily work runs through."""
    if role == "need_reviewer":
        return [reverse("needs:need_detail", args=[Need.objects.filter(status=NeedStatus.SUBMITTED).first().pk])]
    if role == "need_author":
        need = Need.objects.filter(owner_unit=user.organisation, status=NeedStatus.PUBLISHED).order_by("ref").first()
        return [reverse("needs:need_detail", args=[need.pk]), reverse("matchmaking:need_matches", args=[need.pk])]
    return []


def main_pages(role: str, user) -> list[str]:
    from django.contrib.auth.models import AnonymousUser

    links = [link.url for link in navigation_for(user or AnonymousUser(), "/")]
    return links + work_pages(role, user)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])  # a desktop, and a phone, where wide tables scroll in their box
def test_every_main_page_of_every_role_has_no_wcag_21_aa_violation(browser, live_url, width):
    skip_without_axe()
    load_demo()
    seen, checked, violations = set(), [], {}
    for role in ROLES:
        user = demo_user(role)
        context = context_for(browser, live_url, user, width=width, height=800 if width > 800 else 844)
        page = context.new_page()
        for path in main_pages(role, user):
            if path in seen and path != "/":
                continue
            seen.add(path)
            response = page.goto(live_url + path)
            assert response.status == 200, (role, path, response.status)
            checked.append(f"{role} {path}")
            if found := axe_violations(page):
                violations[f"{role} {path}"] = found
        context.close()
    print(f"axe-core checked {len(checked)} pages")
    assert len(checked) >= 25, checked
    assert not violations, violations
