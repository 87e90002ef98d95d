"""Reads for indicator values, their assessments and trends (ADR 5).

Which judgement is shown
------------------------
Each value may hold a published, a computed and a manual row for the same
benchmark (and likewise for its trend). The one shown, the *effective* one, is
the first of:

1. manual - an officer decided, with a reason;
2. computed, when it gives an opinion (not "not compared" / "Cannot be
   calculated");
3. published, when it gives an opinion;
4. computed without an opinion;
5. published without an opinion.

So computed beats published when both judge (a disagreement stays flagged on
the computed row, see :func:`assessments_disagreeing`), but a computation that
could not judge - e.g. the council's table has no confidence intervals - never
hides what was published.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from indicators.assessment.judgements import NO_OPINION_RESULTS, NO_OPINION_TRENDS
from indicators.assessment.series import BenchmarkIndex, group_series, headline_series
from indicators.freshness import Freshness, indicator_freshness
from indicators.models import (
    Area,
    Assessment,
    Indicator,
    IndicatorValue,
    Method,
    Period,
    Place,
    Trend,
)

_METHOD_RANK = {Method.MANUAL: 0, Method.COMPUTED: 1, Method.PUBLISHED: 2}


def _rank(method: str, has_opinion: bool) -> tuple[int, int]:
    if method == Method.MANUAL:
        return (0, 0)
    return (0 if has_opinion else 1, _METHOD_RANK.get(method, 3))


def assessment_effective(assessments: Iterable[Assessment]) -> Assessment | None:
    """The row to show among one value's rows for ONE benchmark (see above)."""
    return min(
        assessments,
        key=lambda a: _rank(a.method, a.result not in NO_OPINION_RESULTS),
        default=None,
    )


def assessments_effective(assessments: Iterable[Assessment]) -> dict[str, Assessment]:
    """Benchmark -> the row to show, from all of one value's assessments."""
    by_benchmark: dict[str, list[Assessment]] = defaultdict(list)
    for assessment in assessments:
        by_benchmark[assessment.benchmark].append(assessment)
    return {
        benchmark: assessment_effective(rows)
        for benchmark, rows in by_benchmark.items()
    }


def trend_effective(trends: Iterable[Trend]) -> Trend | None:
    """The trend to show among one value's trends (same precedence)."""
    return min(
        trends,
        key=lambda t: _rank(t.method, t.label not in NO_OPINION_TRENDS),
        default=None,
    )


@dataclass
class IndicatorLatest:
    """One indicator's latest place value with its benchmarks and judgements."""

    indicator: Indicator
    value: IndicatorValue | None
    benchmark_values: dict[str, IndicatorValue | None]
    assessments: dict[str, Assessment]
    assessment_rows: list[Assessment]
    trend: Trend | None
    trend_rows: list[Trend]
    series: list[IndicatorValue] = field(default_factory=list)
    freshness: Freshness | None = None
    #: An output KPI's progress (indicators.output_progress.OutputProgress),
    #: when the dashboard has read it; None for an outcome measure.
    output: Any = None

    @property
    def national(self) -> IndicatorValue | None:
        return self.benchmark_values.get(Assessment.Benchmark.NATIONAL)

    @property
    def region(self) -> IndicatorValue | None:
        return self.benchmark_values.get(Assessment.Benchmark.REGION)

    @property
    def nearest_neighbours(self) -> IndicatorValue | None:
        return self.benchmark_values.get(Assessment.Benchmark.NEAREST_NEIGHBOURS)

    @property
    def has_disagreement(self) -> bool:
        rows = [*self.assessment_rows, *self.trend_rows]
        return any(r.disagrees_with_published for r in rows)


def _benchmark_areas(place: Place) -> dict[str, int | None]:
    return {
        Assessment.Benchmark.NATIONAL: place.country_id,
        Assessment.Benchmark.REGION: place.region_id,
        Assessment.Benchmark.NEAREST_NEIGHBOURS: place.nearest_neighbours_id,
    }


