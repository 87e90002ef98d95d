"""What the computed assessments and trends should be, from loaded rows (no queries).

The arithmetic is :mod:`indicators.statistics`; this module picks the rows to feed
it - benchmark values, the value a target applies to, the five points of a trend -
and turns the answers into :class:`Judgement` / :class:`TrendJudgement` records
that the recompute service writes.
"""

import math
from dataclasses import dataclass

from indicators.assessment.series import first_gap, same_kind
from indicators.formatting import indicator_value
from indicators.models import Assessment, Indicator, IndicatorValue, Target, Trend
from indicators.statistics.comparison import compare_to_benchmark
from indicators.statistics.targets import target_rag
from indicators.statistics.trend import (
    TREND_POINTS,
    TrendPoint,
    TrendResult,
    recent_trend,
)
from indicators.statistics.types import Interval, Rag, TrendLabel, ValueType

Result = Assessment.Result

#: Results that express no opinion, so never count as a disagreement.
NO_OPINION_RESULTS = frozenset({Result.NOT_COMPARED})
NO_OPINION_TRENDS = frozenset({Trend.Label.CANNOT_BE_CALCULATED})
#: Trend labels that say better or worse without a direction (published words).
_UNDIRECTED = frozenset({Trend.Label.GETTING_BETTER, Trend.Label.GETTING_WORSE})

_RAG_RESULT = {
    Rag.GREEN: Result.BETTER,
    Rag.AMBER: Result.SIMILAR,
    Rag.RED: Result.WORSE,
}
_POLARITY_WORDS = {
    Indicator.Polarity.HIGH_IS_GOOD: "high is good",
    Indicator.Polarity.LOW_IS_GOOD: "low is good",
}
_VALUE_TYPES = {v.value for v in ValueType}


@dataclass(frozen=True)
class Judgement:
    """A computed assessment of one value against one benchmark."""

    value_id: int
    benchmark: str
    benchmark_area_id: int | None
    result: str
    level: float | None
    explanation: str


@dataclass(frozen=True)
class TrendJudgement:
    """A computed recent trend, to be stored on the latest value of its series."""

    value_id: int
    label: str
    explanation: str


def disagrees(computed: str, published: str | None) -> bool:
    """True when a published opinion exists and the computed one differs from it."""
    if published is None:
        return False
    no_opinion = NO_OPINION_RESULTS | NO_OPINION_TRENDS
    if computed in no_opinion or published in no_opinion:
        return False
    if computed in _UNDIRECTED or published in _UNDIRECTED:
        # "Getting worse" says no direction: "Decreasing and getting worse"
        # agrees with it; only better against worse (or no change) differs.
        return _better_or_worse(computed) != _better_or_worse(published)
    return computed != published


def _better_or_worse(label: str) -> str:
    if label in Trend.BETTER_LABELS:
        return "better"
    if label in Trend.WORSE_LABELS:
        return "worse"
    return label


def _interval(lower: float | None, upper: float | None) -> Interval | None:
    if lower is None or upper is None:
        return None
    if not (math.isfinite(lower) and math.isfinite(upper)):
        return None
    return Interval(lower, upper)


def benchmark_judgement(
    value: IndicatorValue, benchmark: str, benchmark_value: IndicatorValue
) -> Judgement:
    """Fingertips comparison of ``value`` with a benchmark area's value.

    :func:`compare_to_benchmark` with the value's 95% and 99.8% limits, the
    indicator's polarity and display decimals. No 95% interval gives
    "not compared" (the published row, if any, is kept and shown instead).
    """
    indicator = value.indicator
    comparison = compare_to_benchmark(
        value=value.value,
        benchmark=benchmark_value.value,
        ci95=_interval(value.lower95, value.upper95),
        ci998=_interval(value.lower998, value.upper998),
        polarity=indicator.polarity,
        area_name=value.area.name,
        benchmark_name=benchmark_value.area.name,
        decimals=indicator.display_decimals,
    )
    return Judgement(
        value_id=value.pk,
        benchmark=benchmark,
        benchmark_area_id=benchmark_value.area_id,
        result=comparison.result.value,
        level=comparison.level,
        explanation=comparison.explanation,
    )


def _with_unit(x: float, indicator: Indicator) -> str:
    return indicator_value(x, indicator)


