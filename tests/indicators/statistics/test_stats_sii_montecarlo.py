"""SII/RII with simulated (Monte Carlo) limits, as PHEindicatormethods phe_sii.

References: ukhsa-collaboration/PHEindicatormethods ``R/SII_function.R`` (commit
ca92cb304ad3063f9789edf586df431f31a6c913) and ``SimulationFunc`` in
``R/utils.R`` (commit 1fffcf5eeb6a3dc5f1874d997d708fa887353c61); test approach
from ``tests/testthat/testSII.R`` (commit 0d41bfc6d45d88924dcd103cba9e46bf5435e45e:
SII exact, limits within a tolerance, same seed same limits). The data are the
phe_sii documentation example (Area1 and Area2: deciles, populations, values,
95 % limits and standard errors), also in DataS-DHSC/PHStatsMethods
``ph_statistical_methods/SII.py`` (commit 3131eb7e5755f48a58bbbeed913ae0e908234ebb).
The R test's expected limits (``SII_test_grouped`` in ``R/sysdata.rda``, from
``testdata_SII.xlsx``) are binary and could not be read here, so the limits are
checked against (1) the exact normal distribution of the SII when values are
not transformed and (2) an independent NumPy implementation of
``SimulationFunc`` with many more draws when they are.
"""

import math

import numpy as np
import pytest

from indicators.statistics.inequality import (
    Group,
    SiiValueType,
    slope_index_of_inequality,
    slope_index_of_inequality_simulated,
)

POPS = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
VALUES = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3]
LOWER = [72.7, 75.3, 80.9, 80.2, 77.1, 78, 79, 81.4, 75.8, 83.2]
UPPER = [79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4]
SE = [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57]
Z975 = 1.959963984540054
Z999 = 3.090232306167813
REPS = 10_000


def groups(scale=1.0, se=True, limits=True):
    return [
        Group(
            f"Decile {i}",
            v / scale,
            population=p,
            rank=i,
            lower95=lo / scale if limits else None,
            upper95=up / scale if limits else None,
            se=s if se else None,
        )
        for i, (v, p, lo, up, s) in enumerate(
            zip(VALUES, POPS, LOWER, UPPER, SE, strict=True), start=1
        )
    ]


def slope_weights():
    a = np.asarray(POPS, float) / sum(POPS)
    b = np.cumsum(a) - a / 2
    mean_b = (a * b).sum()
    return a * (b - mean_b) / (a * (b - mean_b) ** 2).sum()


def r_simulation(values, ses, value_type, reps, confidences):
    """phe_sii's SimulationFunc in NumPy (its own RNG): lm by solve(m m') m."""
    rng = np.random.default_rng(2024)
    a = np.asarray(POPS, float) / sum(POPS)
    b = np.cumsum(a) - a / 2
    sqrt_a = np.sqrt(a)
    m = np.vstack([sqrt_a, b * sqrt_a])
    invm_m = np.linalg.solve(m @ m.T, m)
    y = rng.normal(np.asarray(values)[:, None], np.asarray(ses)[:, None], (10, reps))
    y = np.exp(y) if value_type == "rate" else np.exp(y) / (1 + np.exp(y))
    params = invm_m @ (y * sqrt_a[:, None])
    sii = np.sort(params[1])
    rii = np.sort((params[1] + params[0]) / params[0])
    limits = {}
    for confidence in confidences:
        upper_tail = confidence + (1 - confidence) / 2
        low, high = round(reps * (1 - upper_tail)) - 1, round(reps * upper_tail) - 1
        limits[confidence] = (sii[low], sii[high]), (rii[low], rii[high])
    return limits, sii.std()


@pytest.fixture(scope="module")
def normal():
    return slope_index_of_inequality_simulated(groups(), repetitions=REPS, seed=5)


def test_point_estimates_are_those_of_the_regression(normal):
    point = slope_index_of_inequality(groups())
    assert (normal.sii, normal.intercept, normal.rii) == (
        point.sii,
        point.intercept,
        point.rii,
    )
    assert normal.sii == pytest.approx(7.000235, rel=1e-6)


def test_untransformed_limits_agree_with_the_exact_normal_distribution(normal):
    # Untransformed, the simulated SII is normal: mean SII, SD sqrt(sum w^2 se^2).
    sd = math.sqrt(sum(w * w * s * s for w, s in zip(slope_weights(), SE, strict=True)))
    at95, at998 = normal.at(0.95), normal.at(99.8)
    assert at95.sii_lower == pytest.approx(normal.sii - Z975 * sd, abs=0.12 * sd)
    assert at95.sii_upper == pytest.approx(normal.sii + Z975 * sd, abs=0.12 * sd)
    assert at998.sii_lower == pytest.approx(normal.sii - Z999 * sd, abs=0.4 * sd)
    assert at998.sii_upper == pytest.approx(normal.sii + Z999 * sd, abs=0.4 * sd)
    assert at998.rii_lower < at95.rii_lower < normal.rii < at95.rii_upper
    assert at95.rii_upper < at998.rii_upper
    assert normal.method == f"simulation {REPS} reps (seed 5)"


