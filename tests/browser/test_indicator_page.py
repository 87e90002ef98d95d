"""The indicator page in Chromium: axe, reflow at 320px, the chart's table."""

import pytest
from django.urls import reverse

from marmot import roles
from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.indicators.pages.fixtures import measure_build
from tests.workstreams.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def officer():
    user = UserFactory(username="officer", is_staff=True)
    user.groups.add(roles.roles_ensure_groups()[roles.OFFICER])
    return user


def path(indicator) -> str:
    return reverse("indicator-detail", args=[indicator.code])


def open_details(page):
    page.locator("#indicator-chart-data summary").click()


def test_no_wcag_violations_for_the_public(open_page):
    indicator, _ = measure_build()
    page = open_page(path(indicator))
    assert page.status == 200
    assert axe_violations(page) == []
    open_details(page)
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_no_wcag_violations_for_an_officer_on_an_unpublished_measure(open_page):
    indicator, _ = measure_build(published=False)
    page = open_page(path(indicator), user=officer())
    assert page.status == 200
    assert page.locator(".govuk-warning-text").inner_text().count("Not published")
    open_details(page)
    assert axe_violations(page) == []
    assert page.js_errors == []


@pytest.mark.parametrize("javascript", [True, False])
def test_reflows_at_320_pixels_with_the_chart_scaled_down(open_page, javascript):
    indicator, _ = measure_build(periods=8)
    page = open_page(path(indicator), width=320, javascript=javascript)
    open_details(page)
    assert not has_horizontal_scroll(page)
    chart = page.locator("svg.marmot-indicator-chart__svg").bounding_box()
    assert 0 < chart["width"] <= 320
    assert chart["height"] < 360  # kept its shape, scaled down
    # every wide table scrolls inside its own wrapper
    outside = page.evaluate(
        "() => [...document.querySelectorAll('main table')]"
        ".filter(t => !t.closest('.marmot-table-wrapper')).length"
    )
    assert outside == 0


def test_the_charts_table_opens_from_the_keyboard(open_page):
    indicator, _ = measure_build(periods=3, wards=0, quintiles=0)
    page = open_page(path(indicator))
    table = page.locator("#indicator-chart-table")
    assert not table.is_visible()
    page.locator("#indicator-chart-data summary").focus()
    page.keyboard.press("Enter")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 3
    first = table.locator("tbody tr").first.inner_text()
    assert "2015" in first and "20.0%" in first


def test_the_chart_is_an_image_with_its_summary_as_name(open_page):
    indicator, _ = measure_build(periods=2, wards=0, quintiles=0)
    page = open_page(path(indicator))
    svg = page.get_by_role("img", name="Line chart of Children in low-income families")
    assert svg.count() == 1
    name = page.evaluate(
        "() => document.getElementById('indicator-chart-summary').textContent"
    )
    assert name.startswith("Testtown's value rose from 20.0% in 2015 to 21.0% in 2016")


def test_the_download_links_give_files(open_page):
    indicator, _ = measure_build(periods=2, wards=0, quintiles=0)
    page = open_page(path(indicator))
    for fmt in ("csv", "xlsx"):
        href = reverse("indicator-download", args=[indicator.code, fmt])
        assert page.locator(f'a[href="{href}"]').count() >= 1
        response = page.request.get(href)
        assert response.status == 200
        assert f".{fmt}" in response.headers["content-disposition"]
