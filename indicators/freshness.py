"""Is an indicator's latest value up to date? Fresh, due or stale, with a reason.

Pure functions over an indicator and its latest value (model instances, saved or
not; no queries beyond following ``value.period`` and ``value.indicator``).

Rules, in order:

1. No value at all -> stale.
2. The indicator has an ``expected_next_release`` that the latest value does not
   already cover (its ``release_date`` is before that date, or unknown):
   before that date -> fresh; up to :data:`RELEASE_GRACE_DAYS` after it -> due
   (look for the new release); later -> stale (the release was missed or not
   imported). A value released on or after the expected date means the date is
   out of date; the rule below applies and the reason says so.
3. Otherwise, when the latest value's ``release_date`` is known, by the time
   since that release, with :data:`RELEASE_AGE_MONTHS` per update frequency:
   the next edition is due one interval after it and stale half an interval
   later (annual: due after 12 months, stale after 18; quarterly 3 and 5;
   monthly 1 and 3). The source's release date, not the date the data was
   loaded: loading old data again does not make it fresh. A release date
   known only to the month or year is stored as its first day (data/README.md),
   so the judgement is never kinder than the truth.
4. Otherwise by the age of the latest period, counted from its end date, with
   :data:`PERIOD_AGE_MONTHS` per update frequency: the next period ends one
   interval later and is usually published within as long again, so an annual
   indicator is due 18 months after its latest period ended and stale after 24
   (about two years); quarterly 6 and 9 months; monthly 3 and 5.

Irregular indicators have no age rule and count as fresh (the reason says so).
"""

import calendar
import datetime as dt
import enum
from dataclasses import dataclass

from indicators.formatting import release_date_text
from indicators.models import Indicator, IndicatorValue

#: Days after an expected release date during which the release is "due".
RELEASE_GRACE_DAYS = 30
#: (due after, stale after) in months since the latest period ended.
PERIOD_AGE_MONTHS = {
    Indicator.Frequency.ANNUAL: (18, 24),
    Indicator.Frequency.QUARTERLY: (6, 9),
    Indicator.Frequency.MONTHLY: (3, 5),
}


#: (due after, stale after) in months since the latest value was released.
RELEASE_AGE_MONTHS = {
    Indicator.Frequency.ANNUAL: (12, 18),
    Indicator.Frequency.QUARTERLY: (3, 5),
    Indicator.Frequency.MONTHLY: (1, 3),
}


class FreshnessStatus(enum.StrEnum):
    FRESH = "fresh"
    DUE = "due"
    STALE = "stale"


@dataclass(frozen=True)
class Freshness:
    status: FreshnessStatus
    reason: str
    next_update_by: dt.date | None = None


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _released(value: IndicatorValue) -> str:
    parts = []
    if value.release_date:
        parts.append(f"released {release_date_text(value.release_date)}")
    if value.source:
        parts.append(f"source: {value.source}")
    return f" ({'; '.join(parts)})" if parts else ""


def _by_release_date(expected: dt.date, today: dt.date) -> Freshness:
    if today < expected:
        return Freshness(
            FreshnessStatus.FRESH,
            f"The next release is expected on {_date(expected)}.",
            expected,
        )
    late = (today - expected).days
    if late <= RELEASE_GRACE_DAYS:
        return Freshness(
            FreshnessStatus.DUE,
            f"The next release was expected on {_date(expected)} ({late} days "
            "ago); import it when it is published.",
            expected,
        )
    return Freshness(
        FreshnessStatus.STALE,
        f"The release expected on {_date(expected)} is {late} days overdue "
        f"(more than {RELEASE_GRACE_DAYS}); check the source and import it.",
        expected,
    )


def _by_release_age(
    indicator: Indicator, value: IndicatorValue, *, today: dt.date, note: str
) -> Freshness:
    """Rule 3: by the time since the latest value's release."""
    due_after, stale_after = RELEASE_AGE_MONTHS[indicator.update_frequency]
    released = value.release_date
    due_on = add_months(released, due_after)
    stale_on = add_months(released, stale_after)
    frequency = indicator.get_update_frequency_display().lower()
    latest = (
        f"The latest value, for {value.period.label}, was published "
        f"{release_date_text(released)}"
    )
    if value.source:
        latest += f" in {value.source}"
    if today > stale_on:
        return Freshness(
            FreshnessStatus.STALE,
            f"{latest}, more than {stale_after} months ago; the next release of "
            f"this {frequency} indicator was due by {_date(due_on)}.{note}",
            due_on,
        )
    if today > due_on:
        return Freshness(
            FreshnessStatus.DUE,
            f"{latest}, more than {due_after} months ago; the next release of this "
            f"{frequency} indicator is due.{note}",
            due_on,
        )
    return Freshness(
        FreshnessStatus.FRESH,
        f"{latest}; the next release is expected by about {_date(due_on)}.{note}",
        due_on,
    )


def indicator_freshness(
    indicator: Indicator, latest_value: IndicatorValue | None, *, today: dt.date
) -> Freshness:
    """Fresh, due or stale for ``indicator`` whose latest value is ``latest_value``.

    See the module docstring for the rules (expected release date first, then
    the age of the latest period by update frequency).
    """
    if latest_value is None:
        return Freshness(FreshnessStatus.STALE, "No value has been loaded yet.")
    expected = indicator.expected_next_release
    released = latest_value.release_date
    note = ""
    if expected is not None:
        if released is None or released < expected:
            return _by_release_date(expected, today)
        note = (
            f" The expected next release date ({_date(expected)}) has passed and "
            "should be updated."
        )
    period = latest_value.period
    limits = PERIOD_AGE_MONTHS.get(indicator.update_frequency)
    latest = f"The latest period, {period.label}, ended on {_date(period.ends_on)}"
    latest += _released(latest_value)
    if limits is None:
        return Freshness(
            FreshnessStatus.FRESH,
            f"{latest}. The indicator is updated irregularly, so no update is "
            f"overdue without an expected release date.{note}",
        )
    frequency = indicator.get_update_frequency_display().lower()
    if latest_value.release_date is not None:
        return _by_release_age(indicator, latest_value, today=today, note=note)
    due_after, stale_after = limits
    due_on = add_months(period.ends_on, due_after)
    stale_on = add_months(period.ends_on, stale_after)
    if today > stale_on:
        return Freshness(
            FreshnessStatus.STALE,
            f"{latest}, more than {stale_after} months ago; a newer value of this "
            f"{frequency} indicator should have been published by "
            f"{_date(due_on)}.{note}",
            due_on,
        )
    if today > due_on:
        return Freshness(
            FreshnessStatus.DUE,
            f"{latest}, more than {due_after} months ago; a newer value of this "
            f"{frequency} indicator is due.{note}",
            due_on,
        )
    return Freshness(
        FreshnessStatus.FRESH,
        f"{latest}; the next value is expected by about {_date(due_on)}.{note}",
        due_on,
    )


def value_is_stale(value: IndicatorValue, *, today: dt.date) -> bool:
    """True when ``value``, taken as its indicator's latest, would be stale.

    Reads ``value.indicator`` and ``value.period`` (select them in advance).
    """
    freshness = indicator_freshness(value.indicator, value, today=today)
    return freshness.status is FreshnessStatus.STALE
