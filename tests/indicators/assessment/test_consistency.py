"""Published judgements the published numbers contradict (pure rules), with the
cases found in Luton's table."""

import pytest

from indicators.assessment.consistency import (
    Figure,
    comparison_check,
    trend_check,
    trend_words,
)
from indicators.assessment.judgements import disagrees
from indicators.models import Trend

L = Trend.Label
HIGH, LOW, NONE = "high_is_good", "low_is_good", "no_judgement"


def compare(result, place, benchmark, polarity=HIGH, text="R"):
    return comparison_check(
        result=result,
        published_text=text,
        polarity=polarity,
        place=Figure(place, f"{place}%"),
        benchmark=Figure(benchmark, f"{benchmark}%"),
        place_name="Luton",
        benchmark_name="East of England",
    )


def test_equal_values_marked_r_are_flagged():
    # Early years 2021/22: Luton 56.60% and the region 56.60%, published "R".
    reason = compare("worse", 56.6, 56.6)

    assert reason == (
        "Published as “R” (worse than East of England), but Luton's value (56.6%) "
        "is the same as East of England's (56.6%)."
    )


@pytest.mark.parametrize(
    ("result", "place", "benchmark", "polarity", "flagged"),
    [
        ("better", 56.6, 56.6, HIGH, True),  # equal but "G"
        ("worse", 40.0, 30.0, HIGH, True),  # better by polarity but "R"
        ("better", 30.0, 40.0, HIGH, True),  # worse by polarity but "G"
        ("worse", 30.0, 40.0, LOW, True),
        ("better", 40.0, 30.0, LOW, True),
        ("worse", 30.0, 40.0, HIGH, False),
        ("better", 40.0, 30.0, HIGH, False),
        ("better", 30.0, 40.0, LOW, False),
        ("similar", 56.6, 56.6, HIGH, False),  # "A" is never contradicted
        ("similar", 10.0, 90.0, HIGH, False),
        ("not_compared", 56.6, 56.6, HIGH, False),
        ("higher", 30.0, 40.0, NONE, True),
        ("lower", 30.0, 30.0, NONE, True),
        ("higher", 40.0, 30.0, NONE, False),
        ("worse", None, 30.0, HIGH, False),  # nothing to check against
        ("worse", 30.0, None, HIGH, False),
    ],
)
def test_only_letters_the_numbers_clearly_contradict(
    result, place, benchmark, polarity, flagged
):
    assert bool(compare(result, place, benchmark, polarity)) is flagged


def test_opposite_direction_names_the_polarity():
    reason = compare("worse", 40.0, 30.0, HIGH)

    assert reason.endswith(
        "but Luton's value (40.0%) is higher than East of England's (30.0%) "
        "and higher is better."
    )


def series(*values):
    return [Figure(v, f"{v}", f"P{i}") for i, v in enumerate(values, start=1)]


def test_significantly_worse_while_the_value_rose_is_flagged():
    # Development at 2-2.5 years: 85.4% in 2021/22, 85.7% in 2022/23.
    reason = trend_check(
        label=L.GETTING_WORSE,
        published_text="Significantly worse",
        polarity=HIGH,
        series=[Figure(85.4, "85.4%", "2021/22"), Figure(85.7, "85.7%", "2022/23")],
    )

    assert reason == (
        "Published as “Significantly worse” (getting worse; higher is better), "
        "but the value rose from 85.4% in 2021/22 to 85.7% in 2022/23."
    )


def test_significantly_improving_while_a_low_is_good_value_rose_is_flagged():
    # Under-75 circulatory mortality: 37.1 (2021/22) then 37.4 (2020-22).
    reason = trend_check(
        label=L.GETTING_BETTER,
        published_text="Significantly improving",
        polarity=LOW,
        series=[Figure(37.1, "37.1", "2021/22"), Figure(37.4, "37.4", "2020-22")],
    )

    assert "lower is better" in reason
    assert "the value rose from 37.1 in 2021/22 to 37.4 in 2020-22" in reason


@pytest.mark.parametrize(
    ("label", "polarity", "values", "flagged"),
    [
        (L.GETTING_WORSE, HIGH, (85.4, 85.7), True),
        (L.GETTING_WORSE, HIGH, (85.7, 85.4), False),
        (L.GETTING_WORSE, LOW, (85.4, 85.7), False),
        (L.GETTING_BETTER, HIGH, (5.0, 5.0), True),  # no change at all
        (L.INCREASING_WORSE, LOW, (9.0, 8.0), True),  # says rising, fell
        (L.DECREASING_BETTER, LOW, (9.0, 8.0), False),
        (L.INCREASING, NONE, (9.0, 8.0), True),
        (L.DECREASING, NONE, (9.0, 8.0), False),
        (L.GETTING_WORSE, HIGH, (30.0,), False),  # one period: nothing to see
        (L.NO_SIGNIFICANT_CHANGE, HIGH, (1.0, 9.0), False),
        (L.CANNOT_BE_CALCULATED, HIGH, (1.0, 9.0), False),
        # A five-point trend falling overall is not contradicted by one rise.
        (L.DECREASING_WORSE, HIGH, (10.0, 9.0, 8.0, 7.0, 7.5), False),
        # ... but is when the whole window and the last step both rose.
        (L.DECREASING_WORSE, HIGH, (7.0, 8.0, 9.0, 8.5, 9.5), True),
        # Only the latest five points count (Fingertips' window).
        (L.INCREASING_BETTER, HIGH, (1.0, 20.0, 19.0, 18.0, 17.0, 16.0), True),
    ],
)
def test_only_trends_the_values_clearly_contradict(label, polarity, values, flagged):
    reason = trend_check(
        label=label, published_text="", polarity=polarity, series=series(*values)
    )

    assert bool(reason) is flagged


def test_missing_points_are_skipped():
    points = [Figure(85.4, "85.4%", "a"), Figure(None, "", "b"), Figure(85.7, "", "c")]

    assert trend_check(
        label=L.GETTING_WORSE, published_text="", polarity=HIGH, series=points
    )


def test_a_contradicted_direction_is_not_shown():
    assert trend_words(L.INCREASING_WORSE, contradicted=True) == "Getting worse"
    assert trend_words(L.DECREASING_BETTER, contradicted=True) == "Getting better"
    assert trend_words(L.INCREASING_WORSE, contradicted=False) == L.INCREASING_WORSE
    assert trend_words(L.GETTING_WORSE, contradicted=True) == "Getting worse"


@pytest.mark.parametrize(
    ("computed", "published", "flag"),
    [
        # A computed direction agrees with published words that give none.
        (L.DECREASING_WORSE, L.GETTING_WORSE, False),
        (L.INCREASING_WORSE, L.GETTING_WORSE, False),
        (L.DECREASING_BETTER, L.GETTING_BETTER, False),
        (L.INCREASING_BETTER, L.GETTING_WORSE, True),
        (L.NO_SIGNIFICANT_CHANGE, L.GETTING_WORSE, True),
        (L.GETTING_BETTER, L.NO_SIGNIFICANT_CHANGE, True),
        (L.CANNOT_BE_CALCULATED, L.GETTING_WORSE, False),
        (L.INCREASING_WORSE, L.DECREASING_WORSE, True),  # both directed: as before
    ],
)
def test_published_words_without_a_direction_disagree_only_on_better_or_worse(
    computed, published, flag
):
    assert disagrees(computed, published) is flag
