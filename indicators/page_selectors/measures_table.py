"""The measures table (`/measures/`): every measure by principle, its two latest
snapshots side by side, as the place's published outcome-measure table sets
them out (date of measure; the place's, the country's and the region's values;
the comparisons with the country, the region and the nearest neighbours; the
trend). Fingertips' "tartan rug" for one place.

A measure with one period has the same snapshot twice, as the published table
repeats a snapshot that has not been updated. The judgements are the effective
ones (:mod:`indicators.selectors`), as on every other page.

The caller decides which indicators the visitor may see (this app does not
import the rules); eleven queries whatever the number of measures: the place,
the ids of the indicators, the six of
:func:`indicators.selectors.indicator_latest_values`, the earlier snapshots'
benchmark values, their assessments and their trends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from indicators.assessment.series import BenchmarkIndex
from indicators.filters import trend_group
from indicators.formatting import PERCENT, format_value, unit_of
from indicators.models import Assessment, Indicator, IndicatorValue
from indicators.selectors import (
    IndicatorLatest,
    assessments_effective,
    indicator_latest_values,
    place_get,
    trend_effective,
    value_judgements,
)

B = Assessment.Benchmark
R = Assessment.Result
COMPARED_WITH = (B.NATIONAL, B.REGION, B.NEAREST_NEIGHBOURS)
OVERARCHING = "Overarching"
#: The letters of the published table; results with no letter are written out.
LETTERS = {
    **Assessment.RAG_LETTERS,
    R.HIGHER: "Higher",
    R.LOWER: "Lower",
    R.NOT_COMPARED: "N/a",
}


@dataclass(frozen=True)
class Snapshot:
    """One period of one measure: values (numbers and as shown), judgements."""

    period: str
    values: tuple[float | None, float | None, float | None]  # place, country, region
    texts: tuple[str, str, str]
    results: tuple[str, str, str]  # vs country, region, neighbours; "" if none
    trend: str  # the trend label; "" if none
    trend_group: str | None  # as the dashboard's trend filter groups it

    @property
    def letters(self) -> tuple[str, str, str]:
        return tuple(LETTERS.get(r, "") for r in self.results)

    @property
    def comparisons(self) -> list[tuple[str, str]]:
        """(benchmark, result) for the template's comparison cells."""
        return list(zip(COMPARED_WITH, self.results, strict=True))


@dataclass(frozen=True)
class MeasureRow:
    code: str
    name: str
    published_name: str
    unit: str
    principle: str  # "Overarching" or "1".."8"
    order: tuple  # the published order: overarching first, then 1-8
    earlier: Snapshot | None
    latest: Snapshot | None

    @property
    def shown_name(self) -> str:
        """The name the table shows: the description as published."""
        return self.published_name or self.name

    @property
    def unit_words(self) -> str:
        """The unit beside the name, unless the cells show it all ("%")."""
        return "" if self.unit == PERCENT else self.unit

    @property
    def earlier_and_latest(self) -> tuple[Snapshot | None, Snapshot | None]:
        return (self.earlier, self.latest)

    @property
    def repeated(self) -> bool:
        """Only one period: the earlier snapshot is the latest, as published."""
        return self.earlier is not None and self.earlier == self.latest


# Sort orders: worst first for comparisons and trends, ties in published order.
_RESULT_ORDER = {R.WORSE: 0, R.SIMILAR: 1, R.BETTER: 2, R.HIGHER: 3, R.LOWER: 3}
# (indicators.filters.trend_group; None: a direction not judged)
_TREND_ORDER = {"worse": 0, "no_change": 1, "better": 2, None: 3}


def _by_result(index: int) -> Callable[[MeasureRow], tuple]:
    def key(row: MeasureRow) -> tuple:
        result = row.latest.results[index] if row.latest else ""
        return (_RESULT_ORDER.get(result, 4), row.order)

    return key


def _by_trend(row: MeasureRow) -> tuple:
    group = row.latest.trend_group if row.latest else "not_calculated"
    return (_TREND_ORDER.get(group, 4), row.order)


#: ?sort= values: what they sort by, in words, and the key. "-" reverses.
SORTS: dict[str, tuple[str, Callable[[MeasureRow], tuple]]] = {
    "principle": ("Marmot principle", lambda row: row.order),
    "name": ("measure name", lambda row: (row.shown_name.casefold(), row.order)),
    "england": ("comparison with the country, worst first", _by_result(0)),
    "region": ("comparison with the region, worst first", _by_result(1)),
    "neighbours": ("comparison with nearest neighbours, worst first", _by_result(2)),
    "trend": ("trend, getting worse first", _by_trend),
}
DEFAULT_SORT = "principle"


class SortError(ValueError):
    """A ?sort= value that is not one of :data:`SORTS` (with or without "-")."""


