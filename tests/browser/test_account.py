"""Changing your password in Chromium, as a partner: from the header link, the
errors link to their fields, axe finds nothing, and success says so."""

import pytest

from marmot import roles
from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db(transaction=True)
NEW_PASSWORD = "amber-kettle-orbit-97"


def test_a_partner_changes_their_password_from_the_header(open_page):
    partner = user_with_role(roles.PARTNER, username="nadia")
    page = open_page("/accessibility/", user=partner)
    with page.expect_navigation():
        page.get_by_role("link", name="Change password").click()
    assert page.locator("h1").inner_text() == "Change your password"
    assert axe_violations(page) == []

    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Change password").click()
    summary = page.locator(".govuk-error-summary")
    assert "Your current password is incorrect" in summary.inner_text()
    assert page.title().startswith("Error: ")
    summary.locator("a").first.click()
    assert page.evaluate("() => document.activeElement.id") == "id_old_password"
    assert axe_violations(page) == []

    page.get_by_label("Current password").fill("correct-horse-battery-staple")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Change password").click()
    assert "Your password has been changed" in page.inner_text("main")
    assert page.get_by_role("button", name="Sign out").count() == 1
    partner.refresh_from_db()
    assert partner.check_password(NEW_PASSWORD)


def test_the_password_page_reflows_at_320_pixels(open_page):
    page = open_page(
        "/accounts/password/", user=user_with_role(roles.WORKSTREAM_CHAIR), width=320
    )
    assert page.status == 200
    assert not has_horizontal_scroll(page)
