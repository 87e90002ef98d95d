"""The recommendations page in Chromium: axe, reflow, the filter by keyboard."""

import pytest

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.workstreams.pages.fixtures import audit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", ["anonymous", "chair", "oversight"])
def test_recommendations_have_no_wcag_violations(open_page, role_users, role):
    _housing, children = audit()
    users = role_users(chair_of=children)
    page = open_page("/recommendations/", user=users[role])
    assert page.status == 200
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_recommendations_reflow_at_320_pixels(open_page):
    audit()
    page = open_page("/recommendations/", width=320)
    assert not has_horizontal_scroll(page)


def test_the_no_action_filter_works_by_keyboard(open_page):
    audit()
    page = open_page("/recommendations/")
    page.locator("#id_has_actions").focus()
    page.keyboard.press("End")  # "With no action", the last option
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/recommendations/?has_actions=false")
    assert "Showing 2 of 4 recommendations" in page.inner_text("main")
    assert page.locator("text=Reduce fuel poverty.").count() == 0
    assert axe_violations(page) == []


def test_the_filter_works_without_javascript(open_page):
    audit()
    page = open_page("/recommendations/", javascript=False)
    page.select_option("#id_has_actions", "true")
    with page.expect_navigation():
        page.click("button:has-text('Apply filter')")
    assert page.url.endswith("/recommendations/?has_actions=true")
    assert "Showing 2 of 4 recommendations" in page.inner_text("main")
