"""Freshness of an indicator's latest value: pure functions, no database."""

import datetime as dt

import pytest

from indicators.freshness import (
    FreshnessStatus,
    add_months,
    indicator_freshness,
    value_is_stale,
)
from indicators.models import Indicator, IndicatorValue, Period

FRESH, DUE, STALE = FreshnessStatus.FRESH, FreshnessStatus.DUE, FreshnessStatus.STALE


def indicator(frequency=Indicator.Frequency.ANNUAL, expected=None):
    return Indicator(
        code="x", name="X", update_frequency=frequency, expected_next_release=expected
    )


def value(ends_on, *, released=None, source="", label="2022", of=None):
    period = Period(
        label=label,
        kind=Period.Kind.CALENDAR_YEAR,
        starts_on=dt.date(ends_on.year, 1, 1),
        ends_on=ends_on,
        sort_key=ends_on.year * 10000,
    )
    row = IndicatorValue(period=period, release_date=released, source=source)
    if of is not None:
        row.indicator = of
    return row


END_2022 = dt.date(2022, 12, 31)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (dt.date(2024, 6, 30), FRESH),  # 18 months after the period ended
        (dt.date(2024, 7, 1), DUE),
        (dt.date(2024, 12, 31), DUE),
        (dt.date(2025, 1, 1), STALE),  # more than 24 months
    ],
)
def test_annual_indicator_by_age_of_the_latest_period(today, status):
    freshness = indicator_freshness(indicator(), value(END_2022), today=today)

    assert freshness.status is status
    assert freshness.next_update_by == dt.date(2024, 6, 30)


def test_stale_reason_names_the_period_and_source():
    latest = value(END_2022, source="OHID Fingertips")

    freshness = indicator_freshness(indicator(), latest, today=dt.date(2025, 3, 1))

    assert freshness.reason == (
        "The latest period, 2022, ended on 31 December 2022 (source: OHID "
        "Fingertips), more than 24 months ago; a newer value of this annual "
        "indicator should have been published by 30 June 2024."
    )


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (dt.date(2024, 11, 7), FRESH),  # 12 months after the release
        (dt.date(2024, 11, 8), DUE),
        (dt.date(2025, 5, 7), DUE),
        (dt.date(2025, 5, 8), STALE),  # more than 18 months
    ],
)
def test_a_known_release_date_is_judged_from_the_release(today, status):
    """The period ended long before (2022): the release is what counts."""
    latest = value(END_2022, released=dt.date(2023, 11, 7), source="OHID Fingertips")

    freshness = indicator_freshness(indicator(), latest, today=today)

    assert freshness.status is status
    assert freshness.next_update_by == dt.date(2024, 11, 7)


def test_the_release_reason_says_when_and_where_it_was_published():
    latest = value(END_2022, released=dt.date(2023, 11, 7), source="OHID Fingertips")

    freshness = indicator_freshness(indicator(), latest, today=dt.date(2025, 6, 1))

    assert freshness.reason == (
        "The latest value, for 2022, was published 7 November 2023 in OHID "
        "Fingertips, more than 18 months ago; the next release of this annual "
        "indicator was due by 7 November 2024."
    )


def test_a_release_known_only_to_the_year_is_judged_from_its_first_day():
    latest = value(END_2022, released=dt.date(2024, 1, 1), source="Update (2024)")

    freshness = indicator_freshness(indicator(), latest, today=dt.date(2026, 12, 2))

    assert freshness.status is STALE
    assert freshness.reason.startswith(
        "The latest value, for 2022, was published 2024 in Update (2024), more "
        "than 18 months ago"
    )


@pytest.mark.parametrize(
    ("frequency", "today", "status"),
    [
        (Indicator.Frequency.QUARTERLY, dt.date(2023, 6, 30), FRESH),
        (Indicator.Frequency.QUARTERLY, dt.date(2023, 7, 1), DUE),
        (Indicator.Frequency.QUARTERLY, dt.date(2023, 10, 1), STALE),
        (Indicator.Frequency.MONTHLY, dt.date(2023, 3, 31), FRESH),
        (Indicator.Frequency.MONTHLY, dt.date(2023, 4, 1), DUE),
        (Indicator.Frequency.MONTHLY, dt.date(2023, 6, 1), STALE),
        (Indicator.Frequency.IRREGULAR, dt.date(2030, 1, 1), FRESH),
    ],
)
def test_other_frequencies(frequency, today, status):
    freshness = indicator_freshness(indicator(frequency), value(END_2022), today=today)

    assert freshness.status is status


@pytest.mark.parametrize(
    ("today", "status", "reason"),
    [
        (
            dt.date(2025, 2, 28),
            FRESH,
            "The next release is expected on 1 March 2025.",
        ),
        (
            dt.date(2025, 3, 31),
            DUE,
            "The next release was expected on 1 March 2025 (30 days ago); import it "
            "when it is published.",
        ),
        (
            dt.date(2025, 4, 1),
            STALE,
            "The release expected on 1 March 2025 is 31 days overdue (more than 30); "
            "check the source and import it.",
        ),
    ],
)
def test_expected_next_release_decides_first(today, status, reason):
    # An old period, but the publisher's next release is what matters.
    latest = value(dt.date(2020, 12, 31), released=dt.date(2024, 3, 1))
    expecting = indicator(expected=dt.date(2025, 3, 1))

    freshness = indicator_freshness(expecting, latest, today=today)

    assert (freshness.status, freshness.reason) == (status, reason)


def test_a_release_already_loaded_falls_back_to_the_age_rule():
    latest = value(END_2022, released=dt.date(2024, 3, 5))
    expecting = indicator(expected=dt.date(2024, 3, 1))

    freshness = indicator_freshness(expecting, latest, today=dt.date(2024, 4, 1))

    assert freshness.status is FRESH
    assert freshness.reason.endswith(
        "The expected next release date (1 March 2024) has passed and should be "
        "updated."
    )


def test_no_value_is_stale():
    freshness = indicator_freshness(indicator(), None, today=dt.date(2024, 1, 1))

    assert (freshness.status, freshness.reason) == (
        STALE,
        "No value has been loaded yet.",
    )


def test_value_is_stale_uses_its_indicator():
    old = value(END_2022, of=indicator())

    assert value_is_stale(old, today=dt.date(2025, 1, 1))
    assert not value_is_stale(old, today=dt.date(2024, 7, 1))


def test_add_months_clamps_to_the_month_end():
    assert add_months(dt.date(2023, 8, 31), 18) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2023, 12, 31), 2) == dt.date(2024, 2, 29)
