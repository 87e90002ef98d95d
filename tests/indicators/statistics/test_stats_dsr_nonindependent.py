"""DSRs for non-independent events, and Byar's lower limit reported as missing.

References, ukhsa-collaboration/PHEindicatormethods (R):

* calculate_dsr(independent_events = FALSE), R/DSR.R (dsr_inner and
  calculate_dsr, the version adding non-independent events; its example and
  the DSR vignette build person counts by event frequency as
  f3 = floor(0.1 obs / 3), f2 = floor(0.2 obs / 2), f1 = obs - 3 f3 - 2 f2 and
  note that the DSR is unchanged while the limits widen);
* byars_lower, R/utils.R @ 1fffcf5eeb6a3dc5f1874d997d708fa887353c61:
  ``byars_lower[byars_lower < 0] <- NA``.

The reference's expected values for non-independent events live in an xlsx
sheet (tests/testthat/testdata_DSR_ISR_SMR.xlsx) this suite cannot read, so
the method is checked against an independent transcription of the R code
below (pandas group-bys, scipy's normal quantile) and against PHStatsMethods
0.1.16 ph_dsr where every person has one event (then the methods coincide).
"""

import math
import warnings

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PHStatsMethods import byars_lower as ph_byars_lower
from PHStatsMethods import ph_dsr
from scipy import stats

from indicators.statistics.confidence import (
    Z95,
    Z998,
    byars_lower,
    byars_rate,
    byars_upper,
    dobson_dsr,
    dsr_non_independent,
    dsr_value,
)

PROFILE = settings.get_profile("indicator-statistics")
REL = 1e-9

#: European Standard Population 2013, 19 bands (PHEindicatormethods esp2013).
ESP2013 = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000]
ESP2013 += [6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000]
OBS = [12, 3, 5, 7, 10, 14, 20, 25, 31, 40, 55, 70, 96, 120, 150, 170, 160, 120, 90]
POPS = [
    5200, 5600, 5900, 6100, 6300, 6000, 6200, 6400, 6500, 6700,
    6600, 6300, 5900, 5400, 4800, 3900, 2700, 1600, 900,
]  # fmt: skip


def approx(x: float) -> object:
    return pytest.approx(x, rel=REL, abs=1e-12)


def vignette_person_frequencies(obs: list[int]) -> dict[int, list[int]]:
    """The R example's split of events into people with 1, 2 or 3 events."""
    f3 = [math.floor(x * 0.1 / 3) for x in obs]
    f2 = [math.floor(x * 0.2 / 2) for x in obs]
    f1 = [x - 3 * a - 2 * b for x, a, b in zip(obs, f3, f2, strict=True)]
    return {1: f1, 2: f2, 3: f3}


def r_transcription(persons, pops, std, *, multiplier=100_000):
    """calculate_dsr(independent_events = FALSE), step by step as in R/DSR.R."""
    rows = [
        {"freq": f, "band": i, "x": x, "n": pops[i], "stdpop": std[i]}
        for f, people in persons.items()
        for i, x in enumerate(people)
    ]
    data = pd.DataFrame(rows)
    # first pass of dsr_inner per event frequency: vardsr, then * freq^2, summed
    data["sq_rate"] = data["x"] * (data["stdpop"] / data["n"]) ** 2
    by_freq = data.groupby("freq").agg(sq=("sq_rate", "sum"), std=("stdpop", "sum"))
    custom_vardsr = float(
        (by_freq["sq"] / by_freq["std"] ** 2 * by_freq.index.to_series() ** 2).sum()
    )
    # events per age band, then the second pass with the custom variance
    data["events"] = data["freq"] * data["x"]
    bands = data.groupby(["band", "n", "stdpop"], as_index=False)["events"].sum()
    total = float(bands["events"].sum())
    value = float(
        (bands["events"] * bands["stdpop"] / bands["n"]).sum()
        / bands["stdpop"].sum()
        * multiplier
    )
    limits = []
    for confidence in (0.95, 0.998):
        z = stats.norm.ppf(confidence + (1 - confidence) / 2)
        low = total * (1 - 1 / (9 * total) - z / (3 * math.sqrt(total))) ** 3
        t1 = total + 1
        up = t1 * (1 - 1 / (9 * t1) + z / (3 * math.sqrt(t1))) ** 3
        scale = math.sqrt(custom_vardsr / total) * multiplier
        limits += [value + scale * (low - total), value + scale * (up - total)]
    return value, limits


def test_vignette_split_matches_the_r_transcription():
    persons = vignette_person_frequencies(OBS)
    ci = dsr_non_independent(persons, POPS, ESP2013)
    value, (low95, up95, low998, up998) = r_transcription(persons, POPS, ESP2013)
    assert ci.value == approx(value)
    assert ci.lower95 == approx(low95)
    assert ci.upper95 == approx(up95)
    assert ci.lower998 == approx(low998)
    assert ci.upper998 == approx(up998)
    # R's note: the DSR is that of the events; the limits are wider.
    assert ci.value == approx(dsr_value(OBS, POPS, ESP2013))
    independent = dobson_dsr(OBS, POPS, ESP2013, z=Z95)
    assert ci.lower95 < independent.lower < independent.upper < ci.upper95


