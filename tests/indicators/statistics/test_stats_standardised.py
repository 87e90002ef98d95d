"""Indirectly standardised ratios and rates against PHStatsMethods and R's rules.

References: PHEindicatormethods (R) calculate_ISRatio / calculate_ISRate
(ukhsa-collaboration/PHEindicatormethods, R/ISRatio.R and R/ISRate.R
@ 093fd288d8f8949dbcfbed70049dbbf385b6141d) and their Python port
PHStatsMethods 0.1.16 ph_ISRatio / ph_ISRate (DataS-DHSC/PHStatsMethods,
PHStatsMethods/ISRatio.py @ 4de6ea523dac8926108e0f7b2c4742fb04c860cf).
PHStatsMethods uses exact limits below 10 inside byars_lower/byars_upper, so
its results follow the same rule; it cannot take 0 observed events (its
byars_upper raises), where the R formula (qchisq) is used instead.
"""

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PHStatsMethods import ph_ISRate, ph_ISRatio
from scipy import stats

from indicators.statistics.standardised import (
    BYARS,
    EXACT,
    expected_events,
    indirectly_standardised_rate,
    indirectly_standardised_ratio,
)

PROFILE = settings.get_profile("indicator-statistics")
REL = 1e-9

# A worked example: five age bands, local counts and populations, reference
# (e.g. England) counts and populations.
COUNTS = [3, 8, 21, 40, 55]
POPS = [5_000, 6_500, 4_800, 3_100, 1_200]
REF_COUNTS = [1_100, 2_300, 6_900, 15_200, 30_100]
REF_POPS = [2_000_000, 2_600_000, 1_900_000, 1_200_000, 600_000]


def approx(x: float) -> object:
    return pytest.approx(x, rel=REL, abs=1e-12)


def test_worked_example_by_hand():
    # Expected = sum(ref count / ref pop * pop), computed independently here.
    expected = sum(
        c / n * p for c, n, p in zip(REF_COUNTS, REF_POPS, POPS, strict=True)
    )
    assert expected_events(POPS, REF_COUNTS, REF_POPS) == approx(expected)
    observed = sum(COUNTS)  # 127: Byar's method
    result = indirectly_standardised_ratio(
        observed=COUNTS,
        populations=POPS,
        reference_counts=REF_COUNTS,
        reference_populations=REF_POPS,
        refvalue=100,
    )
    assert result.method == BYARS
    assert result.observed == observed and result.expected == approx(expected)
    z95 = stats.norm.ppf(0.975)
    byars_low = observed * (1 - 1 / (9 * observed) - z95 / (3 * observed**0.5)) ** 3
    o1 = observed + 1
    byars_up = o1 * (1 - 1 / (9 * o1) + z95 / (3 * o1**0.5)) ** 3
    ci = result.intervals
    assert ci.value == approx(observed / expected * 100)
    assert ci.lower95 == approx(byars_low / expected * 100)
    assert ci.upper95 == approx(byars_up / expected * 100)
    assert result.reference_rate is None


def test_small_counts_use_exact_limits_including_zero():
    # R: qchisq((1 - 0.998) / 2, 2 * O) / 2 / E, qchisq(0.999, 2 * O + 2) / 2 / E
    for observed in (0, 1, 9):
        result = indirectly_standardised_ratio(
            observed=observed,
            populations=POPS,
            reference_counts=REF_COUNTS,
            reference_populations=REF_POPS,
        )
        e = result.expected
        assert result.method == EXACT
        lower = stats.chi2.ppf(0.001, 2 * observed) / 2 if observed else 0.0
        assert result.intervals.lower998 == approx(lower / e)
        upper = stats.chi2.ppf(0.999, 2 * observed + 2) / 2
        assert result.intervals.upper998 == approx(upper / e)


def test_rate_scales_by_the_crude_reference_rate():
    result = indirectly_standardised_rate(
        observed=COUNTS,
        populations=POPS,
        reference_counts=REF_COUNTS,
        reference_populations=REF_POPS,
        multiplier=100_000,
    )
    reference_rate = sum(REF_COUNTS) / sum(REF_POPS) * 100_000
    ratio = indirectly_standardised_ratio(
        observed=COUNTS,
        populations=POPS,
        reference_counts=REF_COUNTS,
        reference_populations=REF_POPS,
    )
    assert result.reference_rate == approx(reference_rate)
    assert result.value == approx(ratio.value * reference_rate)
    assert result.intervals.upper998 == approx(
        ratio.intervals.upper998 * reference_rate
    )


