"""Confidence intervals cross-checked against PHStatsMethods (test-only).

Agreement is required to 6 significant figures (relative 1e-6); the package
uses z = qnorm(1 - alpha/2) to full precision, we use Z95 = 1.959964 and
Z998 = 3.090232, which differ by < 1e-7 relative.
"""

import warnings

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PHStatsMethods import (
    byars_lower,
    byars_upper,
    exact_lower,
    exact_upper,
    ph_dsr,
    ph_proportion,
    ph_rate,
    wilson_lower,
    wilson_upper,
)
from scipy import stats

from indicators.statistics.confidence import (
    Z95,
    Z998,
    byars_rate,
    confidence_intervals,
    count_ci,
    crude_rate_ci,
    dobson_dsr,
    dsr_value,
    exact_poisson,
    proportion_ci,
    wilson_proportion,
)
from indicators.statistics.types import Interval
from tests.indicators.statistics.reference_figures import DSR_COUNTS, DSR_POPS, ESP

PROFILE = settings.get_profile("indicator-statistics")
SIG6 = 1e-6
LEVELS = [(Z95, 0.95), (Z998, 0.998)]
level = st.sampled_from(LEVELS)

# Worked example from PHStatsMethods' published tests (19 ESP age bands):
# DSR_COUNTS, DSR_POPS and ESP from reference_figures.


def approx6(x: float) -> object:
    return pytest.approx(x, rel=SIG6, abs=1e-12)


def assert_interval(actual: Interval, lower: float, upper: float) -> None:
    assert actual.lower == approx6(lower)
    assert actual.upper == approx6(upper)


# --- Published worked examples -------------------------------------------------


def test_wilson_published_example_percent():
    # phe_proportion(100, 1000) -> (10.0, 8.29094435930957, 12.01519631953484)
    assert_interval(
        proportion_ci(100, 1000, z=Z95, multiplier=100),
        8.29094435930957,
        12.01519631953484,
    )


def test_byars_published_example():
    # byars_lower(100) = 81.36210549052788 (published). The old published
    # upper 121.62458755509265 came from a since-fixed formula; PHStatsMethods
    # 0.1.16 and R PHEindicatormethods give 121.62793757920...
    interval = byars_rate(100, 1, z=Z95, multiplier=1)
    assert interval.lower == approx6(81.36210549052788)
    assert interval.upper == approx6(121.6279375792065)
    assert interval.upper == approx6(byars_upper(100, 0.95))


def test_rate_published_example():
    # phe_rate(100, 10000, 100000) -> value 1000, lower 813.6210549052789
    ci = confidence_intervals("crude_rate", numerator=100, denominator=10_000)
    assert ci.value == 1000.0
    assert ci.lower95 == approx6(813.6210549052789)
    assert ci.upper95 == approx6(1216.279375792065)


def test_dsr_published_example():
    # phe_dsr(obs, pop) with the European Standard Population:
    # value 9832.763039564017, lower 9232.668299548477 (published).
    value = dsr_value(DSR_COUNTS, DSR_POPS, ESP, multiplier=100_000)
    interval = dobson_dsr(DSR_COUNTS, DSR_POPS, ESP, z=Z95, multiplier=100_000)
    assert value == approx6(9832.763039564017)
    assert interval.lower == approx6(9232.668299548477)
    assert interval.upper == approx6(10461.620634)


def test_phe_rate_docstring_example_against_ph_rate():
    # Inputs of the phe_rate documentation example (NA row dropped).
    obs = [82, 9, 48, 6500, 8200, 10000, 10000, 8, 7, 750, 900]
    pop = [100, 100, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000]
    frame = pd.DataFrame({"obs": obs, "pop": pop})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = ph_rate(frame, "obs", "pop", confidence=[0.95, 0.998])
    for row in expected.itertuples(index=False):
        ci = confidence_intervals("crude_rate", numerator=row.obs, denominator=row.pop)
        assert ci.value == approx6(row.Value)
        assert ci.lower95 == approx6(row.lower_95_ci)
        assert ci.upper95 == approx6(row.upper_95_ci)
        assert ci.lower998 == approx6(row.lower_99_8_ci)
        assert ci.upper998 == approx6(row.upper_99_8_ci)


