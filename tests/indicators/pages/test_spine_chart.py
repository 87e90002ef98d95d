"""The spine chart page: each measure against the England range of areas."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.indicators.area_fixtures import areas_world
from tests.indicators.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
)

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _row(html: str, name: str) -> str:
    start = html.index(f">{name}</a>") + 1
    return _text(html[start : html.index("</tr>", start)])


def test_the_place_against_the_range_of_counties_and_uas(client):
    world = areas_world()
    no_range = IndicatorFactory(
        name="Measure with no areas", principle=world.indicator.principle
    )

    response = client.get(reverse("measures-spine"))
    html = response.content.decode()

    assert response.status_code == 200
    # 2022/23 values of the five counties & UAs in the file: 46.0, 58.0, 60.5,
    # 63.0, 68.0 (rounded). Type 7 quartiles of five values are the 2nd and 4th.
    # England 60.4; high is good, so worst is the lowest.
    row = _row(html, "Physically active adults")
    assert row.startswith(
        "Physically active adults 2022/23 46.0% 60.4% 46.0% 58.0% 60.5% 63.0% 68.0%"
    )
    assert "England range not available" in _row(html, no_range.name)
    assert 'aria-label="Physically active adults: place 46.0%, England 60.4%' in html


def test_low_is_good_puts_the_lowest_value_as_best(client):
    areas_world(polarity="low_is_good")

    row = _row(
        client.get(reverse("measures-spine")).content.decode(),
        "Physically active adults",
    )
    assert "46.0% 60.4% 68.0% 63.0% 60.5% 58.0% 46.0%" in row


def test_principle_filter_and_bad_input(client):
    world = areas_world(import_file=False)
    number = world.indicator.principle.number

    assert (
        client.get(reverse("measures-spine"), {"principle": number}).status_code == 200
    )
    assert client.get(reverse("measures-spine"), {"principle": "x"}).status_code == 400
    assert client.get(reverse("measures-spine"), {"principle": 999}).status_code == 404


def test_unpublished_measures_are_hidden_from_the_public(client):
    world = areas_world(import_file=False, is_published=False)

    html = client.get(reverse("measures-spine")).content.decode()
    assert world.indicator.name not in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("measures-spine"))
    return len(captured)


def test_queries_do_not_grow_with_measures_or_areas(client):
    world = areas_world()
    client.get(reverse("measures-spine"))  # the session and caches
    before = _queries(client)

    period = PeriodFactory(label="2023")
    for _ in range(5):
        other = IndicatorFactory(principle=world.indicator.principle)
        areas = [world.place.area, world.england, *world.neighbours.members.all()]
        for area in areas:
            IndicatorValueFactory(indicator=other, area=area, period=period)

    assert _queries(client) == before
    html = client.get(reverse("measures-spine")).content.decode()
    assert html.count("England range not available") == 0


def test_luton_published_table_has_no_area_ranges(client, luton):
    html = client.get(reverse("measures-spine")).content.decode()

    # The council's table gives Luton, England and the region only.
    assert "Measures against the England range" in html
    assert html.count("England range not available") == html.count('scope="row"')
