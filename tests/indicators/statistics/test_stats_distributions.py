"""Pure-Python chi-squared / gamma quantiles against scipy (test-only)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from indicators.statistics.distributions import (
    chi2_ppf,
    gamma_p,
    gamma_q,
    normal_upper_tail,
)

PROFILE = settings.get_profile("indicator-statistics")


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        # Textbook chi-squared table values.
        (0.95, 1, 3.841458820694124),
        (0.998, 1, 9.54953570608324),
        (0.975, 2, 7.377758908227871),
        (0.025, 10, 3.246972780236841),
        (0.999, 20, 45.31474661812586),
    ],
)
def test_chi2_ppf_table_values(p, df, expected):
    assert chi2_ppf(p, df) == pytest.approx(expected, rel=1e-12)


def test_chi2_ppf_zero_df_is_zero():
    assert chi2_ppf(0.025, 0) == 0.0


def test_normal_upper_tail():
    assert normal_upper_tail(1.959963984540054) == pytest.approx(0.025, rel=1e-12)
    assert normal_upper_tail(0.0) == 0.5


@settings(PROFILE)
@given(
    p=st.floats(min_value=1e-6, max_value=1 - 1e-6),
    df=st.floats(min_value=0.05, max_value=5000),
)
def test_chi2_ppf_matches_scipy(p, df):
    assert chi2_ppf(p, df) == pytest.approx(stats.chi2.ppf(p, df), rel=1e-10)


@settings(PROFILE)
@given(
    a=st.floats(min_value=0.01, max_value=2000),
    x=st.floats(min_value=0.0, max_value=3000),
)
def test_incomplete_gamma_matches_scipy(a, x):
    assert gamma_p(a, x) == pytest.approx(special.gammainc(a, x), rel=1e-10, abs=1e-14)
    assert gamma_q(a, x) == pytest.approx(special.gammaincc(a, x), rel=1e-10, abs=1e-14)
    assert math.isclose(gamma_p(a, x) + gamma_q(a, x), 1.0, rel_tol=1e-12)
