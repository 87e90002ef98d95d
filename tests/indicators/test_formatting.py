"""The one rule for how a measure's value reads (ADR 0017): pure, no database."""

import datetime as dt

import pytest

from indicators.formatting import (
    format_interval,
    format_number,
    format_value,
    indicator_value,
    publication_words,
    release_date_text,
    unit_of,
)
from indicators.models import Indicator, IndicatorValue

P = Indicator.ValueType


def indicator(unit="", multiplier=1, value_type=P.MEAN, decimals=1):
    return Indicator(
        unit=unit,
        multiplier=multiplier,
        value_type=value_type,
        display_decimals=decimals,
    )


@pytest.mark.parametrize(
    ("value", "measure", "shown"),
    [
        (85.7, indicator("%", 100, P.PROPORTION), "85.7%"),
        (85.4, indicator("%", 100, P.PROPORTION), "85.4%"),  # published "85.40%"
        (8.9, indicator("% of households", 100, P.PROPORTION), "8.9% of households"),
        (
            13.9,
            indicator("per 1,000 households", 1000, P.CRUDE_RATE),
            "13.9 per 1,000 households",
        ),
        (77.0, indicator("years", 1, P.LIFE_EXPECTANCY), "77.0 years"),
        (60.0, indicator("years", 1, P.LIFE_EXPECTANCY), "60.0 years"),  # "60"
        (0.11, indicator("", 1, P.MEAN, 2), "0.11"),
        (0.0, indicator("", 1, P.MEAN, 2), "0.00"),
        (-0.01, indicator("", 1, P.MEAN, 2), "-0.01"),
        (46.0, indicator("", 1, P.MEAN, 1), "46.0"),  # published "46.00"
        (40.0, indicator("%", 100, P.PROPORTION, 0), "40%"),
        (230.0, indicator("per 100,000", 100000, P.DSR), "230.0 per 100,000"),
        (12345.66, indicator("", 1, P.COUNT, 1), "12,345.7"),
        # no unit given: the multiplier says it
        (42.0, indicator("", 100, P.PROPORTION), "42.0%"),
        (7.25, indicator("", 1000, P.CRUDE_RATE, 2), "7.25 per 1,000"),
    ],
)
def test_a_value_reads_with_its_unit(value, measure, shown):
    assert indicator_value(value, measure) == shown


def test_halves_round_away_from_zero_and_never_minus_zero():
    assert format_number(0.125, 2) == "0.13"
    assert format_number(2.5, 0) == "3"
    assert format_number(-0.04, 1) == "0.0"


@pytest.mark.parametrize("decimals", [-1, 7, 10_000_000])
def test_decimals_outside_the_allowed_range_are_clamped_not_an_error(decimals):
    # A row written before the limit (or by hand) must not make a page a 500.
    shown = format_number(1.5, decimals)
    assert shown == ("2" if decimals < 0 else "1.500000")


def test_no_value():
    assert format_value(None, 1, "%") == "No value"
    assert indicator_value(None, indicator("%"), blank="") == ""


def test_unit_of_prefers_the_given_unit():
    assert unit_of(indicator("years", 1)) == "years"
    assert indicator_value(77.04, indicator(" years ", 1)) == "77.0 years"
    assert unit_of(indicator("", 1)) == ""


def test_interval():
    measure = indicator("%", 100, P.PROPORTION)
    assert format_interval(38.0, 42.04, measure) == "38.0 to 42.0"
    assert format_interval(None, 42.0, measure) == ""


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2024, 3, 15), "15 March 2024"),
        (dt.date(2024, 3, 1), "March 2024"),  # known to the month
        (dt.date(2024, 1, 1), "2024"),  # known to the year
        (None, ""),
    ],
)
def test_a_release_date_says_what_is_known(day, words):
    assert release_date_text(day) == words


def test_publication_words():
    row = IndicatorValue(release_date=dt.date(2024, 1, 1), source="Update (2024)")
    assert publication_words(row) == "Published 2024 in Update (2024)"
    assert publication_words(IndicatorValue(source="OHID")) == "Published in OHID"
    assert publication_words(IndicatorValue()) == ""


@pytest.mark.parametrize(
    ("value", "expected_start"),
    [
        (1e300, "1,000,000,000"),
        (-1.7976931348623157e308, "-179,769,313"),
        (5e-324, "0.0"),
    ],
)
def test_extreme_floats_format_without_error(value, expected_start):
    """The API fuzzer stores values as large as a float allows: they format."""
    assert format_number(value, 1).startswith(expected_start)
