"""Read: which judgements their own published numbers contradict (issue 13).

The rules are :mod:`indicators.assessment.consistency` (pure); this module
finds the numbers they need. Nothing is stored: a check follows the values as
they are now, and costs one query for any number of rows (the benchmark
areas' values, or the trends' series), or none when the caller has the
values already (the indicator page).

Comparisons are checked when published (the letters a source gave); trends
whatever their method, since no trend may state a direction its values
contradict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q

from indicators.assessment.consistency import Figure, comparison_check, trend_check
from indicators.assessment.series import BenchmarkIndex, group_series, series_key
from indicators.formatting import indicator_value
from indicators.models import Assessment, IndicatorValue, Method, Trend

B = Assessment.Benchmark
R = Assessment.Result
#: Results the numbers can contradict ("similar" and "not compared" never).
CHECKED_RESULTS = (R.BETTER, R.WORSE, R.HIGHER, R.LOWER)
#: Trend labels that claim a direction or a change the numbers can contradict.
CHECKED_LABELS = tuple(
    label
    for label in Trend.Label.values
    if label
    not in (Trend.Label.NO_SIGNIFICANT_CHANGE, Trend.Label.CANNOT_BE_CALCULATED)
)
_HOW = {
    Method.PUBLISHED: "Published",
    Method.COMPUTED: "Computed",
    Method.MANUAL: "Set by hand",
}


def _figure(value: IndicatorValue, indicator) -> Figure:
    return Figure(
        value.value, indicator_value(value.value, indicator), value.period.label
    )


def benchmark_name(assessment: Assessment) -> str:
    """The benchmark as a reason names it: its area, or "nearest neighbours"."""
    if assessment.benchmark == B.NEAREST_NEIGHBOURS:
        return "nearest neighbours"
    if assessment.benchmark_area is not None:
        return assessment.benchmark_area.name
    return assessment.get_benchmark_display()


def assessment_reason(
    assessment: Assessment,
    value: IndicatorValue,
    benchmark_value: IndicatorValue | None,
) -> str:
    """Why ``value``'s and ``benchmark_value``'s numbers contradict
    ``assessment`` (a published one); "" when they do not or cannot."""
    if (
        assessment.method != Method.PUBLISHED
        or assessment.result not in CHECKED_RESULTS
        or benchmark_value is None
    ):
        return ""
    indicator = value.indicator
    return comparison_check(
        result=assessment.result,
        published_text=assessment.published_text,
        polarity=indicator.polarity,
        place=_figure(value, indicator),
        benchmark=_figure(benchmark_value, indicator),
        place_name=value.area.name,
        benchmark_name=benchmark_name(assessment),
    )


def trend_reason(trend: Trend, series: Sequence[IndicatorValue]) -> str:
    """Why ``series`` (oldest first, ending with the trend's value) contradicts
    ``trend``; "" when it does not or cannot."""
    if trend.label not in CHECKED_LABELS or not series:
        return ""
    indicator = series[-1].indicator
    reason = trend_check(
        label=trend.label,
        published_text=trend.published_text,
        polarity=indicator.polarity,
        series=[_figure(v, indicator) for v in series],
    )
    if reason and trend.method != Method.PUBLISHED:
        # "Published as …" is the published case; say how this one was set.
        reason = reason.replace("Published as", f"{_HOW[trend.method]} as", 1)
    return reason


def _series_up_to(rows: list[IndicatorValue], value_id: int) -> list[IndicatorValue]:
    for position, row in enumerate(rows):
        if row.pk == value_id:
            return rows[: position + 1]
    return []


def assessment_source_checks(assessments: Iterable[Assessment]) -> dict[int, str]:
    """Assessment pk -> reason, for those the published numbers contradict.

    Each assessment needs ``value`` (with ``indicator``, ``area``, ``period``)
    and ``benchmark_area`` selected. One query: the benchmark areas' values.
    """
    candidates = [
        a
        for a in assessments
        if a.method == Method.PUBLISHED
        and a.result in CHECKED_RESULTS
        and a.benchmark_area_id is not None
        and a.value.value is not None
        and not a.value.category_type
    ]
    if not candidates:
        return {}
    benchmark_values = IndicatorValue.objects.filter(
        indicator_id__in={a.value.indicator_id for a in candidates},
        area_id__in={a.benchmark_area_id for a in candidates},
        period_id__in={a.value.period_id for a in candidates},
        category_type="",
    ).select_related("period")
    index = BenchmarkIndex(benchmark_values)
    checks = {}
    for assessment in candidates:
        found = index.find(assessment.value, assessment.benchmark_area_id)
        reason = assessment_reason(assessment, assessment.value, found)
        if reason:
            checks[assessment.pk] = reason
    return checks


def trend_source_checks(trends: Iterable[Trend]) -> dict[int, str]:
    """Trend pk -> reason, for those their series' numbers contradict.

    Each trend needs ``value`` (with ``indicator``, ``area``, ``period``)
    selected. One query: the values of the trends' indicators in their areas.
    """
    candidates = [t for t in trends if t.label in CHECKED_LABELS]
    if not candidates:
        return {}
    pairs = {(t.value.indicator_id, t.value.area_id) for t in candidates}
    wanted = Q()
    for indicator_id in {i for i, _ in pairs}:
        areas = sorted(a for i, a in pairs if i == indicator_id)
        wanted |= Q(indicator_id=indicator_id, area_id__in=areas)
    indicators = {t.value.indicator_id: t.value.indicator for t in candidates}
    values = list(IndicatorValue.objects.filter(wanted).select_related("period"))
    for value in values:
        value.indicator = indicators[value.indicator_id]
    series = group_series(values)
    checks = {}
    for trend in candidates:
        rows = _series_up_to(series.get(series_key(trend.value), []), trend.value_id)
        reason = trend_reason(trend, rows)
        if reason:
            checks[trend.pk] = reason
    return checks
