"""The layout every page shares, checked in Chromium: axe, skip link, reflow."""

import pytest

from tests.browser.conftest import axe_violations, first_tab_stop, has_horizontal_scroll
from tests.workstreams.factories import PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["/accounts/login/", "/accessibility/", "/no-such-page/"]


@pytest.mark.parametrize("path", PAGES)
def test_shared_pages_have_no_wcag_violations(open_page, path):
    PlaceFactory()
    page = open_page(path)
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_skip_link_is_the_first_tab_stop_and_moves_focus(open_page):
    page = open_page("/accessibility/")
    assert first_tab_stop(page) == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main-content"


@pytest.mark.parametrize("path", PAGES)
def test_pages_reflow_at_320_pixels(open_page, path):
    PlaceFactory()
    page = open_page(path, width=320)
    assert not has_horizontal_scroll(page)


def test_header_names_the_place_from_data(open_page):
    PlaceFactory(service_name="Coventry — Marmot City")
    page = open_page("/accessibility/")
    header = page.locator(".govuk-generic-header").inner_text()
    assert header == "Coventry — Marmot City"


def test_sign_in_errors_link_to_their_fields_and_sign_in_works(open_page):
    UserFactory(username="chair1")
    page = open_page("/accounts/login/")
    page.fill("#id_username", "chair1")
    page.click("button:has-text('Sign in')")
    summary = page.locator(".govuk-error-summary")
    assert "Enter your password" in summary.inner_text()
    assert page.title().startswith("Error: ")
    summary.locator("a").first.click()
    assert page.evaluate("() => document.activeElement.id") == "id_password"
    assert axe_violations(page) == []
    page.fill("#id_password", "correct-horse-battery-staple")
    page.click("button:has-text('Sign in')")
    assert page.locator("button:has-text('Sign out')").count() == 1