def test_one_event_per_person_is_the_independent_dsr():
    ci = dsr_non_independent({1: OBS}, POPS, ESP2013, multiplier=10_000)
    df = pd.DataFrame({"x": OBS, "n": POPS, "std": ESP2013})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = ph_dsr(
            df,
            "x",
            "n",
            "std",
            euro_standard_pops=False,
            metadata=False,
            confidence=[0.95, 0.998],
            multiplier=10_000,
        ).iloc[0]
    assert ci.value == approx(reference["Value"])
    assert ci.lower95 == approx(reference["lower_95_ci"])
    assert ci.upper95 == approx(reference["upper_95_ci"])
    assert ci.lower998 == approx(reference["lower_99_8_ci"])
    assert ci.upper998 == approx(reference["upper_99_8_ci"])


@st.composite
def frequency_inputs(draw):
    bands = draw(st.integers(1, 19))
    frequencies = draw(st.lists(st.integers(1, 6), min_size=1, max_size=4, unique=True))
    persons = {
        f: draw(st.lists(st.integers(0, 80), min_size=bands, max_size=bands))
        for f in frequencies
    }
    pops = draw(st.lists(st.integers(50, 80_000), min_size=bands, max_size=bands))
    std = draw(st.lists(st.integers(100, 8_000), min_size=bands, max_size=bands))
    return persons, pops, std


@settings(PROFILE, max_examples=60)
@given(data=frequency_inputs())
def test_matches_the_r_transcription(data):
    persons, pops, std = data
    events = sum(f * sum(people) for f, people in persons.items())
    assume(events >= 10)
    ci = dsr_non_independent(persons, pops, std)
    value, (low95, up95, low998, up998) = r_transcription(persons, pops, std)
    for ours, theirs in (
        (ci.value, value),
        (ci.lower95, low95),
        (ci.upper95, up95),
        (ci.lower998, low998),
        (ci.upper998, up998),
    ):
        assert ours == pytest.approx(theirs, rel=REL, abs=1e-9)
    assert ci.lower998 < ci.lower95 < ci.value < ci.upper95 < ci.upper998


def test_missing_person_counts_are_zero():
    gappy = {1: [None, *OBS[1:]], 2: [0] * len(OBS)}
    ci = dsr_non_independent(gappy, POPS, ESP2013)
    assert ci == dsr_non_independent({1: [0, *OBS[1:]]}, POPS, ESP2013)


@pytest.mark.parametrize(
    ("persons", "message"),
    [
        ({1: [3, 2] + [0] * 17}, "below 10"),
        ({}, "event frequencies"),
        ({0: OBS}, "positive"),
        ({1: OBS[:3]}, "length"),
        ({1: [-1, *OBS[1:]]}, "zero or more"),
    ],
)
def test_invalid_inputs_raise(persons, message):
    with pytest.raises(ValueError, match=message):
        dsr_non_independent(persons, POPS, ESP2013)


# --- Byar's lower limit: missing, not 0, when the formula goes negative ------------


def test_byars_lower_is_missing_when_the_formula_is_negative():
    # 1 * (1 - 1/9 - qnorm(0.999)/3)^3 < 0: R returns NA.
    assert 1 - 1 / 9 - 3.090232306167813 / 3 < 0
    assert byars_lower(1, z=Z998) is None
    assert byars_lower(0, z=Z95) is None  # R: 0 * (-Inf) = NaN
    assert byars_lower(1, z=Z95) == approx((1 - 1 / 9 - 1.959963984540054 / 3) ** 3)
    assert byars_upper(1, z=Z998) > 0


def test_byars_rate_no_longer_reports_zero_for_a_missing_lower_limit():
    # Before: byars_rate clamped the negative formula to a lower limit of 0.
    with pytest.raises(ValueError, match="missing"):
        byars_rate(1, 1000, z=Z998, multiplier=1000)


@settings(PROFILE)
@given(count=st.floats(0, 1_000), z=st.sampled_from([Z95, Z998]))
def test_byars_lower_is_none_exactly_where_negative(count, z):
    lower = byars_lower(count, z=z)
    precise = stats.norm.ppf(0.975 if z == Z95 else 0.999)
    if count == 0:
        assert lower is None
        return
    base = 1 - 1 / (9 * count) - float(precise) / (3 * math.sqrt(count))
    if base < -1e-12:
        assert lower is None
    elif base > 1e-12:
        assert lower == pytest.approx(count * base**3, rel=1e-12)
        assert lower < count < byars_upper(count, z=z)


@settings(PROFILE)
@given(count=st.integers(10, 100_000), z=st.sampled_from([Z95, Z998]))
def test_byars_lower_matches_phstatsmethods(count, z):
    confidence = 0.95 if z == Z95 else 0.998
    assert byars_lower(count, z=z) == approx(ph_byars_lower(count, confidence))
