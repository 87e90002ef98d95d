"""Fingertips recent trend: hand-checkable chi-squared values and labels.

Regression cases are crude rates (a value type Fingertips trends); the rules
Fingertips adds - value types, periods, leave-one-out on its own scale - and
its published answers are in test_trend_fingertips.py."""

import numpy as np
import pytest
from scipy import stats

from indicators.statistics.trend import (
    TREND_CHI_SQUARED_THRESHOLD,
    TrendPoint,
    recent_trend,
)
from indicators.statistics.types import Polarity, TrendLabel

YEARS = [2018, 2019, 2020, 2021, 2022]


def series(values, half_widths=None, years=YEARS):
    """Points with 95% CIs value +/- half width (half width 1.96 -> SE 1)."""
    half_widths = half_widths or [1.96] * len(values)
    return [
        TrendPoint(year, v, v - h, v + h)
        for year, v, h in zip(years, values, half_widths, strict=True)
    ]


def trend(points, **kwargs):
    """recent_trend of a crude rate (the weighted regression on the limits)."""
    return recent_trend(points, **{"value_type": "crude_rate", **kwargs})


def test_threshold_is_chi_squared_998_with_one_df():
    assert stats.chi2.ppf(0.998, 1) == pytest.approx(TREND_CHI_SQUARED_THRESHOLD)


def test_hand_computed_significant_regression():
    # SE = 3.92 / 3.92 = 1, so w = 1, t = 0..4: sum w = 5, sum wt = 10,
    # sum wt^2 = 30, sum wy = 61, sum wty = 133.
    # b = (5 * 133 - 10 * 61) / (5 * 30 - 10^2) = 55 / 50 = 1.1
    # chi-squared = 1.1^2 * 50 / 5 = 12.1 > 9.5495
    result = trend(series([10, 11, 13, 12, 15]), polarity="high_is_good")
    assert result.slope == pytest.approx(1.1, rel=1e-12)
    assert result.chi_squared == pytest.approx(12.1, rel=1e-12)
    assert result.label is TrendLabel.INCREASING_BETTER
    assert result.points_used == tuple(YEARS)
    assert "chi-squared 12.10 exceeds 9.55" in result.explanation
    assert result.explanation.endswith("→ Increasing and getting better.")


def test_hand_computed_not_significant():
    # sum wy = 54, sum wty = 111 -> b = (555 - 540) / 50 = 0.3, chi2 = 0.9
    result = trend(series([10, 11, 10, 12, 11]), polarity="high_is_good")
    assert result.slope == pytest.approx(0.3, rel=1e-12)
    assert result.chi_squared == pytest.approx(0.9, rel=1e-12)
    assert result.label is TrendLabel.NO_SIGNIFICANT_CHANGE
    assert "does not exceed 9.55" in result.explanation


def test_unequal_weights_match_numpy_weighted_least_squares():
    values = [30.2, 31.0, 33.5, 33.1, 36.0]
    half = [1.2, 0.8, 2.5, 0.6, 1.9]
    result = trend(series(values, half), polarity="low_is_good")
    se = np.array(half) * 2 / 3.92
    w = 1 / se**2
    t = np.arange(5.0)
    design = np.column_stack([np.ones(5), t]) * np.sqrt(w)[:, None]
    coef, *_ = np.linalg.lstsq(design, np.array(values) * np.sqrt(w), rcond=None)
    cov = np.linalg.inv(design.T @ design)
    assert result.slope == pytest.approx(coef[1], rel=1e-10)
    assert result.chi_squared == pytest.approx(coef[1] ** 2 / cov[1, 1], rel=1e-10)
    assert result.label is TrendLabel.INCREASING_WORSE


@pytest.mark.parametrize(
    ("values", "polarity", "label"),
    [
        ([10, 12, 14, 16, 18], Polarity.HIGH_IS_GOOD, TrendLabel.INCREASING_BETTER),
        ([10, 12, 14, 16, 18], Polarity.LOW_IS_GOOD, TrendLabel.INCREASING_WORSE),
        ([10, 12, 14, 16, 18], Polarity.NO_JUDGEMENT, TrendLabel.INCREASING),
        ([18, 16, 14, 12, 10], Polarity.HIGH_IS_GOOD, TrendLabel.DECREASING_WORSE),
        ([18, 16, 14, 12, 10], Polarity.LOW_IS_GOOD, TrendLabel.DECREASING_BETTER),
        ([18, 16, 14, 12, 10], Polarity.NO_JUDGEMENT, TrendLabel.DECREASING),
    ],
)
def test_labels_by_direction_and_polarity(values, polarity, label):
    result = trend(series(values), polarity=polarity)
    # b = +/-2, chi-squared = 4 * 50 / 5 = 40
    assert result.chi_squared == pytest.approx(40.0)
    assert result.label is label


def test_label_strings_are_fingertips_wording():
    assert [label.value for label in TrendLabel] == [
        "Increasing and getting better",
        "Increasing and getting worse",
        "Decreasing and getting better",
        "Decreasing and getting worse",
        "Increasing",
        "Decreasing",
        "No significant change",
        "Cannot be calculated",
    ]


