"""The measures table and the overview in Chromium, on Luton's real data: at
1280px every table fits its column with no sideways scrolling; at 375px the
page does not scroll sideways and a wide table keeps its labelled, focusable
scroll region; printed, the measures table is one A4 landscape page; axe finds
no WCAG A/AA violation; sorting works without JavaScript."""

import re

import pytest

from tests.browser.conftest import axe_violations, has_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["/", "/measures/"]
TABLE_FITS = """() => [...document.querySelectorAll("main table")].map(table => {
  const column = table.closest(".marmot-table-wrapper") || table.parentElement;
  return {
    table: table.className,
    width: table.scrollWidth,
    column: column.clientWidth,
    scrolls: column.scrollWidth > column.clientWidth,
  };
})"""


@pytest.mark.parametrize("path", PAGES)
def test_every_table_fits_its_column_at_1280_pixels(open_page, luton, path):
    page = open_page(path, width=1280)
    tables = page.evaluate(TABLE_FITS)
    assert tables, f"no table on {path}"
    for table in tables:
        assert table["width"] <= table["column"], table
        assert not table["scrolls"], table
    assert not has_horizontal_scroll(page)


@pytest.mark.parametrize("path", PAGES)
def test_no_sideways_page_scroll_at_375_pixels(open_page, luton, path):
    page = open_page(path, width=375)
    assert not has_horizontal_scroll(page)
    for region in page.locator(".marmot-table-wrapper").all():
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("aria-label")


def test_at_375_pixels_the_overview_names_the_measures_first(open_page, luton):
    page = open_page("/", width=375)
    first = page.locator(".marmot-measure-line").first
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    facts = first.inner_text()
    assert "Life expectancy at birth, males" in facts
    assert "77.0 years in 2020-22" in facts and "Worse than England" in facts


@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_the_measures_table_has_no_wcag_violations(open_page, luton, role_users, role):
    page = open_page("/measures/", user=role_users()[role])
    assert page.status == 200
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_the_measures_table_prints_on_one_a4_landscape_page(open_page, luton):
    page = open_page("/measures/")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    assert len(pages) == 1
    size = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    width, height = float(size[1]), float(size[2])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, points


def test_sorting_by_a_column_heading_works_without_javascript(open_page, luton):
    page = open_page("/measures/", javascript=False)
    page.get_by_role("link", name=re.compile(r"^Measure\W+sort by name$")).click()
    assert page.url.endswith("/measures/?sort=name")
    names = page.locator("tbody th[scope=row] a").all_inner_texts()
    assert names[0].startswith("% of employees below the living wage")
    heading = page.locator("th[aria-sort=ascending]")
    assert heading.inner_text().strip().startswith("Measure")
