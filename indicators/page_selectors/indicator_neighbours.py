"""The indicator page's nearest-neighbours bar chart (issue 13, ADR 21). One query.

The place and each member of its nearest-neighbours group (``Place
.nearest_neighbours``, ``Area.members``) for the period of the place's latest
headline value, matched on sex and age as benchmarks are
(:class:`indicators.assessment.series.BenchmarkIndex`), with England's value as
the line. Each neighbour is compared with England by the same Fingertips rule
as every assessment (:func:`indicators.statistics.comparison.compare_to_benchmark`).
Nothing is shown unless at least one neighbour has a value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Q

from indicators.assessment.series import BenchmarkIndex
from indicators.charts.bar import BarChart, BarData, bar_chart, bar_summary
from indicators.formatting import format_interval, indicator_value
from indicators.models import Assessment, Indicator, IndicatorValue, Place
from indicators.statistics.comparison import compare_to_benchmark
from indicators.statistics.types import Interval


@dataclass(frozen=True)
class NeighbourRow:
    name: str
    value_text: str
    interval_text: str
    comparison: str
    is_place: bool


@dataclass
class NeighboursView:
    group_name: str
    period: str
    chart: BarChart
    summary: str
    england_text: str = ""
    rows: list[NeighbourRow] = field(default_factory=list)


def _interval(value: IndicatorValue, low: str, high: str) -> Interval | None:
    lower, upper = getattr(value, low), getattr(value, high)
    if lower is None or upper is None:
        return None
    if not (math.isfinite(lower) and math.isfinite(upper)):
        return None
    return Interval(lower, upper)


def neighbours_view(
    *, indicator: Indicator, place: Place | None, latest: IndicatorValue | None
) -> NeighboursView | None:
    """The bar chart, its summary and its table; ``None`` without neighbours' values."""
    if place is None or latest is None or place.nearest_neighbours_id is None:
        return None
    group = place.nearest_neighbours
    values = list(
        IndicatorValue.objects.filter(
            indicator=indicator, period_id=latest.period_id, category_type=""
        )
        .filter(
            Q(area__comparator_groups=group.pk)
            | Q(area_id__in=[place.area_id, place.country_id])
        )
        .select_related("area")
        .order_by("pk")
    )
    index = BenchmarkIndex(values)
    members = sorted({v.area_id for v in values} - {place.area_id, place.country_id})
    neighbours = [
        found
        for area_id in members
        if (found := index.find(latest, area_id)) is not None
        and found.value is not None
        and math.isfinite(found.value)
    ]
    if not neighbours:
        return None
    england = index.find(latest, place.country_id) if place.country_id else None
    england_value = england.value if england is not None else None
    comparisons: dict[str, str] = {}
    rows = []
    areas = sorted(
        [latest, *neighbours],
        key=lambda v: (v.value is None, -(v.value or 0.0), v.area.name),
    )
    for value in areas:
        result = compare_to_benchmark(
            value=value.value,
            benchmark=england_value,
            ci95=_interval(value, "lower95", "upper95"),
            ci998=_interval(value, "lower998", "upper998"),
            polarity=indicator.polarity,
        ).result.value
        comparisons[value.area.name] = result
        rows.append(
            NeighbourRow(
                name=value.area.name,
                value_text=indicator_value(value.value, indicator, blank="No value"),
                interval_text=format_interval(value.lower95, value.upper95, indicator),
                comparison=Assessment.Result(result).label,
                is_place=value is latest,
            )
        )
    bars = [
        BarData(v.area.name, v.value, v.lower95, v.upper95, is_place=v is latest)
        for v in [latest, *neighbours]
        if v.value is not None
    ]
    england_text = indicator_value(england_value, indicator, blank="")
    chart = bar_chart(
        bars,
        format_value=lambda x: indicator_value(x, indicator),
        benchmark=england_value,
        benchmark_name=place.country.name if place.country_id else "England",
    )
    if chart is None:
        return None
    return NeighboursView(
        group_name=group.name,
        period=latest.period.label,
        chart=chart,
        summary=bar_summary(
            place.area.name,
            bars,
            comparisons,
            period=latest.period.label,
            benchmark_text=england_text,
        ),
        england_text=england_text,
        rows=rows,
    )
