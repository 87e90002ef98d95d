"""The overview page in Chromium: axe, reflow at 320px, no script errors."""

import pytest

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.workstreams.pages.fixtures import outcome_measures, programme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", ["anonymous", "chair", "oversight"])
def test_overview_has_no_wcag_violations(open_page, role_users, role):
    housing, _net_zero = programme()
    outcome_measures()
    users = role_users(chair_of=housing)
    page = open_page("/", user=users[role])
    assert page.status == 200
    assert page.locator(".marmot-card").count() == 2
    assert axe_violations(page) == []
    assert page.js_errors == []


@pytest.mark.parametrize("role", ["anonymous", "oversight"])
def test_overview_reflows_at_320_pixels(open_page, role_users, role):
    programme()
    outcome_measures()
    users = role_users()
    page = open_page("/", user=users[role], width=320)
    assert not has_horizontal_scroll(page)


def test_principle_rows_link_to_the_filtered_dashboard(open_page):
    programme()
    outcome_measures()
    page = open_page("/")
    link = page.get_by_role("link", name="4. Ensure a healthy standard of living")
    assert link.get_attribute("href") == "/dashboard/?principle=4"
