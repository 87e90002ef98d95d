"""indicators/{code}/inequalities/: the SII's simulated limits and the RII
(issue 19, ADR 47). Every answer is checked against the schema
(tests/api/schema_validation.py)."""

import pytest

from indicators.inequalities import SII_REPETITIONS, SII_SEED
from tests.indicators.api.conftest import put
from tests.indicators.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators/smoking/inequalities/"


def quintiles(indicator, area, year, *, top, step, missing_interval=()):
    for rank in (1, 2, 3, 4, 5):
        value = top - step * (rank - 1)
        limits = (
            {"lower95": None, "upper95": None}
            if rank in missing_interval
            else {"lower95": value - 1, "upper95": value + 1}
        )
        put(
            indicator,
            area,
            year,
            value,
            category_type="Deprivation quintile",
            category=f"Quintile {rank}",
            denominator=1000.0,
            **limits,
        )


def test_every_period_has_the_sii_with_simulated_limits(anon, place):
    indicator = IndicatorFactory(code="smoking", value_type="proportion")
    quintiles(indicator, place.area, 2022, top=30.0, step=2.0)
    quintiles(indicator, place.area, 2023, top=21.0, step=0.2)

    response = anon.get(URL)

    assert response.status_code == 200, response.content
    [breakdown] = response.json()["breakdowns"]
    wide, narrow = breakdown["periods"]
    for period in (wide, narrow):
        limits = period["sii_limits"]
        assert limits["sii"] == pytest.approx(period["sii"]["sii"])
        assert limits["sii_value_type"] == "proportion"
        assert limits["transform"] is True
        assert limits["repetitions"] == SII_REPETITIONS
        assert limits["seed"] == SII_SEED
        assert [at["confidence"] for at in limits["limits"]] == [0.95, 0.998]
        assert period["sii_note"] == ""
    at95 = wide["sii_limits"]["limits"][0]
    assert at95["sii_lower"] < -10.0 < at95["sii_upper"] < 0  # 8 over 0.8 ranks
    assert at95["rii_lower"] < wide["sii_limits"]["rii"] < at95["rii_upper"]
    assert wide["sii_significant"] is True
    # 0.8 points across the quintiles, each known to ±1: within chance.
    assert narrow["sii_significant"] is False
    assert anon.get(URL).json() == response.json()  # the same on every call


def test_missing_intervals_give_no_limits_and_say_why(anon, place):
    indicator = IndicatorFactory(code="smoking", value_type="proportion")
    quintiles(indicator, place.area, 2023, top=30.0, step=2.0, missing_interval=(5,))

    [breakdown] = anon.get(URL).json()["breakdowns"]
    [latest] = breakdown["periods"]
    assert latest["sii"]["sii"] == pytest.approx(-10.0)
    assert latest["sii_limits"] is None
    assert latest["sii_significant"] is None
    assert latest["sii_note"] == (
        "No limits are shown for the SII: Quintile 5 has no 95% confidence "
        "interval, and the simulation draws each quintile's value from its "
        "interval."
    )


def test_a_breakdown_other_than_deprivation_has_no_sii(anon, place):
    indicator = IndicatorFactory(code="smoking")
    for group, value in (("A", 10.0), ("B", 14.0)):
        put(
            indicator,
            place.area,
            2023,
            value,
            category_type="Ethnic group",
            category=group,
        )

    [breakdown] = anon.get(URL).json()["breakdowns"]
    [latest] = breakdown["periods"]
    assert latest["sii"] is None
    assert latest["sii_limits"] is None
    assert latest["sii_significant"] is None
    assert latest["sii_note"] == ""
