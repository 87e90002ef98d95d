"""Means with Student's t confidence intervals (95% and 99.8%).

Reproduces PHEindicatormethods (R) ``phe_mean`` (R/Means.R) and PHStatsMethods
``ph_mean``: value = sum / n, limits = value -/+ |qt((1 - level) / 2, n - 1)|
* sd / sqrt(n), with sd the sample standard deviation (n - 1 divisor).

The Student's t quantile is computed here in pure Python (scipy is a test
dependency only): the t upper tail is half a regularised incomplete beta
function, evaluated by its continued fraction (Numerical Recipes 3rd edn,
section 6.4) and inverted by Newton's method safeguarded with bisection.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from indicators.statistics.types import ConfidenceIntervals

_EPS = 1e-16
_TINY = 1e-300
_MAX_ITER = 10_000
_REL_TOL = 1e-14
#: Two-sided confidence levels of the published limits.
LEVELS = (0.95, 0.998)


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_ITER):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def _stirling_tail(z: float) -> float:
    """ln Gamma(z) - [(z - 1/2) ln z - z + ln(2 pi)/2], by Stirling's series."""
    z2 = z * z
    return (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0) / z2) / z2) / z


def _log_beta_reciprocal(a: float, b: float) -> float:
    """ln Gamma(a + b) - ln Gamma(a) - ln Gamma(b).

    With b = 1/2 and a large (many degrees of freedom) the three lgamma
    values are huge and nearly cancel; there Stirling's series for the
    difference ln Gamma(a + 1/2) - ln Gamma(a) keeps full precision.
    """
    if b == 0.5 and a >= 100.0:
        return (
            a * math.log1p(0.5 / a)
            + 0.5 * math.log(a)
            - 0.5
            + _stirling_tail(a + 0.5)
            - _stirling_tail(a)
            - math.lgamma(0.5)
        )
    if a == 0.5 and b >= 100.0:
        return _log_beta_reciprocal(b, a)
    return math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)


def regularised_beta(a: float, b: float, x: float, y: float | None = None) -> float:
    """Regularised incomplete beta function I_x(a, b) for a, b > 0, 0 <= x <= 1.

    ``y`` may give 1 - x exactly when the caller has it (avoids cancellation
    when x is close to 1).
    """
    if not (a > 0 and b > 0):
        raise ValueError("regularised_beta needs a > 0 and b > 0")
    if y is None:
        y = 1.0 - x
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    log_x = math.log(x) if x < 0.5 else math.log1p(-y)
    log_y = math.log(y) if y < 0.5 else math.log1p(-x)
    log_front = _log_beta_reciprocal(a, b) + a * log_x + b * log_y
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, y) / b


def student_t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for Student's t with ``df`` degrees of freedom."""
    if t < 0:
        return 1.0 - student_t_upper_tail(-t, df)
    denominator = df + t * t
    x, y = df / denominator, t * t / denominator
    if y < 0.5:  # small t: 1/2 - P(0 < T < t), computed without cancellation
        return 0.5 - 0.5 * regularised_beta(0.5, df / 2.0, y, x)
    return 0.5 * regularised_beta(df / 2.0, 0.5, x, y)


def _student_t_density(t: float, df: float) -> float:
    log_density = (
        _log_beta_reciprocal(df / 2.0, 0.5)
        + math.lgamma(0.5)
        - 0.5 * math.log(df * math.pi)
        - (df + 1.0) / 2.0 * math.log1p(t * t / df)
    )
    return math.exp(log_density)


def student_t_ppf(p: float, df: float) -> float:
    """Inverse CDF of Student's t distribution (as R ``qt`` / scipy ``t.ppf``).

    Solves P(T > t) = min(p, 1 - p) for t >= 0 by Newton's method with a
    bisection safeguard (relative tolerance 1e-14), then restores the sign.
    Agrees with scipy to 1e-11 relative in the tails for df up to 1e6 and to
    1e-9 up to 1e8 (a mean of more values than that is not a use case here).
    """
    if not (df > 0 and math.isfinite(df)):
        raise ValueError(f"degrees of freedom must be positive, got {df!r}")
    if not 0.0 < p < 1.0:
        raise ValueError("student_t_ppf needs 0 < p < 1")
    if p == 0.5:
        return 0.0
    tail = min(p, 1.0 - p)

    def excess(t: float) -> float:  # decreasing in t
        return student_t_upper_tail(t, df) - tail

    lo, hi = 0.0, 1.0
    while excess(hi) > 0:
        lo, hi = hi, hi * 2.0
    t = (lo + hi) / 2.0
    for _ in range(_MAX_ITER):
        fx = excess(t)
        if fx == 0.0:
            break
        if fx > 0:
            lo = t
        else:
            hi = t
        new_t = t + fx / _student_t_density(t, df)
        if not lo < new_t < hi:
            new_t = (lo + hi) / 2.0
        if abs(new_t - t) <= _REL_TOL * new_t or hi - lo <= _REL_TOL * hi:
            t = new_t
            break
        t = new_t
    return t if p > 0.5 else -t


def _t_multiple(level: float, count: int) -> float:
    """|qt((1 - level) / 2, count - 1)| for a two-sided ``level`` interval."""
    return student_t_ppf(1.0 - (1.0 - level) / 2.0, count - 1)


def mean_ci_from_summary(
    *, mean: float, standard_deviation: float, count: int
) -> ConfidenceIntervals:
    """Mean with 95% and 99.8% Student's t limits, from its summary figures.

    As PHEindicatormethods ``phe_mean`` with ``confidence = c(0.95, 0.998)``:
    mean -/+ |qt((1 - level) / 2, n - 1)| * sd / sqrt(n), where sd is the
    sample standard deviation. Needs at least two values (the reference
    returns NA limits for one).
    """
    if not (math.isfinite(mean) and math.isfinite(standard_deviation)):
        raise ValueError("mean and standard deviation must be finite numbers")
    if standard_deviation < 0:
        raise ValueError("standard deviation must be zero or more")
    if int(count) != count or count < 2:
        raise ValueError("a mean's confidence interval needs at least two values")
    half95, half998 = (
        _t_multiple(level, count) * standard_deviation / math.sqrt(count)
        for level in LEVELS
    )
    return ConfidenceIntervals(
        mean, mean - half95, mean + half95, mean - half998, mean + half998
    )


def mean_ci(values: Sequence[float]) -> ConfidenceIntervals:
    """Mean of ``values`` with 95% and 99.8% Student's t limits (``phe_mean``)."""
    if any(not math.isfinite(v) for v in values):
        raise ValueError("values must be finite numbers")
    if len(values) < 2:
        raise ValueError("a mean's confidence interval needs at least two values")
    return mean_ci_from_summary(
        mean=math.fsum(values) / len(values),
        standard_deviation=statistics.stdev(values),
        count=len(values),
    )
