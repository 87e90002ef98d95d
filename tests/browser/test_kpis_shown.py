"""Output KPIs where people see them, in Chromium (issue 16): the progress
page's "Output KPIs" section and the dashboard's KPI tiles pass axe (WCAG 2.2
AA), reflow at 320px, and the kind filter swaps the tiles in without a page
load."""

import pytest

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.workstreams.kpi_fixtures import TODAY, build_kpi_world
from workstreams.services.kpis import kpi_entry_record, kpi_target_set

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def on_the_kpi_worlds_day(today_is):
    today_is(TODAY)


@pytest.fixture
def world(role_users):
    world = build_kpi_world(role_users)
    chair = world.users["chair"]
    for period, value in (("2026/27 Q1", 10), ("2026/27 Q2", 12)):
        kpi_entry_record(
            kpi=world.chairs_own, user=chair, period=period, value=value, today=TODAY
        )
    kpi_target_set(
        kpi=world.chairs_own, user=chair, year_label="2026/27", value=40, tolerance=10
    )
    return world


@pytest.mark.parametrize("width", [1280, 320])
def test_the_progress_pages_kpis_pass_axe_and_reflow(open_page, world, width):
    page = open_page("/workstreams/housing/", user=world.users["chair"], width=width)
    assert page.status == 200
    assert "Output KPIs" in page.inner_text("main")
    assert page.locator(".marmot-kpi-row .marmot-rag--green").count() == 1
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
    assert page.js_errors == []


@pytest.mark.parametrize("width", [1280, 320])
def test_the_dashboards_kpi_tiles_pass_axe_and_reflow(open_page, world, width):
    page = open_page("/dashboard/?kind=local_output", width=width)
    assert page.status == 200
    assert page.locator(".marmot-dashboard-tile--output").count() == 2
    page.locator(".marmot-dashboard-tile--output .govuk-details__summary").first.click()
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
    assert page.js_errors == []


def test_the_kind_filter_swaps_the_tiles_in(open_page, world):
    page = open_page("/dashboard/")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    page.select_option("#id_kind", "local_output")
    page.wait_for_function(
        """() => document.getElementById("dashboard").dataset.state === "ready"
          && document.getElementById("dashboard-status").textContent
            === "2 measures shown" """
    )
    names = page.locator(".marmot-dashboard-tile__title").all_inner_texts()
    assert sorted(names) == [
        "Homes retrofitted through the scheme",
        "Households given damp advice",
    ]
    assert page.url.endswith("/dashboard/?kind=local_output")
    assert page.evaluate("() => window.stillTheSamePage") is True
    assert page.js_errors == []
