"""The changes page in Chromium: accessible, reflows, prints as a meeting pack."""

import pytest

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.workstreams.pages.fixtures import SINCE, build_changes, changes_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", ["anonymous", "officer", "partner"])
def test_no_wcag_violations(open_page, role_users, role):
    users = build_changes(role_users)
    page = open_page(changes_url(), user=users[role])
    assert page.status == 200
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_a_bad_date_has_no_wcag_violations(open_page, role_users):
    users = build_changes(role_users)
    page = open_page(changes_url("since=2026-02-30"), user=users["officer"])
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_reflows_at_320_pixels(open_page, role_users, role):
    users = build_changes(role_users)
    page = open_page(changes_url(), user=users[role], width=320)
    assert not has_horizontal_scroll(page)


def test_choosing_a_date_with_the_date_input(open_page, role_users):
    users = build_changes(role_users)
    page = open_page(changes_url(""), user=users["officer"], javascript=False)
    page.get_by_label("Day").fill(str(SINCE.day))
    page.get_by_label("Month").fill(str(SINCE.month))
    page.get_by_label("Year").fill(str(SINCE.year))
    page.click("button:has-text('Show changes')")
    assert page.locator("h1").inner_text() == (
        f"Changes since {SINCE.day} {SINCE:%B %Y}"
    )
    assert page.locator("text=New tenancy support").count()


def test_printed_it_is_a_clean_meeting_pack(open_page, role_users):
    users = build_changes(role_users)
    page = open_page(changes_url(), user=users["oversight"])
    page.emulate_media(media="print")
    for hidden in (
        ".govuk-service-navigation",
        ".govuk-footer",
        ".govuk-generic-header",
        "main form",
        ".marmot-no-print >> nth=0",
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("h1").inner_text() == f"Changes since {SINCE.day} {SINCE:%B %Y}"
    assert page.locator(".govuk-caption-l").inner_text() == "Testshire"
    breaks = page.eval_on_selector_all(
        ".marmot-changes__section",
        "els => els.map(e => getComputedStyle(e).breakBefore)",
    )
    assert breaks and set(breaks) == {"page"}
    link = page.locator(".marmot-changes__section a").first
    assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"
    assert link.evaluate("a => getComputedStyle(a).color") == "rgb(0, 0, 0)"
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after in ("none", "normal")
