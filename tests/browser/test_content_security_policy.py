"""The content security policy breaks nothing: Chromium loads the portal's pages, the admin, Swagger UI and the
two-step set-up page (inline SVG QR code) with the policy in force and reports no violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from tests.browser.test_matching_journey import sign_in
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import published_need

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_violations(page: Page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


def test_pages_admin_swagger_and_the_qr_code_load_with_no_policy_violation(page: Page, live_url):
    violations = watch_violations(page)
    gsdf = OrganisationFactory(kind=OrganisationKind.MOD_UNIT, unit_code=UnitCode.GSDF, corporate_number="")
    author = UserFactory(organisation=gsdf, roles=[RoleCode.NEED_AUTHOR], is_staff=True, is_superuser=True)
    need = published_need(owner_unit=gsdf, ref="GSDF-2025-901")

    page.goto(live_url + reverse("accounts:login"))
    response = page.request.get(live_url + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]

    sign_in(page, live_url, author)
    # The matches page's own stylesheet loads under the policy.
    page.goto(live_url + reverse("matchmaking:need_matches", args=[need.pk]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(live_url + reverse("admin:accounts_user_changelist"))
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(live_url + reverse("admin:accounts_user_change", args=[author.pk]))
    expect(page.locator("#user_form")).to_be_visible()

    page.goto(live_url + reverse("api-docs"))
    # Swagger UI's start-up script (a separate file) ran and drew the operations from the schema.
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)

    page.goto(live_url + reverse("accounts:two_factor_setup"))
    expect(page.locator("[data-testid=totp-qr] svg")).to_be_visible()

    page.goto(live_url + reverse("accounts:account"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert violations == [], violations
