"""The indicator page's bar chart of the place and its nearest neighbours."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from indicators.charts.bar import BarData, bar_chart, bar_summary, ordinal
from indicators.page_selectors.indicator_neighbours import neighbours_view
from indicators.selectors import place_get
from tests.indicators.area_fixtures import areas_world
from tests.indicators.factories import AreaFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


def _page(client, indicator):
    response = client.get(reverse("indicator-detail", args=[indicator.code]))
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str) -> str:
    start = html.index('id="neighbours"')
    return html[start : html.index("</table>", start)]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_page_shows_the_place_and_its_neighbours_with_england(client):
    world = areas_world()
    html = _page(client, world.indicator)
    section = _section(html)
    text = _text(section)

    # The file's 2022/23 values, highest first: Central Bedfordshire 68.0,
    # Milton Keynes 63.0, Bedford 60.5, Reading 58.0, Luton 46.0; England 60.4.
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>', section)
    assert [unescape(r) for r in rows] == [
        "Central Bedfordshire",
        "Milton Keynes",
        "Bedford",
        "Reading",
        "Luton (this area)",
    ]
    assert "In 2022/23, Luton is 5th highest of 5 areas." in text
    # Against England's 60.4%, by the 95% intervals in the file: Central
    # Bedfordshire and Milton Keynes above, Bedford inside, Reading below.
    assert (
        "Compared with England (60.4%): 2 neighbours are significantly better; "
        "1 neighbour is significantly worse; 1 neighbour is similar." in text
    )
    assert "68.0%" in text and "46.0%" in text
    # The place's bar: hatched and outlined, and labelled, not only coloured.
    assert 'fill="url(#neighbours-place-hatch)" stroke="#0b0c0c"' in section
    assert "Luton (this area)</text>" in section
    assert "England 60.4%" in section  # the England line's label
    assert 'href="#neighbours"' in html


def test_no_neighbour_values_no_chart(client):
    world = areas_world(import_file=False)
    IndicatorValueFactory(indicator=world.indicator, area=world.place.area, value=40.0)

    assert 'id="neighbours"' not in _page(client, world.indicator)


def test_unpublished_indicator_stays_hidden(client):
    world = areas_world(is_published=False)

    response = client.get(reverse("indicator-detail", args=[world.indicator.code]))
    assert response.status_code == 404


@pytest.mark.parametrize("extra", [0, 12])
def test_the_chart_costs_one_query_whatever_the_group_size(
    client, extra, django_assert_num_queries
):
    world = areas_world()
    members = [AreaFactory() for _ in range(extra)]
    world.neighbours.members.add(*members)
    place = place_get()
    latest = place.area.values.select_related("period").get(period__label="2022/23")
    for area in members:
        IndicatorValueFactory(
            indicator=world.indicator,
            area=area,
            period=latest.period,
            sex=latest.sex,
            age=latest.age,
            value=55.0,
            lower95=53.0,
            upper95=57.0,
        )

    with django_assert_num_queries(1):
        view = neighbours_view(indicator=world.indicator, place=place, latest=latest)

    assert len(view.rows) == 5 + extra
    assert f"of {5 + extra} areas" in _text(_section(_page(client, world.indicator)))


def test_bar_geometry_and_words():
    bars = [
        BarData("A", 10.0, 8.0, 12.0),
        BarData("Place", 20.0, 18.0, 22.0, is_place=True),
        BarData("B", 30.0),
    ]
    chart = bar_chart(bars, format_value=lambda x: f"{x:.1f}", benchmark=15.0)

    assert [b.label for b in chart.bars] == ["B", "Place (this area)", "A"]
    assert chart.bars[2].whisker and not chart.bars[0].whisker
    assert chart.ticks[0].label == "0"
    assert chart.benchmark_label == "England 15.0"
    assert bar_summary(
        "Place", bars, {"A": "worse", "B": "not_compared"}, period="2023"
    ) == (
        "In 2023, Place is 2nd highest of 3 areas. Compared with England: "
        "1 neighbour is significantly worse; 1 neighbour is not compared "
        "(no confidence interval)."
    )
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
    ]
    assert bar_chart([], format_value=str) is None
