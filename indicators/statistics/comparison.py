"""Fingertips-style comparison of an area's value with a benchmark.

Method: the benchmark value (e.g. England) is compared with the area's
confidence intervals, as in OHID Fingertips "compared with benchmark" using
confidence intervals. Benchmark inside the 95% interval -> similar; outside
it -> better/worse (or higher/lower when no judgement is made), at the 99.8%
level when the benchmark is also outside the 99.8% interval.
"""

from __future__ import annotations

import math

from indicators.statistics.formatting import format_value, possessive, sentence
from indicators.statistics.types import (
    Comparison,
    ComparisonResult,
    Interval,
    Polarity,
    Rag,
)

PUBLISHED_EXPLANATION = "published assessment, not recomputed"

_POLARITY_WORDS = {
    Polarity.HIGH_IS_GOOD: "high is good",
    Polarity.LOW_IS_GOOD: "low is good",
    Polarity.NO_JUDGEMENT: "no judgement is made on whether high or low is good",
}


def _missing(x: float | None) -> bool:
    return x is None or not math.isfinite(x)


def _direction_result(area_is_higher: bool, polarity: Polarity) -> ComparisonResult:
    if polarity is Polarity.NO_JUDGEMENT:
        return ComparisonResult.HIGHER if area_is_higher else ComparisonResult.LOWER
    if area_is_higher == (polarity is Polarity.HIGH_IS_GOOD):
        return ComparisonResult.BETTER
    return ComparisonResult.WORSE


def _label(result: ComparisonResult) -> str:
    return result.value.replace("_", " ").capitalize()


def compare_to_benchmark(
    *,
    value: float | None,
    benchmark: float | None,
    ci95: Interval | None,
    ci998: Interval | None,
    polarity: Polarity | str,
    area_name: str = "the area",
    benchmark_name: str = "the benchmark",
    published: ComparisonResult | None = None,
    decimals: int | None = None,
) -> Comparison:
    """Compare an area with a benchmark the Fingertips way.

    Fingertips benchmarking by confidence intervals (PHE "Technical guide:
    Confidence intervals", overlap of benchmark value and area CI):

    * value or benchmark missing -> NOT_COMPARED;
    * no 95% interval -> the ``published`` assessment when given (explanation
      "published assessment, not recomputed"), else NOT_COMPARED;
    * benchmark inside the area's 95% interval (limits included) -> SIMILAR;
    * otherwise BETTER or WORSE according to ``polarity`` (HIGHER/LOWER for
      no judgement), with ``level`` 99.8 when the benchmark is also outside
      the 99.8% interval, else 95.0 (also 95.0 when no 99.8% interval is
      supplied).

    The direction is read from the interval: benchmark below the lower limit
    means the area is higher. ``decimals`` fixes the decimal places used in
    the explanation (default: see :func:`format_value`).
    """
    polarity = Polarity(polarity)
    area = area_name
    bench = benchmark_name

    def fmt(x: float) -> str:
        return format_value(x, decimals)

    if _missing(value):
        return Comparison(
            ComparisonResult.NOT_COMPARED, None, f"Not compared: no value for {area}."
        )
    if _missing(benchmark):
        return Comparison(
            ComparisonResult.NOT_COMPARED, None, f"Not compared: no value for {bench}."
        )
    assert value is not None and benchmark is not None  # for type checkers
    if ci95 is None:
        if published is not None:
            return Comparison(ComparisonResult(published), None, PUBLISHED_EXPLANATION)
        return Comparison(
            ComparisonResult.NOT_COMPARED,
            None,
            f"Not compared: {area} has no 95% confidence interval.",
        )

    ci95_text = f"95% confidence interval ({fmt(ci95.lower)} to {fmt(ci95.upper)})"
    opening = sentence(f"{possessive(bench)} value {fmt(benchmark)}")
    if ci95.contains(benchmark):
        return Comparison(
            ComparisonResult.SIMILAR,
            None,
            f"{opening} lies inside {possessive(area)} {ci95_text}, so {area} "
            f"({fmt(value)}) is not significantly different from {bench} "
            "→ Similar.",
        )

    area_is_higher = benchmark < ci95.lower
    result = _direction_result(area_is_higher, polarity)
    if ci998 is None:
        level = 95.0
        where = f"lies outside {possessive(area)} {ci95_text} (no 99.8% interval given)"
    else:
        ci998_text = (
            f"99.8% confidence interval ({fmt(ci998.lower)} to {fmt(ci998.upper)})"
        )
        if ci998.contains(benchmark):
            level = 95.0
            where = (
                f"lies outside {possessive(area)} {ci95_text} but inside its "
                f"{ci998_text}"
            )
        else:
            level = 99.8
            where = (
                f"lies outside both {possessive(area)} {ci95_text} and its {ci998_text}"
            )
    direction = "higher" if area_is_higher else "lower"
    explanation = (
        f"{opening} {where}; {possessive(area)} value {fmt(value)} is {direction} "
        f"and {_POLARITY_WORDS[polarity]} → {_label(result)} ({level:g}%)."
    )
    return Comparison(result, level, explanation)


_RAG = {
    ComparisonResult.BETTER: Rag.GREEN,
    ComparisonResult.SIMILAR: Rag.AMBER,
    ComparisonResult.WORSE: Rag.RED,
}


def rag_for(result: ComparisonResult | str) -> Rag | None:
    """RAG colour for a benchmark comparison, as the Fingertips colour key.

    better -> green, similar -> amber, worse -> red; higher, lower and
    not_compared have no RAG colour (``None``).
    """
    return _RAG.get(ComparisonResult(result))