def test_ph_proportion_docstring_example():
    num = [48, 10000, 7, 82, 6500, 10000, 750, 9, 8200, 8, 900]
    den = [10000, 10000, 10000, 100, 10000, 10000, 10000, 100, 10000, 10000, 10000]
    frame = pd.DataFrame({"num": num, "den": den})
    expected = ph_proportion(
        frame, "num", "den", confidence=[0.95, 0.998], multiplier=100
    )
    for row in expected.itertuples(index=False):
        ci = confidence_intervals("proportion", numerator=row.num, denominator=row.den)
        assert ci.value == approx6(row.Value)
        assert ci.lower95 == approx6(row.lower_95_ci)
        assert ci.upper95 == approx6(row.upper_95_ci)
        assert ci.lower998 == approx6(row.lower_99_8_ci)
        assert ci.upper998 == approx6(row.upper_99_8_ci)


def test_ph_dsr_both_levels():
    frame = pd.DataFrame({"o": DSR_COUNTS, "p": DSR_POPS, "s": ESP})
    expected = ph_dsr(
        frame, "o", "p", "s", euro_standard_pops=False, confidence=[0.95, 0.998]
    ).iloc[0]
    ci = confidence_intervals(
        "dsr", counts=DSR_COUNTS, populations=DSR_POPS, standard_populations=ESP
    )
    assert ci.value == approx6(expected["Value"])
    assert ci.lower95 == approx6(expected["lower_95_ci"])
    assert ci.upper95 == approx6(expected["upper_95_ci"])
    assert ci.lower998 == approx6(expected["lower_99_8_ci"])
    assert ci.upper998 == approx6(expected["upper_99_8_ci"])


# --- Method choice and edge cases -------------------------------------------------


def test_rate_switches_from_exact_to_byars_at_ten():
    exact9 = exact_poisson(9, z=Z95)
    assert_interval(
        crude_rate_ci(9, 1000, z=Z95, multiplier=1000), *vars(exact9).values()
    )
    byars10 = byars_rate(10, 1000, z=Z95, multiplier=1000)
    assert crude_rate_ci(10, 1000, z=Z95, multiplier=1000) == byars10
    # Exact and Byar's differ at 10, so the switch point matters.
    assert exact_poisson(10, z=Z95).lower != pytest.approx(byars10.lower, rel=1e-3)


def test_zero_count_uses_exact_limits():
    # R phe_rate: lower = qchisq(0.025, 0) / 2 = 0, upper = qchisq(0.975, 2) / 2.
    interval = count_ci(0, z=Z95)
    assert interval.lower == 0.0
    assert interval.upper == approx6(stats.chi2.ppf(0.975, 2) / 2)
    assert interval.upper == approx6(3.688879454113936)


def test_wilson_extremes_stay_in_unit_interval():
    assert wilson_proportion(0, 50, z=Z95).lower == 0.0
    assert wilson_proportion(50, 50, z=Z95).upper == 1.0
    assert wilson_proportion(0, 50, z=Z95).upper == approx6(wilson_upper(0, 50, 0.95))


def test_dsr_below_ten_events_is_not_calculated():
    with pytest.raises(ValueError, match="below 10"):
        dobson_dsr([3, 4, 2], [1000, 1000, 1000], [1, 1, 1], z=Z95)
    with pytest.raises(ValueError, match="below 10"):
        confidence_intervals(
            "dsr", counts=[9], populations=[100], standard_populations=[1]
        )


