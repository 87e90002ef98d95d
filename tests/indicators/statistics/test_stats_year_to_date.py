"""Pentana's year-to-date rule (ADR 32), worked by hand: a count summed over
the quarters so far against the annual target pro-rated to them."""

import pytest

from indicators.models import Indicator
from indicators.statistics import year_to_date as ytd

S = ytd.TargetStatus


def test_the_aggregation_names_are_the_models():
    assert {ytd.SUM, ytd.LATEST} == set(Indicator.YearToDate.values)


def test_year_to_date_sums_counts_and_takes_the_latest_level():
    assert ytd.year_to_date_value([20, 25], ytd.SUM) == 45
    assert ytd.year_to_date_value([61.0, 63.5], ytd.LATEST) == 63.5
    assert ytd.year_to_date_value([], ytd.SUM) is None


def test_pro_rata_for_sums_only():
    assert (
        ytd.pro_rata(200, periods_covered=2, periods_in_year=4, aggregation="sum")
        == 100
    )
    assert (
        ytd.pro_rata(65, periods_covered=2, periods_in_year=4, aggregation="latest")
        == 65
    )
    with pytest.raises(ValueError):
        ytd.pro_rata(200, periods_covered=5, periods_in_year=4, aggregation="sum")


@pytest.mark.parametrize(
    ("values", "status", "target", "tolerance"),
    [
        # Annual target 200, 10 % tolerance; after two quarters: 100 ± 10.
        ([60, 50], S.ON_TARGET, 100, 10),
        ([50, 50], S.ON_TARGET, 100, 10),  # met exactly: on target
        ([45, 45], S.WITHIN_TOLERANCE, 100, 10),  # 10 short: the boundary is in
        ([45, 44], S.OFF_TARGET, 100, 10),
        ([20, 25], S.OFF_TARGET, 100, 10),
    ],
)
def test_two_quarters_against_half_the_annual_target(values, status, target, tolerance):
    judged = ytd.year_to_date_judgement(
        values=values,
        periods_covered=2,
        periods_in_year=4,
        aggregation=ytd.SUM,
        annual_target=200,
        polarity="high_is_good",
        tolerance=10,
        tolerance_is_percent=True,
    )
    assert (judged.status, judged.target, judged.tolerance) == (
        status,
        target,
        tolerance,
    )
    assert judged.words == ytd.WORDS[status]
    assert judged.shape in {"green", "amber", "red"}


def test_an_absolute_tolerance_is_pro_rated_with_the_target():
    judged = ytd.year_to_date_judgement(
        values=[40],
        periods_covered=1,
        periods_in_year=4,
        aggregation=ytd.SUM,
        annual_target=200,
        polarity="high_is_good",
        tolerance=40,  # 40 a year → 10 a quarter
        tolerance_is_percent=False,
    )
    assert (judged.target, judged.tolerance, judged.status) == (
        50,
        10,
        S.WITHIN_TOLERANCE,
    )


def test_a_gap_counts_against_the_year_to_date():
    # Q1 and Q3 recorded, Q2 missing: covered through Q3, so 3/4 of the target.
    judged = ytd.year_to_date_judgement(
        values=[50, 50],
        periods_covered=3,
        periods_in_year=4,
        aggregation=ytd.SUM,
        annual_target=200,
        polarity="high_is_good",
        tolerance=0,
        tolerance_is_percent=True,
    )
    assert (judged.value, judged.target, judged.status) == (100, 150, S.OFF_TARGET)


def test_low_is_good_levels_are_judged_against_the_annual_target():
    judged = ytd.year_to_date_judgement(
        values=[12.0, 9.5],
        periods_covered=2,
        periods_in_year=4,
        aggregation=ytd.LATEST,
        annual_target=10,
        polarity="low_is_good",
        tolerance=5,
        tolerance_is_percent=True,
    )
    assert (judged.value, judged.target, judged.status) == (9.5, 10, S.ON_TARGET)


def test_nothing_to_judge_without_values():
    assert (
        ytd.year_to_date_judgement(
            values=[],
            periods_covered=0,
            periods_in_year=4,
            aggregation=ytd.SUM,
            annual_target=200,
            polarity="high_is_good",
            tolerance=0,
            tolerance_is_percent=True,
        )
        is None
    )