def indicator_latest_values(
    *,
    indicator_ids: Iterable[int] | None = None,
    published_only: bool = False,
    today: dt.date | None = None,
) -> list[IndicatorLatest]:
    """Every indicator (in display order) with its latest place value.

    The latest value is the last period of the place's headline series
    (:func:`indicators.assessment.series.headline_series`, persons of all
    ages where available); with it the national, region and nearest-neighbours
    values for the same period, sex and age, the effective assessment per
    benchmark and the effective trend (each row keeps its ``method``), all
    rows for the value, the series oldest first (for sparklines) and its
    freshness on ``today`` (default: the local date).

    Six queries whatever the number of indicators or values: place (with its
    areas), indicators, whole-population values, their periods, assessments,
    trends.
    """
    today = today or timezone.localdate()
    indicators = Indicator.objects.select_related("principle")
    if indicator_ids is not None:
        indicators = indicators.filter(pk__in=list(indicator_ids))
    if published_only:
        indicators = indicators.filter(is_published=True)
    place = Place.objects.select_related(
        "area", "country", "region", "nearest_neighbours"
    ).first()
    indicators = list(indicators)
    if place is None:
        return [
            IndicatorLatest(i, None, {}, {}, [], None, [], [], None) for i in indicators
        ]
    benchmark_areas = _benchmark_areas(place)
    area_ids = {place.area_id, *(a for a in benchmark_areas.values() if a)}
    by_id = {i.pk: i for i in indicators}
    values = list(
        IndicatorValue.objects.filter(
            indicator_id__in=list(by_id), area_id__in=area_ids, category_type=""
        )
        .order_by("pk")
        .defer("created_at", "updated_at")
    )
    _attach(values, by_id, _place_areas(place), _periods_of(values))
    headlines = headline_series(group_series(values))
    index = BenchmarkIndex(values)

    entries = []
    for indicator in indicators:
        rows = headlines.get((indicator.pk, place.area_id), [])
        latest = rows[-1] if rows else None
        benchmark_values = {
            benchmark: index.find(latest, area_id) if latest and area_id else None
            for benchmark, area_id in benchmark_areas.items()
        }
        entries.append(
            IndicatorLatest(
                indicator=indicator,
                value=latest,
                benchmark_values=benchmark_values,
                assessments={},
                assessment_rows=[],
                trend=None,
                trend_rows=[],
                series=rows,
                freshness=indicator_freshness(indicator, latest, today=today),
            )
        )
    _attach_judgements(entries)
    return entries


def _place_areas(place: Place) -> dict[int, Area]:
    areas = [place.area, place.country, place.region, place.nearest_neighbours]
    return {area.pk: area for area in areas if area is not None}


def _periods_of(values: list[IndicatorValue]) -> dict[int, Period]:
    return Period.objects.in_bulk({value.period_id for value in values})


_VALUE_FIELDS = {
    name: IndicatorValue._meta.get_field(name)
    for name in ("indicator", "area", "period")
}


def _attach(values, indicators: dict, areas: dict, periods: dict) -> None:
    """Give each value its (shared) indicator, area and period without a query.

    The dashboard reads tens of thousands of values at a large place; one
    instance per area and period, instead of a joined copy on every row, and
    the field's own cache setter instead of the descriptor, leave the load
    no per-row objects to build but the values (bench/README.md)."""
    indicator, area, period = (_VALUE_FIELDS[n].set_cached_value for n in _VALUE_FIELDS)
    for value in values:
        indicator(value, indicators[value.indicator_id])
        area(value, areas[value.area_id])
        period(value, periods[value.period_id])


def _attach_judgements(entries: list[IndicatorLatest]) -> None:
    latest_ids = [e.value.pk for e in entries if e.value is not None]
    assessments: dict[int, list[Assessment]] = defaultdict(list)
    for row in (
        Assessment.objects.filter(value_id__in=latest_ids)
        .order_by("pk")
        .select_related("benchmark_area", "set_by")
    ):
        assessments[row.value_id].append(row)
    trends: dict[int, list[Trend]] = defaultdict(list)
    for row in (
        Trend.objects.filter(value_id__in=latest_ids)
        .order_by("pk")
        .select_related("set_by")
    ):
        trends[row.value_id].append(row)
    for entry in entries:
        if entry.value is None:
            continue
        for judgement in [*assessments[entry.value.pk], *trends[entry.value.pk]]:
            judgement.value = entry.value  # the loaded value, not a lazy query
        entry.assessment_rows = assessments[entry.value.pk]
        entry.assessments = assessments_effective(entry.assessment_rows)
        entry.trend_rows = trends[entry.value.pk]
        entry.trend = trend_effective(entry.trend_rows)


