"""The indicator page's nearest-neighbours bar chart (issue 13, ADR 21). One query.

The place and each member of its nearest-neighbours group (``Place
.nearest_neighbours``, ``Area.members``) for the period of the place's latest
headline value, matched on sex and age as benchmarks are
(:class:`indicators.assessment.series.BenchmarkIndex`), with England's value as
the line. Each neighbour is compared with England by the same Fingertips rule
as every assessment (:func:`indicators.statistics.comparison.compare_to_benchmark`).
Nothing is shown unless at least one neighbour has a value.

Beside it, a funnel plot (issue 19) of the same areas, from the same query:
each area's value against its denominator, within 95% and 99.8% control limits
around England's value (:mod:`indicators.charts.funnel`). It needs a
proportion, crude rate or ratio and at least two areas with a count and
denominator that give their value; otherwise ``funnel_reason`` says why there
is none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Q

from indicators.assessment.series import BenchmarkIndex
from indicators.charts.bar import BarChart, BarData, bar_chart, bar_summary
from indicators.charts.funnel import (
    FunnelChart,
    FunnelData,
    FunnelMethod,
    funnel_chart,
    funnel_sentences,
    funnel_summary,
)
from indicators.formatting import (
    format_interval,
    format_number,
    indicator_value,
    unit_of,
)
from indicators.models import Assessment, Indicator, IndicatorValue, Place
from indicators.statistics.comparison import compare_to_benchmark
from indicators.statistics.confidence import BYARS_MINIMUM_COUNT
from indicators.statistics.types import Interval


@dataclass(frozen=True)
class NeighbourRow:
    name: str
    value_text: str
    interval_text: str
    comparison: str
    is_place: bool


FUNNEL_METHODS = {
    Indicator.ValueType.PROPORTION: FunnelMethod.PROPORTION,
    Indicator.ValueType.CRUDE_RATE: FunnelMethod.POISSON,
    Indicator.ValueType.RATIO: FunnelMethod.POISSON,
    # Against the population its events and rate imply (PHEindicatormethods'
    # calculate_funnel_points, rate_type = "dsr").
    Indicator.ValueType.DSR: FunnelMethod.POISSON,
}
X_LABELS = {
    Indicator.ValueType.RATIO: "Expected count",
    Indicator.ValueType.DSR: "Population implied (events ÷ rate)",
}
#: A value may differ from count / denominator x multiplier by this share
#: (plus one unit of its last shown decimal place) and still be plotted.
FUNNEL_VALUE_TOLERANCE = 0.005


@dataclass(frozen=True)
class FunnelRowView:
    name: str
    value_text: str
    count_text: str
    denominator_text: str
    position: str
    is_place: bool


@dataclass
class FunnelView:
    """The funnel plot, or (``chart`` None) the reason there is none."""

    chart: FunnelChart | None = None
    reason: str = ""
    summary: str = ""
    sentences: list[str] = field(default_factory=list)
    rows: list[FunnelRowView] = field(default_factory=list)
    not_plotted: list[str] = field(default_factory=list)
    benchmark_words: str = ""
    #: What an area needs to be plotted, in words.
    needs: str = "a count and denominator that give the value"


@dataclass
class NeighboursView:
    group_name: str
    period: str
    chart: BarChart
    summary: str
    england_text: str = ""
    rows: list[NeighbourRow] = field(default_factory=list)
    funnel: FunnelView = field(default_factory=FunnelView)


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
        funnel=_funnel_view(
            indicator=indicator,
            place=place,
            latest=latest,
            values=[latest, *neighbours],
            england_value=england_value,
        ),
    )


def _funnel_denominator(value: IndicatorValue, indicator: Indicator) -> float | None:
    """The denominator the area is plotted at, or None if it is not plotted.

    For a DSR, the population its events and rate imply, multiplier x events /
    rate, as PHEindicatormethods' ``calculate_funnel_points``, which leaves
    out a DSR of fewer than 10 events (not calculated); otherwise the stored
    denominator when it and the count give the value.
    """
    if indicator.value_type == Indicator.ValueType.DSR:
        count, rate = value.count, value.value
        if count is None or rate is None or not math.isfinite(count):
            return None
        if count < BYARS_MINIMUM_COUNT or not (rate > 0 and math.isfinite(rate)):
            return None
        return indicator.multiplier * count / rate
    return value.denominator if _gives_its_value(value, indicator) else None


def _gives_its_value(value: IndicatorValue, indicator: Indicator) -> bool:
    """Whether the count and denominator are there and give the value."""
    count, denominator = value.count, value.denominator
    if count is None or denominator is None or value.value is None:
        return False
    if not (math.isfinite(count) and math.isfinite(denominator) and denominator > 0):
        return False
    if count < 0 or not math.isfinite(value.value):
        return False
    if indicator.value_type == Indicator.ValueType.PROPORTION and count > denominator:
        return False
    expected = count / denominator * indicator.multiplier
    tolerance = FUNNEL_VALUE_TOLERANCE * abs(expected) + 10.0**-(
        indicator.display_decimals
    )
    return abs(value.value - expected) <= tolerance


def _funnel_view(
    *,
    indicator: Indicator,
    place: Place,
    latest: IndicatorValue,
    values: list[IndicatorValue],
    england_value: float | None,
) -> FunnelView:
    method = FUNNEL_METHODS.get(indicator.value_type)
    if method is None:
        kind = Indicator.ValueType(indicator.value_type).label.lower()
        return FunnelView(
            reason=(
                "No funnel plot is shown: funnel plots are drawn for proportions, "
                "crude rates, ratios and directly standardised rates, and this "
                f"measure is a {kind}."
            )
        )
    is_dsr = indicator.value_type == Indicator.ValueType.DSR
    needs = "10 or more events and a rate" if is_dsr else FunnelView.needs
    plotted_at = {v.pk: _funnel_denominator(v, indicator) for v in values}
    usable = [v for v in values if plotted_at[v.pk] is not None]
    not_plotted = sorted(v.area.name for v in values if v not in usable)
    if len(usable) < 2:
        return FunnelView(
            reason=(
                "No funnel plot is shown: it needs at least two of these areas "
                f"with {needs.removesuffix(' that give the value')} for "
                f"{latest.period.label}, and "
                f"{len(usable)} {'has' if len(usable) == 1 else 'have'} them."
            ),
            not_plotted=not_plotted,
            needs=needs,
        )
    multiplier = indicator.multiplier
    country = place.country.name if place.country_id else "England"
    if england_value is not None and math.isfinite(england_value) and england_value > 0:
        average, name = england_value / multiplier, country
        words = f"{country}'s value"
    elif method is FunnelMethod.POISSON and (
        indicator.value_type == Indicator.ValueType.RATIO
    ):
        average, name, words = 1.0, "Expected", "the expected value (a ratio of 1)"
    else:
        average = math.fsum(v.count for v in usable) / math.fsum(
            plotted_at[v.pk] for v in usable
        )
        name, words = "Average", "the average of these areas"
    unit = unit_of(indicator).strip()
    chart = funnel_chart(
        [
            FunnelData(
                v.area.name, v.value, v.count, plotted_at[v.pk], is_place=v is latest
            )
            for v in usable
        ],
        method=method,
        average=average,
        multiplier=multiplier,
        format_value=lambda x: indicator_value(x, indicator),
        benchmark_name=name,
        x_label=X_LABELS.get(indicator.value_type, "Denominator"),
        y_label=f"Value ({unit})" if unit else "Value",
    )
    if chart is None:
        return FunnelView(
            reason=(
                f"No funnel plot is shown: {words} is not a value the funnel's "
                "limits can be drawn around."
            ),
            not_plotted=not_plotted,
            needs=needs,
        )
    rows = [
        FunnelRowView(
            name=p.name,
            value_text=indicator_value(p.value, indicator),
            count_text=format_number(p.count, 0),
            denominator_text=format_number(p.denominator, 0),
            position=p.position_words[:1].upper() + p.position_words[1:],
            is_place=p.is_place,
        )
        for p in sorted(chart.points, key=lambda p: (-p.value, p.name))
    ]
    return FunnelView(
        chart=chart,
        summary=funnel_summary(place.area.name, chart, period=latest.period.label),
        sentences=funnel_sentences(chart),
        rows=rows,
        not_plotted=not_plotted,
        benchmark_words=words,
        needs=needs,
    )
