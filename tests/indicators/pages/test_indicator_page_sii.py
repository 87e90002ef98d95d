"""The indicator page's slope index of inequality with its simulated limits and
the RII (issue 19, ADR 47), through HTTP.

The measure comes from `tests.indicators.pages.fixtures.measure_build` (without
its quintiles and wards); the deciles here have 95% limits.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.inequalities import SII_REPETITIONS
from tests.indicators.factories import IndicatorValueFactory, PeriodFactory
from tests.indicators.pages.fixtures import Tree, measure_build, page_text, text
from tests.workstreams.factories import WorkstreamFactory

DECILES = "County & UA deprivation deciles in England (IMD2019, 4/21 geog.)"
LABELS = (
    ["Most deprived decile (IMD2019)"]
    + [f"{w} more deprived decile (IMD2019)" for w in ("Second", "Third", "Fourth")]
    + ["Fifth more deprived decile (IMD2019)", "Fifth less deprived decile (IMD2019)"]
    + [f"{w} less deprived decile (IMD2019)" for w in ("Fourth", "Third", "Second")]
    + ["Least deprived decile (IMD2019)"]
)
FALLING = [30.0 - i * 20.0 / 9 for i in range(10)]  # 30% down to 10%


def url(indicator) -> str:
    return reverse("indicator-detail", args=[indicator.code])


def deciles(indicator, place, values=FALLING, half_width=2.0, **over):
    """Ten deciles in each of the measure's periods (the latest gets ``values``;
    ``over`` changes a label's fields there)."""
    periods = sorted(
        {v.period for v in indicator.values.select_related("period")},
        key=lambda p: p.sort_key,
    )
    for period in periods:
        latest = period == periods[-1]
        for label, value in zip(LABELS, values, strict=True):
            fields = {
                "value": value,
                "lower95": value - half_width,
                "upper95": value + half_width,
                "denominator": 1000,
                **(over.get(label, {}) if latest else {}),
            }
            IndicatorValueFactory(
                indicator=indicator,
                area=place.area,
                period=period,
                category_type=DECILES,
                category=label,
                count=None,
                **fields,
            )


def sii_paragraphs(response) -> dict[str, str]:
    assert response.status_code == 200
    tree = Tree(response.content.decode())
    return {
        name: " ".join(text(n) for n in tree.find(f"marmot-indicator__{name}"))
        for name in ("sii-gap", "sii-significance", "rii", "sii-method", "sii-note")
    }


def test_deciles_show_the_sii_with_its_limits_in_plain_words(client, db):
    indicator, place = measure_build(wards=0, quintiles=0)  # a proportion, in %
    deciles(indicator, place)
    found = sii_paragraphs(client.get(url(indicator)))
    # Deterministic (fixed seed): the same figures on every visit.
    assert found["sii-gap"].startswith(
        "The gap across deprivation deciles is 22.2 percentage points, higher at "
        "the most deprived end (95% limits 20.0 to 24.3; 99.8% limits 18.8 to "
        "25.5). This is the slope index of inequality (SII), -22.2: the least "
        "deprived end of the population-weighted line through the deciles minus "
        "the most deprived end."
    )
    assert found["sii-significance"] == (
        "The 95% limits do not include 0, so the gap is statistically significant."
    )
    assert found["rii"] == (
        "On the line, the most deprived end's value is 3.5 times the least "
        "deprived end's (95% limits 3.0 to 4.1): relative index of inequality "
        "(RII, the least deprived end over the most deprived end) 0.29 (95% "
        "limits 0.24 to 0.34)."
    )
    assert f"again {SII_REPETITIONS:,} times" in found["sii-method"]
    assert "PHEindicatormethods phe_sii" in found["sii-method"]
    assert "on the logit scale (as for a proportion)" in found["sii-method"]
    assert "fixed seed (0)" in found["sii-method"]
    assert found["sii-note"] == ""
    assert client.get(url(indicator)).content == client.get(url(indicator)).content


def test_missing_intervals_are_named_and_no_limits_are_shown(client, db):
    indicator, place = measure_build(wards=0, quintiles=0)
    none = {"lower95": None, "upper95": None}
    deciles(indicator, place, **{LABELS[0]: none})
    found = sii_paragraphs(client.get(url(indicator)))
    assert found["sii-gap"] == "" and found["sii-method"] == ""
    assert found["sii-note"] == (
        "No limits are shown for the SII: Most deprived decile (IMD2019) has no "
        "95% confidence interval, and the simulation draws each decile's value "
        "from its interval."
    )
    # The point estimate is still given.
    assert "slope index of inequality -22.2" in page_text(client.get(url(indicator)))


def test_a_gap_within_chance_is_said_not_significant(client, db):
    indicator, place = measure_build(
        wards=0, quintiles=0, value_type="mean", unit="", multiplier=1
    )
    flat = [20.0 + (0.5 if i % 2 else -0.5) for i in range(10)]
    deciles(indicator, place, values=flat, half_width=5.0)
    found = sii_paragraphs(client.get(url(indicator)))
    assert found["sii-significance"] == (
        "The 95% limits include 0, so the gap is not statistically significant: "
        "it could be down to chance."
    )
    assert "percentage points" not in found["sii-gap"]
    assert "logit" not in found["sii-method"] and "log scale" not in found["sii-method"]


def test_a_rate_is_simulated_on_the_log_scale(client, db):
    indicator, place = measure_build(
        wards=0, quintiles=0, value_type="dsr", unit="per 100,000", multiplier=100000
    )
    deciles(indicator, place, values=[500.0 - 30 * i for i in range(10)], half_width=40)
    found = sii_paragraphs(client.get(url(indicator)))
    assert found["sii-gap"].startswith(
        "The gap across deprivation deciles is 300.0 per 100,000, higher at the "
        "most deprived end"
    )
    assert "on the log scale (as for a rate)" in found["sii-method"]


@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_queries_stay_fixed_with_more_periods_of_deciles(client_as, role_users, role):
    users = role_users(chair_of=WorkstreamFactory(), other=WorkstreamFactory())
    indicator, place = measure_build(periods=2, wards=0, quintiles=0)
    deciles(indicator, place)
    client = client_as(users[role])
    counts = []
    for more in (0, 5):
        for year in range(2030, 2030 + more):
            period = PeriodFactory(label=str(year))
            IndicatorValueFactory(indicator=indicator, area=place.area, period=period)
            for label, value in zip(LABELS, FALLING, strict=True):
                IndicatorValueFactory(
                    indicator=indicator,
                    area=place.area,
                    period=period,
                    category_type=DECILES,
                    category=label,
                    value=value + 1,
                    lower95=value,
                    upper95=value + 2,
                )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(indicator))
        gap = sii_paragraphs(response)["sii-gap"]
        assert "95% limits" in gap
        counts.append(len(queries))
    assert "2034" in page_text(response)
    assert counts[0] == counts[1]


def test_deciles_without_any_interval_say_so_once(client, db):
    indicator, place = measure_build(wards=0, quintiles=0)
    none = {"lower95": None, "upper95": None}
    deciles(indicator, place, **dict.fromkeys(LABELS, none))
    found = sii_paragraphs(client.get(url(indicator)))
    assert found["sii-note"] == (
        "No limits are shown for the SII: the deciles have no 95% confidence "
        "intervals, and the simulation draws each decile's value from its interval."
    )
