"""The indicator page's funnel plot of the place and its nearest neighbours
(issue 19), beside the bar chart (test_indicator_neighbours.py)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from indicators.models import Indicator
from indicators.page_selectors.indicator_neighbours import neighbours_view
from indicators.selectors import place_get
from tests.indicators.area_fixtures import areas_world
from tests.indicators.factories import AreaFactory, IndicatorValueFactory, PeriodFactory

pytestmark = pytest.mark.django_db


def _page(client, indicator) -> str:
    response = client.get(reverse("indicator-detail", args=[indicator.code]))
    assert response.status_code == 200
    return response.content.decode()


def _funnel(html: str) -> str:
    start = html.index('<h3 class="govuk-heading-s" id="funnel"')
    return html[start : html.index("</main>", start)]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _rate_world(*, rates: dict[str, tuple[float | None, float | None]], **fields):
    """Luton's world without the file: one 2023 value per area (value 'count per
    denominator' x 100,000), England at 500 per 100,000."""
    world = areas_world(
        import_file=False,
        **{
            "value_type": Indicator.ValueType.CRUDE_RATE,
            "unit": "per 100,000",
            "multiplier": 100_000,
            "polarity": Indicator.Polarity.LOW_IS_GOOD,
            **fields,
        },
    )
    period = PeriodFactory(label="2023")
    areas = {a.name: a for a in world.neighbours.members.all()}
    areas |= {"Luton": world.place.area, "England": world.england}
    for name, (count, denominator) in rates.items():
        value = (
            count / denominator * 100_000
            if count is not None and denominator
            else 450.0
        )
        IndicatorValueFactory(
            indicator=world.indicator,
            area=areas[name],
            period=period,
            value=value,
            lower95=None,
            upper95=None,
            count=count,
            denominator=denominator,
        )
    return world


RATES = {
    "England": (250_000, 50_000_000),
    "Luton": (1_200, 200_000),  # 600 per 100,000
    "Bedford": (900, 180_000),  # 500
    "Central Bedfordshire": (1_050, 300_000),  # 350
    "Milton Keynes": (1_150, 250_000),  # 460
    "Reading": (800, 160_000),  # 500
}


def test_a_proportion_gets_a_funnel_with_the_areas_outside_named(client):
    world = areas_world()
    funnel = _funnel(_page(client, world.indicator))
    text = _text(funnel)

    svg = funnel[funnel.index("<svg") : funnel.index("</svg>")]
    assert 'role="img"' in svg and "Funnel plot of Physically active adults" in svg
    assert "Luton (this area)</text>" in svg  # the place is labelled, not coloured
    assert "England 60.4%" in svg  # the benchmark line's label
    assert "Denominator</text>" in svg and "Value (%)</text>" in svg
    # 95% and 99.8% limits, upper and lower, each a drawn path
    assert len(re.findall(r'class="marmot-funnel__limit[^"]*" d="M', svg)) == 2
    assert svg.count('class="marmot-funnel__point') == 5
    # Against England's 60.4% by the Wilson funnel (z: Luton -17, Central
    # Bedfordshire 9.6, Milton Keynes 3.2, Reading -2.2, Bedford 0.1)
    outside = re.findall(r"<li>(.*?)</li>", funnel[: funnel.index("</ul>")])
    assert outside == [
        "Central Bedfordshire lies above the upper 99.8% limit.",
        "Milton Keynes lies above the upper 99.8% limit.",
        "Luton lies below the lower 99.8% limit.",
        "Reading lies below the lower 95% limit (inside the 99.8% limits).",
    ]
    assert "Luton lies below the lower 99.8% limit. 2 areas lie above" in text
    # the table alternative: every area with its count and denominator
    table = funnel[funnel.index('id="funnel-table"') : funnel.index("</table>")]
    rows = [_text(r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table)[1:]]
    assert rows[0] == (
        "Central Bedfordshire 68.0% 2,747 4,040 Above the upper 99.8% limit"
    )
    assert rows[-1] == "Luton (this area) 46.0% 1,398 3,040 Below the lower 99.8% limit"
    assert "Bedford 60.5% 1,537 2,540 Inside the 95% limits" in rows
    assert 'id="funnel-reason"' not in funnel


