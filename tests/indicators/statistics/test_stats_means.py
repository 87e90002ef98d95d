"""Means with Student's t intervals against PHStatsMethods, R's example and scipy.

References: PHEindicatormethods (R) phe_mean (ukhsa-collaboration/
PHEindicatormethods, R/Means.R @ 840a7d97c44541dae75a9fb4d21526041c125d4b,
whose documented example is ``phe_mean(data.frame(values = c(30, 40, 50,
60)), values)``) and PHStatsMethods 0.1.16 ph_mean (DataS-DHSC/PHStatsMethods,
PHStatsMethods/means.py @ 4de6ea523dac8926108e0f7b2c4742fb04c860cf). The
Student's t quantile is checked against scipy.stats.t.ppf (test-only).
"""

import math
import statistics

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PHStatsMethods import ph_mean
from scipy import stats

from indicators.statistics.means import (
    mean_ci,
    mean_ci_from_summary,
    student_t_ppf,
    student_t_upper_tail,
)

PROFILE = settings.get_profile("indicator-statistics")
REL = 1e-9


def approx(x: float) -> object:
    return pytest.approx(x, rel=REL, abs=1e-12)


def test_r_documented_example():
    # phe_mean(data.frame(values = c(30, 40, 50, 60)), values,
    #          confidence = c(0.95, 0.998))
    ci = mean_ci([30, 40, 50, 60])
    sd = statistics.stdev([30, 40, 50, 60])  # 12.90994...
    assert ci.value == 45
    half95 = abs(stats.t.ppf(0.025, 3)) * sd / 2
    half998 = abs(stats.t.ppf(0.001, 3)) * sd / 2
    assert ci.lower95 == approx(45 - half95)
    assert ci.upper95 == approx(45 + half95)
    assert ci.lower998 == approx(45 - half998)
    assert ci.upper998 == approx(45 + half998)
    # qt(0.975, 3) = 3.182446305284263 (R)
    assert ci.upper95 == approx(45 + 3.182446305284263 * sd / 2)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 9, 10, 29, 30, 99, 500, 10_000, 1e6])
@pytest.mark.parametrize("p", [0.975, 0.999, 0.9, 0.6, 0.025, 0.001])
def test_student_t_ppf_matches_scipy(df, p):
    assert student_t_ppf(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-10)


@settings(PROFILE)
@given(t=st.floats(-50, 50), df=st.floats(0.5, 5_000))
def test_student_t_tail_matches_scipy(t, df):
    assert student_t_upper_tail(t, df) == pytest.approx(
        stats.t.sf(t, df), rel=1e-10, abs=1e-15
    )


# PHStatsMethods refuses negative values (R's phe_mean does not); ours takes both.
values = st.lists(
    st.floats(0, 1e4, allow_nan=False, allow_infinity=False), min_size=2, max_size=60
)


@settings(PROFILE, max_examples=40)
@given(data=values)
def test_mean_matches_phstatsmethods(data):
    reference = ph_mean(
        pd.DataFrame({"v": data, "g": 1}),
        "v",
        "g",
        metadata=False,
        confidence=[0.95, 0.998],
    ).iloc[0]
    ci = mean_ci(data)
    scale = max(1.0, max(abs(v) for v in data))
    for ours, column in (
        (ci.value, "Value"),
        (ci.lower95, "lower_95_ci"),
        (ci.upper95, "upper_95_ci"),
        (ci.lower998, "lower_99_8_ci"),
        (ci.upper998, "upper_99_8_ci"),
    ):
        assert ours == pytest.approx(reference[column], rel=REL, abs=1e-12 * scale)
    assert ci.lower998 <= ci.lower95 <= ci.value <= ci.upper95 <= ci.upper998


def test_summary_and_values_agree():
    data = [3.2, 4.8, 5.1, 6.0, 7.7, 2.9]
    from_values = mean_ci(data)
    from_summary = mean_ci_from_summary(
        mean=statistics.fmean(data),
        standard_deviation=statistics.stdev(data),
        count=len(data),
    )
    assert from_values.upper998 == approx(from_summary.upper998)
    assert from_values.lower95 == approx(from_summary.lower95)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: mean_ci([4.0]), "at least two"),
        (lambda: mean_ci([1.0, math.nan]), "finite"),
        (
            lambda: mean_ci_from_summary(mean=1, standard_deviation=-1, count=5),
            "zero or more",
        ),
        (
            lambda: mean_ci_from_summary(mean=1, standard_deviation=1, count=2.5),
            "at least two",
        ),
        (lambda: student_t_ppf(1.0, 3), "0 < p < 1"),
        (lambda: student_t_ppf(0.9, 0), "degrees of freedom"),
    ],
)
def test_invalid_inputs_raise(call, message):
    with pytest.raises(ValueError, match=message):
        call()
