"""Inequality gap, slope index of inequality and gap trend."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.statistics.inequality import (
    Group,
    gap_trend,
    inequality_gap,
    slope_index_of_inequality,
)
from indicators.statistics.types import GapTrend, Polarity

PROFILE = settings.get_profile("indicator-statistics")

# phe_sii documentation example, Area1 (deciles 1 = most deprived .. 10).
SII_POPS = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
SII_VALUES = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3]


def deciles(values, pops, ranks=True):
    return [
        Group(f"Decile {i}", v, population=p, rank=i if ranks else None)
        for i, (v, p) in enumerate(zip(values, pops, strict=True), start=1)
    ]


def phe_sii_reference(values, pops):
    """phe_sii's regression: lm(y*sqrt(a) ~ sqrt(a) + b*sqrt(a) - 1)."""
    pops = np.asarray(pops, float)
    a = pops / pops.sum()
    b = np.cumsum(a) - a / 2
    sqrt_a = np.sqrt(a)
    design = np.column_stack([sqrt_a, b * sqrt_a])
    coef, *_ = np.linalg.lstsq(design, np.asarray(values) * sqrt_a, rcond=None)
    return coef  # intercept, SII


# --- gaps ------------------------------------------------------------------------

GROUPS = [
    Group("Quintile 1", 74.3),
    Group("Quintile 2", 76.0),
    Group("Quintile 3", None),
    Group("Quintile 4", 82.1),
    Group("Quintile 5", 79.0),
]


def test_gap_high_is_good():
    gap = inequality_gap(GROUPS, polarity=Polarity.HIGH_IS_GOOD)
    assert gap.best.label == "Quintile 4"
    assert gap.worst.label == "Quintile 1"
    assert gap.absolute_gap == pytest.approx(7.8)
    assert gap.relative_gap == pytest.approx(74.3 / 82.1)
    assert gap.explanation == (
        "Best group Quintile 4 (82.1), worst group Quintile 1 (74.3): absolute gap "
        "7.80; the worst is 0.905 times the best."
    )


def test_gap_low_is_good():
    gap = inequality_gap(GROUPS, polarity="low_is_good", decimals=1)
    assert (gap.best.label, gap.worst.label) == ("Quintile 1", "Quintile 4")
    assert gap.absolute_gap == pytest.approx(7.8)
    assert gap.relative_gap == pytest.approx(82.1 / 74.3)
    assert "absolute gap 7.8;" in gap.explanation


def test_gap_with_zero_best_has_no_ratio():
    gap = inequality_gap([Group("A", 0.0), Group("B", 3.0)], polarity="low_is_good")
    assert gap.relative_gap is None
    assert gap.absolute_gap == 3.0


def test_gap_errors():
    with pytest.raises(ValueError, match="polarity"):
        inequality_gap(GROUPS, polarity=Polarity.NO_JUDGEMENT)
    with pytest.raises(ValueError, match="at least two"):
        inequality_gap([Group("A", 1.0), Group("B", None)], polarity="high_is_good")


# --- SII -------------------------------------------------------------------------


def test_sii_hand_example_equal_populations():
    # Equal quintiles: relative ranks 0.1, 0.3, 0.5, 0.7, 0.9 and values on
    # the line y = 11 + 10 b, so SII = 10, intercept = 11, RII = 21 / 11.
    sii = slope_index_of_inequality(deciles([12, 14, 16, 18, 20], [100] * 5))
    assert sii.sii == pytest.approx(10.0)
    assert sii.intercept == pytest.approx(11.0)
    assert sii.rii == pytest.approx(21 / 11)
    assert sii.explanation == (
        "Across 5 groups from most deprived (Decile 1) to least deprived "
        "(Decile 5), the population-weighted line goes from 11.0 to 21.0: slope "
        "index of inequality 10.0."
    )


