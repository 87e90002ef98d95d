"""Fingertips' spine-chart percentiles (IndicatorStatsCalculator).

Reference: fingertips-open (ukhsa-collaboration/fingertips-open, commit
5441c9a3ef1757f9dcb23d42cc474b240947d839),
``PholioVisualisationWS/Analysis/IndicatorStatsCalculator.cs`` (P5, P25,
median, P75, P95, min, max; percentiles only with more than 3 values) and
``ValueCategoriesCalculator.cs`` (the percentile rule). The spine chart's
scale (fingertipscharts ``spine_rescaler``) is tested in test_stats_spine.py.
"""

import math
import random

import numpy as np
import pytest

from indicators.statistics.spine import (
    FingertipsSpineStats,
    fingertips_spine_stats,
    spine_range,
)

ONE_TO_TEN = [float(x) for x in range(1, 11)]


def test_percentiles_of_one_to_ten_by_hand():
    stats = fingertips_spine_stats([*ONE_TO_TEN, None, math.inf])
    # n = 9 p + 1: P5 at 1.45, P25 at 3.25, P50 at 5.5, P75 at 7.75, P95 at 9.55.
    assert stats == FingertipsSpineStats(
        count=10,
        minimum=1.0,
        maximum=10.0,
        p5=pytest.approx(1.45),
        p25=3.25,
        median=5.5,
        p75=7.75,
        p95=pytest.approx(9.55),
    )


def test_three_values_give_only_the_range():
    stats = fingertips_spine_stats([4.0, None, 1.0, 9.0])
    assert (stats.count, stats.minimum, stats.maximum) == (3, 1.0, 9.0)
    assert stats.p25 is None and stats.median is None and stats.p95 is None
    assert fingertips_spine_stats([1.0, 2.0, 3.0, 4.0]).p25 == 1.75


def test_no_values_gives_none():
    assert fingertips_spine_stats([None, math.nan]) is None


def test_agrees_with_numpy_and_with_the_chart_quartiles():
    rng = random.Random(21)
    for _ in range(30):
        values = [rng.uniform(0, 500) for _ in range(rng.randint(4, 150))]
        stats = fingertips_spine_stats(values)
        expected = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95], method="linear")
        actual = [stats.p5, stats.p25, stats.median, stats.p75, stats.p95]
        assert actual == pytest.approx(expected.tolist(), abs=1e-9)
        chart = spine_range(values, england=250.0, polarity="high_is_good")
        assert (chart.q25, chart.q75) == pytest.approx((stats.p25, stats.p75), abs=1e-9)
        assert (chart.worst, chart.best) == (stats.minimum, stats.maximum)