def test_same_seed_same_limits_and_another_seed_differs(normal):
    again = slope_index_of_inequality_simulated(groups(), repetitions=REPS, seed=5)
    assert again == normal
    other = slope_index_of_inequality_simulated(groups(), repetitions=2000, seed=6)
    assert other.limits != normal.limits
    assert other.at(0.95).sii_lower == pytest.approx(normal.at(0.95).sii_lower, abs=0.3)


def test_standard_error_from_the_95_limits_when_not_given():
    from_limits = slope_index_of_inequality_simulated(
        groups(se=False), repetitions=2000, seed=1
    )
    derived = [
        Group(
            g.label,
            g.value,
            g.population,
            g.rank,
            se=(g.upper95 - g.lower95) / Z975 / 2,
        )
        for g in groups(se=False)
    ]
    assert from_limits == slope_index_of_inequality_simulated(
        derived, repetitions=2000, seed=1
    )


def test_negative_multiplier_swaps_limits_and_inverts_the_rii():
    plus = slope_index_of_inequality_simulated(groups(), repetitions=2000, seed=3)
    minus = slope_index_of_inequality_simulated(
        groups(), repetitions=2000, seed=3, multiplier=-100
    )
    assert minus.sii == pytest.approx(-100 * plus.sii)
    for p, m in zip(plus.limits, minus.limits, strict=True):
        assert (m.sii_lower, m.sii_upper) == pytest.approx(
            (-100 * p.sii_upper, -100 * p.sii_lower)
        )
        assert (m.rii_lower, m.rii_upper) == pytest.approx(
            (1 / p.rii_upper, 1 / p.rii_lower)
        )


def test_no_uncertainty_gives_limits_equal_to_the_estimate():
    certain = [Group(g.label, g.value, g.population, g.rank, se=0.0) for g in groups()]
    result = slope_index_of_inequality_simulated(certain, repetitions=1000)
    for limits in result.limits:
        assert (limits.sii_lower, limits.sii_upper) == pytest.approx((result.sii,) * 2)
        assert (limits.rii_lower, limits.rii_upper) == pytest.approx((result.rii,) * 2)


@pytest.mark.parametrize(
    ("value_type", "scale"), [(SiiValueType.RATE, 1.0), ("proportion", 100.0)]
)
def test_transformed_limits_agree_with_an_independent_simulation(value_type, scale):
    result = slope_index_of_inequality_simulated(
        groups(scale, se=False),
        value_type=value_type,
        transform=True,
        repetitions=REPS,
        seed=11,
    )
    assert result.sii == slope_index_of_inequality(groups(scale)).sii
    forward = (
        np.log if value_type is SiiValueType.RATE else (lambda p: np.log(p / (1 - p)))
    )
    lower = forward(np.asarray(LOWER) / scale)
    upper = forward(np.asarray(UPPER) / scale)
    values = forward(np.asarray(VALUES) / scale)
    limits, sd = r_simulation(
        values, (upper - lower) / Z975 / 2, str(value_type), 200_000, (0.95, 0.998)
    )
    for confidence, tolerance in ((0.95, 0.15), (0.998, 0.4)):
        (s_low, s_high), (r_low, r_high) = limits[confidence]
        ours = result.at(confidence)
        assert ours.sii_lower == pytest.approx(s_low, abs=tolerance * sd)
        assert ours.sii_upper == pytest.approx(s_high, abs=tolerance * sd)
        rii_sd = (r_high - r_low) / (2 * (Z975 if confidence == 0.95 else Z999))
        assert ours.rii_lower == pytest.approx(r_low, abs=tolerance * rii_sd)
        assert ours.rii_upper == pytest.approx(r_high, abs=tolerance * rii_sd)


@pytest.mark.parametrize(
    ("kwargs", "data", "message"),
    [
        ({"transform": True}, groups(), "value_type"),
        ({"transform": True, "value_type": "rate"}, groups(limits=False), "95% limits"),
        ({"transform": True, "value_type": "proportion"}, groups(), "between 0 and 1"),
        ({}, groups(se=False, limits=False), "standard error or its 95% limits"),
        ({"repetitions": 100}, groups(), "too few"),
        ({"repetitions": 0}, groups(), "greater than 0"),
        ({"confidence": (0.4,)}, groups(), "between 50 and 99.99"),
        ({"confidence": ()}, groups(), "At least one"),
        ({}, groups()[:4], "between 5 and 100"),
    ],
)
def test_errors(kwargs, data, message):
    with pytest.raises(ValueError, match=message):
        slope_index_of_inequality_simulated(data, **kwargs)


def test_negative_standard_error_is_rejected():
    bad = [*groups()[:9], Group("Decile 10", 86.3, 7534, 10, se=-1.0)]
    with pytest.raises(ValueError, match="zero or more"):
        slope_index_of_inequality_simulated(bad, repetitions=1000)
