"""How values group into series and benchmark matches, and when periods are adjacent.

Shared by the recompute service and the selectors, so that "the place's headline
value", "England's value for the same breakdown" and "consecutive periods" mean
the same thing everywhere. Pure functions over model instances (no queries).

Rules:

* A **series** is one indicator x area x breakdown (sex, age, category type,
  category) with its periods in order (``period.sort_key``, then ``ends_on``).
* A **whole-population** row has no category breakdown (``category_type`` empty);
  sex and age may still be given (life expectancy is published by sex).
* **Benchmark match**: a benchmark area's whole-population row for the same
  indicator, period, sex and age. Sex "" and "Persons" are the same, as are age
  "" and "All ages" (case-insensitive): the council's table leaves them blank,
  Fingertips spells them out. An exact match wins over a normalised one.
* **Headline series** of an indicator in an area (used for targets and the
  dashboard): the whole-population series for persons of all ages; failing that
  persons of any age; failing that any whole-population series. Ties go to the
  series with the latest period, then the most rows, then (sex, age) order.
* **Consecutive periods** (for the recent trend): same ``kind``, same length, and
  the later one starts exactly one step after the earlier one - 12 months for
  (financial or calendar) years, including rolling pooled years (2016-18 then
  2017-19), 3 months for quarters and 1 month for months. Dates are used rather
  than ``sort_key`` because sort keys (by end month, then length: ADR 0006) do
  not step by one.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from indicators.models import IndicatorValue, Period

STEP_MONTHS = {
    Period.Kind.CALENDAR_YEAR: 12,
    Period.Kind.CALENDAR_YEARS: 12,
    Period.Kind.FINANCIAL_YEAR: 12,
    Period.Kind.FINANCIAL_YEARS: 12,
    Period.Kind.QUARTER: 3,
    Period.Kind.MONTH: 1,
}

_ALL_SEXES = {"", "persons", "all persons"}
_ALL_AGES = {"", "all ages"}

SeriesKey = tuple[int, int, str, str, str, str]
MatchKey = tuple[int, int, int, str, str]


def normal_sex(sex: str) -> str:
    """Sex in a comparable form: blank and "Persons" are the same."""
    text = sex.strip().lower()
    return "persons" if text in _ALL_SEXES else text


def normal_age(age: str) -> str:
    """Age in a comparable form: blank and "All ages" are the same."""
    text = age.strip().lower()
    return "all ages" if text in _ALL_AGES else text


def series_key(value: IndicatorValue) -> SeriesKey:
    return (
        value.indicator_id,
        value.area_id,
        value.sex,
        value.age,
        value.category_type,
        value.category,
    )


def period_order(value: IndicatorValue) -> tuple[int, object]:
    return (value.period.sort_key, value.period.ends_on)


def group_series(
    values: Iterable[IndicatorValue],
) -> dict[SeriesKey, list[IndicatorValue]]:
    """Values grouped by series, each series oldest first."""
    series: dict[SeriesKey, list[IndicatorValue]] = defaultdict(list)
    for value in values:
        series[series_key(value)].append(value)
    for rows in series.values():
        rows.sort(key=period_order)
    return dict(series)


class BenchmarkIndex:
    """Look up a benchmark area's whole-population value for a given value."""

    def __init__(self, values: Iterable[IndicatorValue]) -> None:
        self._exact: dict[MatchKey, IndicatorValue] = {}
        self._normal: dict[MatchKey, IndicatorValue] = {}
        for value in values:
            if value.category_type:
                continue
            ids = (value.indicator_id, value.area_id, value.period_id)
            self._exact[(*ids, value.sex, value.age)] = value
            self._normal.setdefault(
                (*ids, normal_sex(value.sex), normal_age(value.age)), value
            )

    def find(self, value: IndicatorValue, area_id: int) -> IndicatorValue | None:
        """The row of ``area_id`` matching ``value``'s indicator, period, sex, age."""
        ids = (value.indicator_id, area_id, value.period_id)
        exact = self._exact.get((*ids, value.sex, value.age))
        if exact is not None:
            return exact
        return self._normal.get((*ids, normal_sex(value.sex), normal_age(value.age)))


def headline_series(
    series: dict[SeriesKey, list[IndicatorValue]],
) -> dict[tuple[int, int], list[IndicatorValue]]:
    """(indicator id, area id) -> its headline whole-population series (see above)."""
    candidates: dict[tuple[int, int], list[list[IndicatorValue]]] = defaultdict(list)
    for key, rows in series.items():
        if not key[4] and rows:
            candidates[(key[0], key[1])].append(rows)

    def preference(rows: list[IndicatorValue]) -> tuple:
        first, latest = rows[0], rows[-1]
        persons = normal_sex(first.sex) == "persons"
        all_ages = normal_age(first.age) == "all ages"
        return (
            not (persons and all_ages),
            not persons,
            -latest.period.sort_key,
            -latest.period.ends_on.toordinal(),
            -len(rows),
            (first.sex, first.age),
        )

    return {
        owner: min(options, key=preference) for owner, options in candidates.items()
    }


def _month_index(day) -> int:
    return day.year * 12 + day.month - 1


def _length_months(period: Period) -> int:
    return _month_index(period.ends_on) - _month_index(period.starts_on)


def same_kind(a: Period, b: Period) -> bool:
    """Same kind and length (a 3-year pooled period is not a 2-year one)."""
    return a.kind == b.kind and _length_months(a) == _length_months(b)


def periods_consecutive(earlier: Period, later: Period) -> bool:
    """True when ``later`` is the period straight after ``earlier`` (see above)."""
    step = STEP_MONTHS.get(earlier.kind)
    if step is None or not same_kind(earlier, later):
        return False
    return _month_index(later.starts_on) - _month_index(earlier.starts_on) == step


def first_gap(periods: Sequence[Period]) -> tuple[Period, Period] | None:
    """The first adjacent pair of ``periods`` (oldest first) that is not consecutive."""
    for earlier, later in zip(periods, periods[1:], strict=False):
        if not periods_consecutive(earlier, later):
            return earlier, later
    return None
