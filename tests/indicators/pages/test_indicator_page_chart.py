"""The indicator page's chart: server-rendered SVG with a text alternative and
a table of the same numbers."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.indicators.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
)
from tests.indicators.pages.fixtures import measure_build, page_text
from tests.workstreams.factories import PlaceFactory


def svg_of(html: str) -> str:
    match = re.search(r'<svg class="marmot-chart[^"]*".*?</svg>', html, flags=re.S)
    assert match, "no chart"
    return match.group(0)


def table_of(html: str) -> list[list[str]]:
    table = re.search(r'<table[^>]*id="indicator-chart-table".*?</table>', html, re.S)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), flags=re.S)
    return [
        [
            re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", cell))).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        for row in rows
    ]


@pytest.fixture
def chart_page(client, db):
    indicator, place = measure_build(periods=3, wards=0, quintiles=0)
    response = client.get(reverse("indicator-detail", args=[indicator.code]))
    return response.content.decode()


def test_svg_is_an_image_labelled_by_its_title_and_text_summary(chart_page):
    svg = svg_of(chart_page)
    assert 'role="img"' in svg
    assert 'aria-labelledby="indicator-chart-title indicator-chart-summary"' in svg
    assert '<title id="indicator-chart-title">' in svg
    summary = re.search(r'id="indicator-chart-summary">(.*?)</span>', chart_page)
    assert unescape(summary.group(1)) == (
        "Testtown's value rose from 20.0% in 2015 to 22.0% in 2017; "
        "England's value rose from 15.0% in 2015 to 16.0% in 2017; "
        "North Region's value rose from 17.0% in 2015 to 17.5% in 2017; "
        "Similar councils' value was 19.0% in both 2015 and 2017."
    )


def test_svg_scales_down_with_a_view_box_and_has_axes_lines_and_whiskers(chart_page):
    svg = svg_of(chart_page)
    assert 'viewBox="0 0 640 360"' in svg
    assert ">2015</text>" in svg and ">2017</text>" in svg  # period ticks
    assert ">Period</text>" in svg and ">Value (%)</text>" in svg  # axis labels
    assert svg.count('stroke-dasharray="') == 3  # the place's line is solid
    assert svg.count('stroke-width="1.5"') == 12  # a whisker per value
    assert svg.count('stroke-width="3"') == 4  # one line per area


def test_legend_is_text_naming_each_line_and_its_style(chart_page):
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", chart_page)))
    assert "Testtown (solid line, circles)" in text
    assert "England (dashed line, squares)" in text
    assert "North Region (dotted line, triangles)" in text
    assert "Similar councils (dash-dot line, diamonds)" in text


def test_table_has_the_same_numbers_as_the_chart(chart_page):
    rows = table_of(chart_page)
    assert rows[0] == [
        "Period",
        "Testtown",
        "England",
        "North Region",
        "Similar councils",
    ]
    assert rows[1] == [
        "2015",
        "20.0% 18.5 to 21.5",
        "15.0% 13.5 to 16.5",
        "17.0% 15.5 to 18.5",
        "19.0% 17.5 to 20.5",
    ]
    assert rows[3][0] == "2017" and rows[3][1] == "22.0% 20.5 to 23.5"
    assert 'aria-label="Children in low-income families by period and area"' in (
        chart_page
    )
    assert 'class="marmot-table-wrapper" tabindex="0" role="region"' in chart_page


def test_chart_has_a_csv_download_link(chart_page):
    indicator_code = re.search(r"/indicators/([^/]+)/download\.csv", chart_page)
    assert indicator_code


def test_missing_periods_leave_gaps_in_the_table_and_the_line(client, db):
    place = PlaceFactory(area__name="Testtown", country__name="England")
    indicator = IndicatorFactory(unit="%")
    years = [PeriodFactory(label=str(y)) for y in (2015, 2016, 2017)]
    for period in (years[0], years[2]):
        IndicatorValueFactory(indicator=indicator, area=place.area, period=period)
    for period in years:
        IndicatorValueFactory(
            indicator=indicator, area=place.country, period=period, value=41.0
        )
    html = client.get(reverse("indicator-detail", args=[indicator.code])).content
    html = html.decode()
    rows = table_of(html)
    assert rows[2] == ["2016", "No value", "41.0% 38.0 to 42.0"]
    svg = svg_of(html)
    paths = re.findall(r'<path d="([^"]+)" stroke="[^"]+" stroke-width="3"', svg)
    assert len(paths) == 1  # England joins up; the place's two values do not


def test_a_single_period_is_drawn_and_summarised(client, db):
    place = PlaceFactory(area__name="Testtown")
    indicator = IndicatorFactory(unit="%")
    IndicatorValueFactory(
        indicator=indicator, area=place.area, period=PeriodFactory(label="2020")
    )
    response = client.get(reverse("indicator-detail", args=[indicator.code]))
    html = response.content.decode()
    assert 'role="img"' in svg_of(html)
    assert "Testtown's value was 40.0% in 2020." in page_text(response)