def assessments_disagreeing() -> QuerySet[Assessment]:
    """Computed assessments flagged as disagreeing with the published ones.

    Each row is annotated with ``published_result`` and ``published_as`` (the
    published text) of the published row it disagrees with. One query.
    """
    published = Assessment.objects.filter(
        value=OuterRef("value"),
        benchmark=OuterRef("benchmark"),
        method=Method.PUBLISHED,
    )
    return (
        Assessment.objects.filter(method=Method.COMPUTED, disagrees_with_published=True)
        .select_related(
            "value__indicator", "value__area", "value__period", "benchmark_area"
        )
        .annotate(
            published_result=Subquery(published.values("result")[:1]),
            published_as=Subquery(published.values("published_text")[:1]),
        )
        .order_by("value__indicator__code", "value__period__sort_key", "benchmark")
    )


def trends_disagreeing() -> QuerySet[Trend]:
    """Computed trends flagged as disagreeing with the published trend (one query).

    Annotated with ``published_label`` and ``published_as`` (published text).
    """
    published = Trend.objects.filter(value=OuterRef("value"), method=Method.PUBLISHED)
    return (
        Trend.objects.filter(method=Method.COMPUTED, disagrees_with_published=True)
        .select_related("value__indicator", "value__area", "value__period")
        .annotate(
            published_label=Subquery(published.values("label")[:1]),
            published_as=Subquery(published.values("published_text")[:1]),
        )
        .order_by("value__indicator__code", "value__period__sort_key")
    )


# --- lists for the API and pages (filtered and paginated by the caller) -------


def area_list() -> QuerySet[Area]:
    """Areas with their parent (one query)."""
    return Area.objects.select_related("parent")


def period_list() -> QuerySet[Period]:
    """Periods in order (one query)."""
    return Period.objects.order_by("sort_key", "ends_on")


def indicator_list() -> QuerySet[Indicator]:
    """Indicators with principle and workstreams (two queries).

    In display order, overarching measures first on every database.
    """
    return (
        Indicator.objects.select_related("principle")
        .prefetch_related("workstreams")
        .order_by(
            F("principle__number").asc(nulls_first=True),
            "display_order",
            "name",
            "pk",
        )
    )


def indicator_value_list() -> QuerySet[IndicatorValue]:
    """Values with indicator, area, period, assessments and trends (three queries).

    Ordered by indicator code, area code, period and breakdown, so pages are
    stable.
    """
    return (
        IndicatorValue.objects.select_related("indicator__principle", "area", "period")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("benchmark_area").order_by(
                    "benchmark", "method", "pk"
                ),
            ),
            Prefetch("trends", queryset=Trend.objects.order_by("method", "pk")),
        )
        .order_by(
            "indicator__code",
            "area__code",
            "period__sort_key",
            "sex",
            "age",
            "category_type",
            "category",
            "pk",
        )
    )


def value_judgements(value_ids: list[int]) -> dict[int, tuple[list, list]]:
    """Value id -> (its assessments, its trends), ordered as
    :func:`indicator_value_list` prefetches them: two queries for a page of
    values, without the prefetch machinery's per-row cost."""
    found: dict[int, tuple[list, list]] = {pk: ([], []) for pk in value_ids}
    assessments = Assessment.objects.filter(value_id__in=value_ids)
    for row in assessments.select_related("benchmark_area").order_by(
        "benchmark", "method", "pk"
    ):
        found[row.value_id][0].append(row)
    for row in Trend.objects.filter(value_id__in=value_ids).order_by("method", "pk"):
        found[row.value_id][1].append(row)
    return found


def place_get() -> Place | None:
    """The place with its benchmark areas (one query)."""
    return Place.objects.select_related(
        "area", "country", "region", "nearest_neighbours"
    ).first()