def test_outlier_flipping_a_leave_one_out_slope_is_not_significant():
    # Gently falling series with a spike in the last year (SE = 0.1).
    result = trend(
        series([10, 9.9, 9.8, 9.7, 20], [0.196] * 5), polarity="high_is_good"
    )
    # w = 100: b = (5 * 138.6 - 10 * 59.4) / 50 = 1.98;
    # chi-squared = 1.98^2 * 100 * 50 / 5 = 3920.4 (hugely "significant").
    assert result.slope == pytest.approx(1.98)
    assert result.chi_squared == pytest.approx(3920.4)
    assert result.chi_squared > TREND_CHI_SQUARED_THRESHOLD
    assert result.label is TrendLabel.NO_SIGNIFICANT_CHANGE
    assert "leaving out 2022 changes the direction" in result.explanation


def test_uses_latest_five_points_in_sort_order():
    points = series([50, 10, 12, 14, 16, 18], years=[2016, *YEARS])
    result = trend(list(reversed(points)), polarity="high_is_good")
    assert result.points_used == tuple(YEARS)
    assert result.slope == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("points", "reason"),
    [
        (series([1, 2, 3, 4], years=YEARS[:4]), "4 data point(s)"),
        (
            [*series([1, 2, 3, 4, 5]), TrendPoint(2023, None, 1, 2)],
            "no value for 2023",
        ),
        (series([1, 2, 3, 4, 5], years=[2017, 2018, 2020, 2021, 2022]), "consecutive"),
        (
            [*series([1, 2, 3, 4], years=YEARS[:4]), TrendPoint(2022, 5, None, 6)],
            "confidence interval is missing",
        ),
        (series([1, 2, 3, 4, 5], [1, 1, 0, 1, 1]), "zero or negative width"),
    ],
)
def test_cannot_be_calculated(points, reason):
    result = trend(points, polarity="high_is_good")
    assert result.label is TrendLabel.CANNOT_BE_CALCULATED
    assert result.label == "Cannot be calculated"
    assert result.slope is None and result.chi_squared is None
    assert reason in result.explanation


def test_string_keys_are_trusted_and_gap_check_can_be_disabled():
    keys = ["2017/18", "2018/19", "2019/20", "2020/21", "2021/22"]
    result = trend(series([10, 12, 14, 16, 18], years=keys), polarity="low_is_good")
    assert result.label is TrendLabel.INCREASING_WORSE
    gappy = series([10, 12, 14, 16, 18], years=[2010, 2012, 2014, 2016, 2018])
    assert (
        trend(gappy, polarity="high_is_good", check_gaps=False).label
        is TrendLabel.INCREASING_BETTER
    )


# --- Chi-squared test for trend in proportions ---------------------------------

COUNTS = [20, 25, 30, 38, 45]
DENOMS = [200, 210, 205, 215, 200]


def proportion_points(counts=COUNTS, denoms=DENOMS):
    return [
        TrendPoint(year, 100 * r / n, None, None, count=r, denominator=n)
        for year, r, n in zip(YEARS, counts, denoms, strict=True)
    ]


def test_proportion_trend_matches_hand_formula_and_scipy():
    result = recent_trend(
        proportion_points(), polarity="high_is_good", value_type="proportion"
    )
    r, n, t = np.array(COUNTS, float), np.array(DENOMS, float), np.arange(5.0)
    big_n, big_r = n.sum(), r.sum()
    p = big_r / big_n
    t_bar = (n * t).sum() / big_n
    sxx = (n * t * t).sum() - big_n * t_bar**2
    b = ((r * t).sum() - big_r * t_bar) / sxx
    assert result.chi_squared == pytest.approx(b * b * sxx / (p * (1 - p)), rel=1e-12)
    # The direction is Fingertips' slope: ordinary least squares of the
    # log-odds on time.
    logit_slope = np.polyfit(t, np.log(r / (n - r)), 1)[0]
    assert result.slope == pytest.approx(logit_slope, rel=1e-12)
    # Independent check: Armitage's statistic is N r^2, r the Pearson
    # correlation between score and outcome over the N individuals.
    scores = np.repeat(t, n.astype(int))
    outcome = np.concatenate(
        [
            np.r_[np.ones(int(ri)), np.zeros(int(ni - ri))]
            for ri, ni in zip(r, n, strict=True)
        ]
    )
    pearson = stats.pearsonr(scores, outcome).statistic
    assert result.chi_squared == pytest.approx(big_n * pearson**2, rel=1e-9)
    assert result.chi_squared > TREND_CHI_SQUARED_THRESHOLD
    assert result.label is TrendLabel.INCREASING_BETTER
    assert "chi-squared test for trend in proportions" in result.explanation


def test_proportion_trend_not_significant():
    result = recent_trend(
        proportion_points([20, 24, 19, 25, 22]),
        polarity="high_is_good",
        value_type="proportion",
    )
    assert result.chi_squared < TREND_CHI_SQUARED_THRESHOLD
    assert result.label is TrendLabel.NO_SIGNIFICANT_CHANGE


def test_proportion_without_counts_falls_back_to_regression():
    # A deliberate difference (c): Fingertips would refuse a row without counts.
    points = series([10, 12, 14, 16, 18])
    result = recent_trend(points, polarity="low_is_good", value_type="proportion")
    assert result.chi_squared == pytest.approx(40.0)
    assert "weighted linear regression" in result.explanation


def test_proportion_with_no_events_cannot_be_calculated():
    # A deliberate difference (e): Fingertips' 0 / 0 prints "No significant
    # change".
    result = recent_trend(
        proportion_points([0] * 5), polarity="high_is_good", value_type="proportion"
    )
    assert result.label is TrendLabel.CANNOT_BE_CALCULATED
    assert "count of 0" in result.explanation