def test_dsr_missing_counts_are_zero():
    with_none = dsr_value([None, 20, 30], [100, 200, 300], [1, 2, 3])
    with_zero = dsr_value([0, 20, 30], [100, 200, 300], [1, 2, 3])
    assert with_none == with_zero == pytest.approx((0 + 20 / 100 + 30 / 100) / 6 * 1e5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: wilson_proportion(11, 10, z=Z95), "exceed"),
        (lambda: wilson_proportion(1, 0, z=Z95), "denominator"),
        (lambda: crude_rate_ci(-1, 10, z=Z95, multiplier=1), "count"),
        (lambda: exact_poisson(3, z=0), "z must"),
        (lambda: byars_rate(0, 10, z=Z95, multiplier=1), "greater than zero"),
        (lambda: dsr_value([10], [100, 200], [1, 1]), "length"),
        (lambda: confidence_intervals("ratio", numerator=1), "ratio"),
        (lambda: confidence_intervals("proportion", numerator=1), "denominator"),
    ],
)
def test_invalid_inputs_raise(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_count_value_type():
    ci = confidence_intervals("count", numerator=25)
    assert ci.value == 25
    assert ci.lower95 == approx6(byars_lower(25, 0.95))
    assert ci.upper998 == approx6(byars_upper(25, 0.998))
    assert ci.ci95 == Interval(ci.lower95, ci.upper95)


# --- Property-based cross-checks ------------------------------------------------


@settings(PROFILE)
@given(data=st.data(), denominator=st.integers(1, 2_000_000), lv=level)
def test_wilson_matches_phstatsmethods(data, denominator, lv):
    z, confidence = lv
    numerator = data.draw(st.integers(0, denominator))
    interval = wilson_proportion(numerator, denominator, z=z)
    assert interval.lower == approx6(
        max(0.0, wilson_lower(numerator, denominator, confidence))
    )
    assert interval.upper == approx6(wilson_upper(numerator, denominator, confidence))


@settings(PROFILE)
@given(
    count=st.integers(0, 100_000),
    denominator=st.integers(1, 10_000_000),
    multiplier=st.sampled_from([1, 100, 1000, 100_000]),
    lv=level,
)
def test_crude_rate_matches_ph_rate_rule(count, denominator, multiplier, lv):
    z, confidence = lv
    interval = crude_rate_ci(count, denominator, z=z, multiplier=multiplier)
    scale = multiplier / denominator
    if count == 0:  # PHStatsMethods byars_upper rejects 0; R phe_rate uses qchisq.
        expected_upper = stats.chi2.ppf(1 - (1 - confidence) / 2, 2) / 2
        assert interval.lower == 0.0
        assert interval.upper == approx6(expected_upper * scale)
        return
    # ph_rate: byars_lower/upper (exact below 10) / denominator * multiplier
    assert interval.lower == approx6(byars_lower(count, confidence) * scale)
    assert interval.upper == approx6(byars_upper(count, confidence) * scale)


@settings(PROFILE)
@given(count=st.floats(0.5, 500), lv=level)
def test_exact_poisson_matches_phstatsmethods(count, lv):
    z, confidence = lv
    interval = exact_poisson(count, z=z)
    assert interval.lower == approx6(exact_lower(count, confidence))
    assert interval.upper == approx6(exact_upper(count, confidence))


@settings(PROFILE)
@given(count=st.integers(10, 1_000_000), lv=level)
def test_byars_matches_phstatsmethods(count, lv):
    z, confidence = lv
    interval = byars_rate(count, 1, z=z, multiplier=1)
    assert interval.lower == approx6(byars_lower(count, confidence))
    assert interval.upper == approx6(byars_upper(count, confidence))


@st.composite
def dsr_inputs(draw):
    bands = draw(st.integers(2, 19))
    counts = draw(st.lists(st.integers(0, 400), min_size=bands, max_size=bands))
    pops = draw(st.lists(st.integers(50, 100_000), min_size=bands, max_size=bands))
    std = draw(st.lists(st.integers(100, 8000), min_size=bands, max_size=bands))
    return counts, pops, std


@settings(PROFILE)
@given(inputs=dsr_inputs())
def test_dobson_dsr_matches_ph_dsr(inputs):
    counts, pops, std = inputs
    assume(sum(counts) >= 10)
    frame = pd.DataFrame({"o": counts, "p": pops, "s": std})
    expected = ph_dsr(
        frame, "o", "p", "s", euro_standard_pops=False, confidence=[0.95, 0.998]
    ).iloc[0]
    ci = confidence_intervals(
        "dsr", counts=counts, populations=pops, standard_populations=std
    )
    assert ci.value == approx6(expected["Value"])
    assert ci.lower95 == approx6(expected["lower_95_ci"])
    assert ci.upper95 == approx6(expected["upper_95_ci"])
    assert ci.lower998 == approx6(expected["lower_99_8_ci"])
    assert ci.upper998 == approx6(expected["upper_99_8_ci"])