def target_judgement(target: Target, value: IndicatorValue) -> Judgement:
    """Pentana-style RAG of ``value`` against ``target`` (:func:`target_rag`).

    Green -> better, amber -> similar, red -> worse; no value, or an indicator
    that makes no judgement on direction, -> not compared. The explanation
    states the target, the tolerance, the value used and the RAG.
    """
    indicator = target.indicator
    goal = f"Target {_with_unit(target.value, indicator)} by {target.period.label}"
    if target.tolerance_is_percent:
        allowed = abs(target.value) * target.amber_tolerance / 100
        tolerance = (
            f"{target.amber_tolerance:g}% of the target "
            f"({_with_unit(allowed, indicator)})"
        )
    else:
        allowed = target.amber_tolerance
        tolerance = _with_unit(allowed, indicator)
    used = (
        f"the {value.period.label} value"
        if value.period_id == target.period_id
        else f"the latest value up to {target.period.label} ({value.period.label})"
    )

    def judgement(result: str, text: str) -> Judgement:
        return Judgement(
            value.pk, Assessment.Benchmark.TARGET, None, result, None, text
        )

    if indicator.polarity not in _POLARITY_WORDS:
        return judgement(
            Result.NOT_COMPARED,
            f"{goal}: not rated, because the indicator makes no judgement on "
            "whether high or low is good.",
        )
    if value.value is None or not math.isfinite(value.value):
        return judgement(Result.NOT_COMPARED, f"{goal}: not rated, {used} is missing.")
    rag = target_rag(
        value=value.value,
        target=target.value,
        polarity=indicator.polarity,
        amber_tolerance=target.amber_tolerance,
        tolerance_is_percent=target.tolerance_is_percent,
    )
    shortfall = abs(value.value - target.value)
    if rag is Rag.GREEN:
        verdict = "meets the target"
    elif rag is Rag.AMBER:
        verdict = (
            f"misses it by {_with_unit(shortfall, indicator)}, within the amber "
            f"tolerance of {tolerance}"
        )
    else:
        verdict = (
            f"misses it by {_with_unit(shortfall, indicator)}, more than the amber "
            f"tolerance of {tolerance}"
        )
    explanation = (
        f"{goal} ({_POLARITY_WORDS[indicator.polarity]}; amber tolerance "
        f"{tolerance}). {used.capitalize()}, {_with_unit(value.value, indicator)}, "
        f"{verdict} → {rag.value.capitalize()}."
    )
    return judgement(_RAG_RESULT[rag], explanation)


@dataclass(frozen=True, order=True)
class _PeriodKey:
    """Orders trend points by position; prints as the period label."""

    position: int
    label: str

    def __str__(self) -> str:
        return self.label


def _cannot(reason: str, rows: list[IndicatorValue]) -> TrendResult:
    keys = tuple(row.period.label for row in rows)
    return TrendResult(
        TrendLabel.CANNOT_BE_CALCULATED,
        None,
        None,
        keys,
        f"Trend cannot be calculated: {reason}.",
    )


def series_trend(rows: list[IndicatorValue]) -> TrendResult:
    """Fingertips recent trend of a series (oldest first) at its latest period.

    Uses the latest five periods of the same kind and length as the latest one.
    Any of them without a value, or any pair not consecutive (see
    :func:`indicators.assessment.series.periods_consecutive`), gives "Cannot be
    calculated"; otherwise :func:`recent_trend` decides, given every period of
    that kind (Fingertips' count-equals-denominator rule looks further back) with
    its dates (its single-year and overlapping-period rules).
    """
    latest = rows[-1]
    indicator = latest.indicator
    same = [r for r in rows if same_kind(r.period, latest.period)]
    window = same[-TREND_POINTS:]
    if len(window) == TREND_POINTS:
        missing = [r.period.label for r in window if r.value is None]
        if missing:
            return _cannot(f"no value for {', '.join(missing)}", window)
        gap = first_gap([r.period for r in window])
        if gap is not None:
            return _cannot(
                f"the latest five periods are not consecutive ({gap[0].label} is "
                f"not followed by the next {gap[0].get_kind_display().lower()} "
                f"but by {gap[1].label})",
                window,
            )
    points = [
        TrendPoint(
            sort_key=_PeriodKey(position, row.period.label),
            value=row.value,
            lower95=row.lower95,
            upper95=row.upper95,
            count=row.count,
            denominator=row.denominator,
            starts_on=row.period.starts_on,
            ends_on=row.period.ends_on,
        )
        for position, row in enumerate(same)
    ]
    value_type = (
        indicator.value_type
        if indicator.value_type in _VALUE_TYPES
        else ValueType.OTHER
    )
    return recent_trend(
        points,
        polarity=indicator.polarity,
        value_type=value_type,
        check_gaps=False,
    )