def test_missing_values_count_as_zero_and_totals_are_accepted():
    # calculate_ISRatio: na.zero on reference counts and local populations,
    # sum(x, na.rm = TRUE) on local counts; or observed totals on their own.
    with_gaps = indirectly_standardised_ratio(
        observed=[3, None, 21, 40, 55],
        populations=[5_000, 6_500, None, 3_100, 1_200],
        reference_counts=[1_100, None, 6_900, 15_200, 30_100],
        reference_populations=REF_POPS,
    )
    total = indirectly_standardised_ratio(
        observed=119,
        populations=[5_000, 6_500, 0, 3_100, 1_200],
        reference_counts=[1_100, 0, 6_900, 15_200, 30_100],
        reference_populations=REF_POPS,
    )
    assert with_gaps.observed == 119
    assert with_gaps.intervals == total.intervals


@st.composite
def isr_inputs(draw):
    bands = draw(st.integers(1, 19))
    counts = draw(st.lists(st.integers(0, 300), min_size=bands, max_size=bands))
    pops = draw(st.lists(st.integers(100, 50_000), min_size=bands, max_size=bands))
    ref_counts = draw(st.lists(st.integers(1, 50_000), min_size=bands, max_size=bands))
    ref_pops = draw(
        st.lists(st.integers(100_000, 5_000_000), min_size=bands, max_size=bands)
    )
    return counts, pops, ref_counts, ref_pops


def _frame(counts, pops, ref_counts, ref_pops):
    return pd.DataFrame(
        {"x": counts, "n": pops, "xr": ref_counts, "nr": ref_pops, "g": 1}
    )


@settings(PROFILE, max_examples=40)
@given(data=isr_inputs(), refvalue=st.sampled_from([1, 100]))
def test_ratio_matches_phstatsmethods(data, refvalue):
    counts, pops, ref_counts, ref_pops = data
    if sum(counts) == 0:
        counts = [*counts[:-1], 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = ph_ISRatio(
            _frame(counts, pops, ref_counts, ref_pops),
            "x",
            "n",
            "xr",
            "nr",
            group_cols="g",
            confidence=[0.95, 0.998],
            refvalue=refvalue,
            metadata=False,
        ).iloc[0]
    ours = indirectly_standardised_ratio(
        observed=counts,
        populations=pops,
        reference_counts=ref_counts,
        reference_populations=ref_pops,
        refvalue=refvalue,
    )
    ci = ours.intervals
    assert ours.expected == approx(reference["Expected"])
    assert ci.value == approx(reference["Value"])
    assert ci.lower95 == approx(reference["lower_95_ci"])
    assert ci.upper95 == approx(reference["upper_95_ci"])
    assert ci.lower998 == approx(reference["lower_99_8_ci"])
    assert ci.upper998 == approx(reference["upper_99_8_ci"])
    assert ci.lower998 <= ci.lower95 <= ci.value <= ci.upper95 <= ci.upper998


@settings(PROFILE, max_examples=25)
@given(data=isr_inputs())
def test_rate_matches_phstatsmethods(data):
    counts, pops, ref_counts, ref_pops = data
    if sum(counts) == 0:
        counts = [*counts[:-1], 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = ph_ISRate(
            _frame(counts, pops, ref_counts, ref_pops),
            "x",
            "n",
            "xr",
            "nr",
            group_cols="g",
            confidence=[0.95, 0.998],
            metadata=False,
        ).iloc[0]
    ours = indirectly_standardised_rate(
        observed=counts,
        populations=pops,
        reference_counts=ref_counts,
        reference_populations=ref_pops,
    )
    ci = ours.intervals
    assert ci.value == approx(reference["Value"])
    assert ci.lower95 == approx(reference["lower_95_ci"])
    assert ci.upper998 == approx(reference["upper_99_8_ci"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"observed": -1}, "zero or more"),
        ({"observed": [1, 2]}, "differ in length"),
        ({"reference_populations": [0, 1, 1, 1, 1]}, "greater than zero"),
        ({"reference_counts": [0, 0, 0, 0, 0]}, "expected events"),
        ({"populations": [1, 2]}, "differ in length"),
        ({"refvalue": 0}, "refvalue"),
    ],
)
def test_invalid_inputs_raise(kwargs, message):
    arguments = {
        "observed": COUNTS,
        "populations": POPS,
        "reference_counts": REF_COUNTS,
        "reference_populations": REF_POPS,
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        indirectly_standardised_ratio(**arguments)
