"""The periods an output KPI is reported for, and which of them are due.

Pure Python: no Django. Local KPIs are reported by financial year (April to
March, as councils and the NHS plan), in financial quarters (``2025/26 Q1`` =
April to June 2025), months (``Apr 2025``) or whole years (``2025/26``); the
labels are the ones :func:`indicators.periods.parse_period_label` reads.
Irregular KPIs have no expected periods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from indicators.periods import parse_period_label

ANNUAL = "annual"
QUARTERLY = "quarterly"
MONTHLY = "monthly"
IRREGULAR = "irregular"  # the values of Indicator.Frequency (tests check)

PERIODS_IN_YEAR = {ANNUAL: 1, QUARTERLY: 4, MONTHLY: 12}
_MONTHS = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
]  # fmt: skip


@dataclass(frozen=True)
class ReportingPeriod:
    label: str
    starts_on: dt.date
    ends_on: dt.date
    year_label: str  # the financial year it falls in
    position: int  # 1-based position in that year (Q1 = 1, Apr = 1)


def financial_year_start(day: dt.date) -> int:
    """The calendar year in which the financial year holding ``day`` starts."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year_of(label: str) -> str | None:
    """The financial year label a reporting period label falls in, or None."""
    try:
        parsed = parse_period_label(label)
    except ValueError:
        return None
    start = financial_year_start(parsed.starts_on)
    if parsed.ends_on > dt.date(start + 1, 3, 31):
        return None  # spans two financial years
    return financial_year_label(start)


def year_periods(frequency: str, start_year: int) -> list[ReportingPeriod]:
    """The periods of ``frequency`` in the financial year starting in April of
    ``start_year``, in order (none for an irregular KPI)."""
    year = financial_year_label(start_year)
    if frequency == ANNUAL:
        labels = [year]
    elif frequency == QUARTERLY:
        labels = [f"{year} Q{q}" for q in range(1, 5)]
    elif frequency == MONTHLY:
        labels = []
        for offset in range(12):
            month = (3 + offset) % 12 + 1
            calendar_year = start_year if month >= 4 else start_year + 1
            labels.append(f"{_MONTHS[month - 1]} {calendar_year}")
    else:
        return []
    periods = []
    for position, label in enumerate(labels, start=1):
        parsed = parse_period_label(label)
        periods.append(
            ReportingPeriod(label, parsed.starts_on, parsed.ends_on, year, position)
        )
    return periods


def reporting_period(frequency: str, label: str) -> ReportingPeriod | None:
    """The reporting period with this label if it is one of ``frequency``'s."""
    year = financial_year_of(label)
    if year is None:
        return None
    for period in year_periods(frequency, int(year[:4])):
        if period.label == label:
            return period
    return None


def periods_between(
    frequency: str, first_day: dt.date, last_day: dt.date
) -> list[ReportingPeriod]:
    """The periods of ``frequency`` that start on or after ``first_day`` and
    start on or before ``last_day``, oldest first."""
    if frequency not in PERIODS_IN_YEAR or last_day < first_day:
        return []
    found = []
    for start_year in range(
        financial_year_start(first_day), financial_year_start(last_day) + 1
    ):
        found += [
            p
            for p in year_periods(frequency, start_year)
            if first_day <= p.starts_on <= last_day
        ]
    return found


def due_periods(
    *,
    frequency: str,
    expected_from: dt.date | None,
    retired_on: dt.date | None,
    today: dt.date,
    due_days: int,
) -> list[ReportingPeriod]:
    """The periods a value is due for by ``today``: those that start on or
    after ``expected_from``, start before ``retired_on`` (if retired) and
    ended more than ``due_days`` days before ``today``."""
    if expected_from is None:
        return []
    last_start = today
    if retired_on is not None:
        last_start = min(last_start, retired_on - dt.timedelta(days=1))
    return [
        p
        for p in periods_between(frequency, expected_from, last_start)
        if (today - p.ends_on).days > due_days
    ]


def open_period(frequency: str, today: dt.date) -> ReportingPeriod | None:
    """The period a value is recorded for now: the latest that has ended."""
    ended = [
        p
        for p in periods_between(
            frequency, dt.date(financial_year_start(today) - 1, 4, 1), today
        )
        if p.ends_on < today
    ]
    return ended[-1] if ended else None


def is_future(starts_on: dt.date, today: dt.date) -> bool:
    """A period that has not started yet: no value may be recorded for it."""
    return starts_on > today