def test_a_crude_rate_gets_a_poisson_funnel(client):
    world = _rate_world(rates=RATES)
    funnel = _funnel(_page(client, world.indicator))

    assert "England 500.0 per 100,000" in funnel
    outside = re.findall(r"<li>(.*?)</li>", funnel[: funnel.index("</ul>")])
    # Luton's 1,200 events where 1,000 are expected; Central Bedfordshire's
    # 1,050 where 1,500 are (both far beyond Byar's 99.8% limits); Milton
    # Keynes' 1,150 against 1,250 (z about -2.8).
    assert outside == [
        "Luton lies above the upper 99.8% limit.",
        "Central Bedfordshire lies below the lower 99.8% limit.",
        "Milton Keynes lies below the lower 95% limit (inside the 99.8% limits).",
    ]
    assert "Expected count" not in funnel and "Denominator</text>" in funnel


def test_areas_without_count_and_denominator_are_said_in_words(client):
    rates = dict.fromkeys(RATES, (None, None))
    rates["Bedford"] = RATES["Bedford"]
    world = _rate_world(rates=rates)
    funnel = _funnel(_page(client, world.indicator))

    assert "<svg" not in funnel  # no empty chart
    assert _text(funnel).startswith(
        "Funnel plot No funnel plot is shown: it needs at least two of these "
        "areas with a count and denominator for 2023, and 1 has them."
    )
    assert "Central Bedfordshire, Luton, Milton Keynes, Reading." in _text(funnel)


def test_an_area_whose_count_does_not_give_its_value_is_left_out(client):
    world = _rate_world(rates=RATES)
    reading = world.indicator.values.get(area__name="Reading")
    reading.value = 250.0  # 800 / 160,000 is 500 per 100,000
    reading.save()
    funnel = _funnel(_page(client, world.indicator))

    assert funnel.count('class="marmot-funnel__point') == 4
    assert "that give the value: Reading." in _text(funnel)


@pytest.mark.parametrize(
    "value_type, words",
    [
        (Indicator.ValueType.MEAN, "mean or score"),
        (Indicator.ValueType.LIFE_EXPECTANCY, "life expectancy"),
    ],
)
def test_a_value_type_without_a_funnel_says_why(client, value_type, words):
    world = _rate_world(rates=RATES, value_type=value_type)
    html = _page(client, world.indicator)
    funnel = _funnel(html)

    assert 'id="neighbours-chart"' in html  # the bar chart is still there
    assert "<svg" not in funnel
    assert (
        "No funnel plot is shown: funnel plots are drawn for proportions, crude "
        "rates, ratios and directly standardised rates, and this measure is a "
        f"{words}." in _text(funnel)
    )


def test_a_dsr_is_plotted_against_the_population_its_events_imply(client):
    # PHEindicatormethods' calculate_funnel_points (rate_type = "dsr"): each
    # area at multiplier x events / DSR, Poisson limits around England's
    # rate; a DSR of fewer than 10 events is left out (not calculated).
    rates = {**RATES, "Reading": (8, 1_600)}  # 500 per 100,000 from 8 events
    world = _rate_world(rates=rates, value_type=Indicator.ValueType.DSR)
    funnel = _funnel(_page(client, world.indicator))

    # The DSRs here equal the crude rates, so the implied populations are the
    # denominators and the areas outside are the crude rate's.
    outside = re.findall(r"<li>(.*?)</li>", funnel[: funnel.index("</ul>")])
    assert outside == [
        "Luton lies above the upper 99.8% limit.",
        "Central Bedfordshire lies below the lower 99.8% limit.",
        "Milton Keynes lies below the lower 95% limit (inside the 99.8% limits).",
    ]
    assert "Population implied (events ÷ rate)</text>" in funnel
    assert "Not plotted, for want of 10 or more events and a rate: Reading." in (
        _text(funnel)
    )


def test_a_ratio_is_plotted_against_expected_counts(client):
    world = _rate_world(
        rates=RATES, value_type=Indicator.ValueType.RATIO, unit="", multiplier=100_000
    )
    funnel = _funnel(_page(client, world.indicator))
    assert "Expected count</text>" in funnel
    assert "Luton lies above the upper 99.8% limit." in funnel


@pytest.mark.parametrize("extra", [0, 12])
def test_the_funnel_costs_no_query_of_its_own(client, extra, django_assert_num_queries):
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
            count=1100,
            denominator=2000,
        )

    with django_assert_num_queries(1):
        view = neighbours_view(indicator=world.indicator, place=place, latest=latest)

    assert len(view.funnel.chart.points) == 5 + extra
    assert len(view.funnel.rows) == 5 + extra
    funnel = _funnel(_page(client, world.indicator))
    assert funnel.count('class="marmot-funnel__point') == 5 + extra