def sort_rows(rows: list[MeasureRow], sort: str) -> list[MeasureRow]:
    """``rows`` in the order ``sort`` names; raise SortError naming the choices."""
    name = sort.removeprefix("-")
    if name not in SORTS:
        choices = ", ".join(f'"{key}"' for key in SORTS)
        raise SortError(
            f'Sort by one of {choices}, or one of them after "-" for the '
            f'reverse order; "{sort}" is not one of them.'
        )
    return sorted(rows, key=SORTS[name][1], reverse=sort.startswith("-"))


@dataclass
class MeasuresTable:
    place_name: str
    country_name: str
    region_name: str
    rows: list[MeasureRow]
    sort: str = DEFAULT_SORT

    @property
    def sort_words(self) -> str:
        words = SORTS[self.sort.removeprefix("-")][0]
        return f"{words} (reversed)" if self.sort.startswith("-") else words


def _snapshot(
    indicator: Indicator,
    value: IndicatorValue | None,
    benchmarks: tuple[IndicatorValue | None, IndicatorValue | None],
    assessments: dict[str, Assessment],
    trend,
) -> Snapshot | None:
    if value is None:
        return None
    numbers = (value.value, *(b.value if b else None for b in benchmarks))
    return Snapshot(
        period=value.period.label,
        values=numbers,
        texts=tuple(_cell_text(n, indicator) for n in numbers),
        results=tuple(
            assessments[b].result if b in assessments else "" for b in COMPARED_WITH
        ),
        trend=trend.label if trend else "",
        trend_group=trend_group(trend),
    )


def _cell_text(number: float | None, indicator: Indicator) -> str:
    """A value in a narrow cell: the indicator's decimals, "%" for a
    percentage, the rest of the unit once beside the measure's name."""
    unit = PERCENT if unit_of(indicator).startswith(PERCENT) else ""
    return format_value(number, indicator.display_decimals, unit, blank="–")


def _principle(indicator: Indicator) -> tuple[str, tuple]:
    principle = indicator.principle
    number = principle.number if principle else 0
    order = (number, indicator.display_order, indicator.name.casefold(), indicator.pk)
    return (str(number) if principle else OVERARCHING), order


def measures_table(
    *, indicators: QuerySet[Indicator], sort: str = DEFAULT_SORT
) -> MeasuresTable:
    """The table of ``indicators`` (the ones the visitor may see) in ``sort``
    order (SortError if ``sort`` is not one we know). As the published table
    has them: outcome measures with values; output KPIs, measures awaiting
    data and those published only in words (no figure: ADR 0038) are on the
    dashboard, not here."""
    indicators = indicators.filter(kind=Indicator.Kind.OUTCOME).filter(
        Exists(
            IndicatorValue.objects.filter(indicator=OuterRef("pk"), value__isnull=False)
        )
    )
    place = place_get()
    entries = indicator_latest_values(
        indicator_ids=indicators.values_list("pk", flat=True)
    )
    earlier = _earlier_snapshots(entries, place)
    rows = []
    for entry in entries:
        indicator = entry.indicator
        key, order = _principle(indicator)
        latest = _snapshot(
            indicator,
            entry.value,
            (entry.national, entry.region),
            entry.assessments,
            entry.trend,
        )
        rows.append(
            MeasureRow(
                code=indicator.code,
                name=indicator.name,
                published_name=indicator.published_name,
                unit=unit_of(indicator),
                principle=key,
                order=order,
                earlier=earlier.get(indicator.pk, latest),
                latest=latest,
            )
        )
    return MeasuresTable(
        place_name=place.area.name if place else "",
        country_name=place.country.name if place else "England",
        region_name=place.region.name if place and place.region else "Region",
        rows=sort_rows(rows, sort),
        sort=sort,
    )


def _earlier_snapshots(entries: list[IndicatorLatest], place) -> dict[int, Snapshot]:
    """Indicator id -> the snapshot of its last period but one (three queries)."""
    previous = {e.indicator.pk: e.series[-2] for e in entries if len(e.series) > 1}
    if not previous or place is None:
        return {}
    areas = [place.country_id, place.region_id]
    index = BenchmarkIndex(
        IndicatorValue.objects.filter(
            indicator_id__in=list(previous),
            area_id__in=[a for a in areas if a],
            period_id__in={v.period_id for v in previous.values()},
            category_type="",
        ).only(
            "indicator_id",
            "area_id",
            "period_id",
            "sex",
            "age",
            "value",
            "category_type",
        )
    )
    judgements = value_judgements([v.pk for v in previous.values()])
    indicators = {e.indicator.pk: e.indicator for e in entries}
    snapshots = {}
    for indicator_id, value in previous.items():
        assessments, trends = judgements[value.pk]
        snapshots[indicator_id] = _snapshot(
            indicators[indicator_id],
            value,
            tuple(index.find(value, a) if a else None for a in areas),
            assessments_effective(assessments),
            trend_effective(trends),
        )
    return snapshots