def test_sii_phe_sii_documentation_example():
    result = slope_index_of_inequality(deciles(SII_VALUES, SII_POPS))
    intercept, slope = phe_sii_reference(SII_VALUES, SII_POPS)
    assert result.sii == pytest.approx(slope, rel=1e-10)
    assert result.intercept == pytest.approx(intercept, rel=1e-10)
    # Pinned value (numpy reference above); positive = higher in less deprived.
    assert result.sii == pytest.approx(7.000235, rel=1e-6)
    assert result.rii == pytest.approx((intercept + slope) / intercept)


def test_sii_orders_by_rank_and_applies_multiplier():
    groups = deciles(SII_VALUES, SII_POPS)
    shuffled = groups[5:] + groups[:5]
    plain = slope_index_of_inequality(groups)
    result = slope_index_of_inequality(shuffled, multiplier=-1)
    assert result.sii == pytest.approx(-plain.sii)
    assert result.rii == pytest.approx(1 / plain.rii)


def test_sii_without_ranks_uses_given_order():
    groups = deciles(SII_VALUES, SII_POPS, ranks=False)
    forward = slope_index_of_inequality(groups).sii
    backward = slope_index_of_inequality(list(reversed(groups))).sii
    assert forward == pytest.approx(
        slope_index_of_inequality(deciles(SII_VALUES, SII_POPS)).sii
    )
    assert backward != pytest.approx(forward)


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        (deciles([1, 2, 3, 4], [10] * 4), "between 5 and 100"),
        (deciles([1, 2, None, 4, 5], [10] * 5), "value"),
        (deciles([1, 2, 3, 4, 5], [10, 10, 0, 10, 10]), "population"),
        (deciles([1, 2, 3, 4, 5], [10, 10, None, 10, 10]), "population"),
    ],
)
def test_sii_errors(groups, message):
    with pytest.raises(ValueError, match=message):
        slope_index_of_inequality(groups)


@settings(PROFILE)
@given(
    data=st.data(),
    n=st.integers(5, 20),
)
def test_sii_matches_numpy_weighted_least_squares(data, n):
    values = data.draw(st.lists(st.floats(0, 1000), min_size=n, max_size=n))
    pops = data.draw(st.lists(st.integers(1, 1_000_000), min_size=n, max_size=n))
    result = slope_index_of_inequality(deciles(values, pops))
    intercept, slope = phe_sii_reference(values, pops)
    assert result.sii == pytest.approx(slope, rel=1e-7, abs=1e-7)
    assert result.intercept == pytest.approx(intercept, rel=1e-7, abs=1e-7)


# --- gap trend -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("gaps", "trend"),
    [
        ([10, 9, 8, 7, 6], GapTrend.NARROWING),
        ([5, 6, 7, 8, 9], GapTrend.WIDENING),
        ([10, 10.1, 9.9, 10, 10.05], GapTrend.NO_CLEAR_CHANGE),
        ([-10, -8, -6], GapTrend.NARROWING),  # magnitudes are compared
        ([1, 2, 3, 10, 9, 8, 7, 6], GapTrend.NARROWING),  # latest five only
        ([4, None, 6, 8], GapTrend.WIDENING),  # missing years skipped
        ([10, 6], GapTrend.NO_CLEAR_CHANGE),  # too few points
        ([], GapTrend.NO_CLEAR_CHANGE),
    ],
)
def test_gap_trend(gaps, trend):
    assert gap_trend(gaps) is trend
    assert gap_trend(gaps) == trend.value


def test_gap_trend_tolerance_boundary():
    # Fitted change over [10, 10.25, 10.5] is 0.5; 5% of the mean gap 10.25 is
    # 0.5125, so the change is within tolerance; at 4% (0.41) it is not.
    assert gap_trend([10, 10.25, 10.5]) is GapTrend.NO_CLEAR_CHANGE
    assert gap_trend([10, 10.25, 10.5], tolerance=0.04) is GapTrend.WIDENING
