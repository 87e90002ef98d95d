"""The output-KPI calendar (ADR 32): financial years from April, which
periods a value is due for, and which is open now."""

import datetime as dt

import pytest

from indicators import reporting_periods as rp
from indicators.models import Indicator

D = dt.date


def labels(periods):
    return [p.label for p in periods]


def test_the_frequency_names_are_the_models():
    assert {rp.ANNUAL, rp.QUARTERLY, rp.MONTHLY, rp.IRREGULAR} == set(
        Indicator.Frequency.values
    )


def test_a_financial_year_has_quarters_from_april():
    quarters = rp.year_periods(rp.QUARTERLY, 2025)
    assert labels(quarters) == [f"2025/26 Q{q}" for q in (1, 2, 3, 4)]
    assert (quarters[0].starts_on, quarters[3].ends_on) == (
        D(2025, 4, 1),
        D(2026, 3, 31),
    )
    assert [p.position for p in quarters] == [1, 2, 3, 4]


def test_months_run_april_to_march_and_a_year_is_one_period():
    months = rp.year_periods(rp.MONTHLY, 2025)
    assert (months[0].label, months[-1].label, len(months)) == (
        "Apr 2025",
        "Mar 2026",
        12,
    )
    assert labels(rp.year_periods(rp.ANNUAL, 2025)) == ["2025/26"]
    assert rp.year_periods(rp.IRREGULAR, 2025) == []


@pytest.mark.parametrize(
    ("label", "year"),
    [
        ("2025/26 Q4", "2025/26"),
        ("Mar 2026", "2025/26"),
        ("Apr 2026", "2026/27"),
        ("2025/26", "2025/26"),
        ("2024/25 - 25/26", None),
        ("not a period", None),
    ],
)
def test_the_financial_year_of_a_label(label, year):
    assert rp.financial_year_of(label) == year


def test_only_the_frequencys_own_periods_are_reporting_periods():
    assert rp.reporting_period(rp.QUARTERLY, "2025/26 Q3").position == 3
    assert rp.reporting_period(rp.QUARTERLY, "2025/26") is None
    assert rp.reporting_period(rp.QUARTERLY, "2025 Q3") is None  # calendar quarter
    assert rp.reporting_period(rp.ANNUAL, "2025/26").label == "2025/26"


def test_the_open_period_is_the_latest_that_has_ended():
    assert rp.open_period(rp.QUARTERLY, D(2026, 12, 3)).label == "2026/27 Q2"
    assert rp.open_period(rp.QUARTERLY, D(2026, 10, 1)).label == "2026/27 Q2"
    assert rp.open_period(rp.QUARTERLY, D(2026, 9, 30)).label == "2026/27 Q1"
    assert rp.open_period(rp.ANNUAL, D(2026, 12, 3)).label == "2025/26"


def test_due_periods_start_when_expected_and_wait_the_grace_days():
    due = rp.due_periods(
        frequency=rp.QUARTERLY,
        expected_from=D(2025, 10, 1),
        retired_on=None,
        today=D(2026, 10, 30),
        due_days=30,
    )
    # 2026/27 Q2 ended on 30 September: 30 days later it is not yet overdue.
    assert labels(due) == ["2025/26 Q3", "2025/26 Q4", "2026/27 Q1"]
    later = rp.due_periods(
        frequency=rp.QUARTERLY,
        expected_from=D(2025, 10, 1),
        retired_on=None,
        today=D(2026, 10, 31),
        due_days=30,
    )
    assert labels(later)[-1] == "2026/27 Q2"


def test_nothing_is_due_after_retirement_or_without_a_start():
    common = {"frequency": rp.QUARTERLY, "today": D(2026, 12, 3), "due_days": 30}
    retired = rp.due_periods(
        expected_from=D(2025, 4, 1), retired_on=D(2025, 10, 1), **common
    )
    assert labels(retired) == ["2025/26 Q1", "2025/26 Q2"]
    assert rp.due_periods(expected_from=None, retired_on=None, **common) == []


def test_a_period_that_has_not_started_is_in_the_future():
    assert rp.is_future(D(2026, 12, 4), D(2026, 12, 3))
    assert not rp.is_future(D(2026, 12, 3), D(2026, 12, 3))
