"""Benchmark comparison: every branch, with the explanation text."""

import pytest

from indicators.statistics.comparison import (
    PUBLISHED_EXPLANATION,
    compare_to_benchmark,
    rag_for,
)
from indicators.statistics.types import ComparisonResult, Interval, Polarity, Rag

CI95 = Interval(76.9, 78.2)
CI998 = Interval(76.5, 78.6)
VALUE = 77.5


def compare(benchmark, polarity, **kwargs):
    params = {
        "value": VALUE,
        "benchmark": benchmark,
        "ci95": CI95,
        "ci998": CI998,
        "polarity": polarity,
        "area_name": "Luton",
        "benchmark_name": "England",
    }
    params.update(kwargs)
    return compare_to_benchmark(**params)


@pytest.mark.parametrize(
    ("benchmark", "polarity", "result", "level"),
    [
        # Benchmark above the 95% CI but inside the 99.8% CI: area is lower.
        (78.4, Polarity.HIGH_IS_GOOD, ComparisonResult.WORSE, 95.0),
        (78.4, Polarity.LOW_IS_GOOD, ComparisonResult.BETTER, 95.0),
        (78.4, Polarity.NO_JUDGEMENT, ComparisonResult.LOWER, 95.0),
        # Benchmark above both intervals.
        (79.4, Polarity.HIGH_IS_GOOD, ComparisonResult.WORSE, 99.8),
        (79.4, Polarity.LOW_IS_GOOD, ComparisonResult.BETTER, 99.8),
        (79.4, Polarity.NO_JUDGEMENT, ComparisonResult.LOWER, 99.8),
        # Benchmark below the 95% CI only: area is higher.
        (76.7, Polarity.HIGH_IS_GOOD, ComparisonResult.BETTER, 95.0),
        (76.7, Polarity.LOW_IS_GOOD, ComparisonResult.WORSE, 95.0),
        (76.7, Polarity.NO_JUDGEMENT, ComparisonResult.HIGHER, 95.0),
        # Benchmark below both intervals.
        (75.0, Polarity.HIGH_IS_GOOD, ComparisonResult.BETTER, 99.8),
        (75.0, Polarity.LOW_IS_GOOD, ComparisonResult.WORSE, 99.8),
        (75.0, Polarity.NO_JUDGEMENT, ComparisonResult.HIGHER, 99.8),
        # Inside the 95% CI (limits included) whatever the polarity.
        (77.0, Polarity.HIGH_IS_GOOD, ComparisonResult.SIMILAR, None),
        (77.0, Polarity.LOW_IS_GOOD, ComparisonResult.SIMILAR, None),
        (78.2, Polarity.NO_JUDGEMENT, ComparisonResult.SIMILAR, None),
        (76.9, Polarity.HIGH_IS_GOOD, ComparisonResult.SIMILAR, None),
    ],
)
def test_branches(benchmark, polarity, result, level):
    comparison = compare(benchmark, polarity)
    assert comparison.result is result
    assert comparison.level == level


def test_explanation_worse_at_95():
    comparison = compare(78.4, Polarity.HIGH_IS_GOOD)
    assert comparison.explanation == (
        "England's value 78.4 lies outside Luton's 95% confidence interval "
        "(76.9 to 78.2) but inside its 99.8% confidence interval (76.5 to 78.6); "
        "Luton's value 77.5 is lower and high is good → Worse (95%)."
    )


def test_explanation_better_at_998_low_is_good():
    comparison = compare(79.4, "low_is_good")
    assert comparison.explanation == (
        "England's value 79.4 lies outside both Luton's 95% confidence interval "
        "(76.9 to 78.2) and its 99.8% confidence interval (76.5 to 78.6); "
        "Luton's value 77.5 is lower and low is good → Better (99.8%)."
    )


def test_explanation_no_judgement_higher():
    comparison = compare(76.7, Polarity.NO_JUDGEMENT)
    assert comparison.explanation.endswith(
        "Luton's value 77.5 is higher and no judgement is made on whether high or "
        "low is good → Higher (95%)."
    )


def test_explanation_similar():
    comparison = compare(77.0, Polarity.HIGH_IS_GOOD)
    assert comparison.explanation == (
        "England's value 77.0 lies inside Luton's 95% confidence interval "
        "(76.9 to 78.2), so Luton (77.5) is not significantly different from "
        "England → Similar."
    )


def test_no_998_interval_gives_95_level():
    comparison = compare(79.4, Polarity.HIGH_IS_GOOD, ci998=None)
    assert comparison.result is ComparisonResult.WORSE
    assert comparison.level == 95.0
    assert "(no 99.8% interval given)" in comparison.explanation


def test_no_interval_not_compared():
    comparison = compare(79.4, Polarity.HIGH_IS_GOOD, ci95=None, ci998=None)
    assert comparison.result is ComparisonResult.NOT_COMPARED
    assert comparison.level is None
    assert comparison.explanation == (
        "Not compared: Luton has no 95% confidence interval."
    )


def test_no_interval_uses_published_assessment():
    comparison = compare(
        79.4,
        Polarity.HIGH_IS_GOOD,
        ci95=None,
        ci998=None,
        published=ComparisonResult.BETTER,
    )
    assert comparison.result is ComparisonResult.BETTER
    assert comparison.level is None
    assert comparison.explanation == PUBLISHED_EXPLANATION
    assert PUBLISHED_EXPLANATION == "published assessment, not recomputed"


def test_published_ignored_when_interval_present():
    comparison = compare(79.4, Polarity.HIGH_IS_GOOD, published=ComparisonResult.BETTER)
    assert comparison.result is ComparisonResult.WORSE


@pytest.mark.parametrize(
    ("value", "benchmark", "message"),
    [
        (None, 79.4, "Not compared: no value for Luton."),
        (77.5, None, "Not compared: no value for England."),
        (float("nan"), 79.4, "Not compared: no value for Luton."),
    ],
)
def test_missing_value_or_benchmark(value, benchmark, message):
    comparison = compare(
        benchmark,
        Polarity.HIGH_IS_GOOD,
        value=value,
        published=ComparisonResult.BETTER,
    )
    assert comparison.result is ComparisonResult.NOT_COMPARED
    assert comparison.level is None
    assert comparison.explanation == message


def test_default_names_and_decimals():
    comparison = compare_to_benchmark(
        value=12.345,
        benchmark=15.0,
        ci95=Interval(11.0, 13.5),
        ci998=Interval(10.0, 14.5),
        polarity=Polarity.LOW_IS_GOOD,
        decimals=2,
    )
    assert comparison.result is ComparisonResult.BETTER
    assert comparison.explanation.startswith(
        "The benchmark's value 15.00 lies outside both the area's 95% confidence "
        "interval (11.00 to 13.50)"
    )
    assert "the area's value 12.35 is lower" in comparison.explanation


@pytest.mark.parametrize(
    ("result", "rag"),
    [
        (ComparisonResult.BETTER, Rag.GREEN),
        (ComparisonResult.SIMILAR, Rag.AMBER),
        (ComparisonResult.WORSE, Rag.RED),
        (ComparisonResult.HIGHER, None),
        (ComparisonResult.LOWER, None),
        (ComparisonResult.NOT_COMPARED, None),
        ("better", Rag.GREEN),
    ],
)
def test_rag_for(result, rag):
    assert rag_for(result) == rag
