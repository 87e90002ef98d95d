"""Pure-Python distribution functions needed by the confidence-interval methods.

Only what the Fingertips / PHEindicatormethods methods need is implemented:

* the standard normal upper tail (via :func:`math.erfc`), to turn a z value into
  the matching two-sided significance level;
* the regularised incomplete gamma functions P(a, x) and Q(a, x)
  (series and continued fraction, Numerical Recipes 3rd edn, section 6.2);
* the gamma and chi-squared inverse CDFs, solved by safeguarded Newton
  iteration to a relative tolerance of 1e-12.

These replace ``scipy.stats.chi2.ppf`` so that the runtime needs no scipy.
"""

from __future__ import annotations

import math

_EPS = 1e-16
_MAX_ITER = 10_000
_REL_TOL = 1e-12
_TINY = 1e-300


def normal_upper_tail(z: float) -> float:
    """Return P(Z > z) for a standard normal Z, computed as erfc(z / sqrt 2) / 2."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _log_gamma_prefactor(a: float, x: float) -> float:
    """log of x**a * exp(-x) / Gamma(a)."""
    return a * math.log(x) - x - math.lgamma(a)


def _p_series(a: float, x: float) -> float:
    """Regularised lower incomplete gamma P(a, x) by its power series."""
    term = 1.0 / a
    total = term
    n = a
    for _ in range(_MAX_ITER):
        n += 1.0
        term *= x / n
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(_log_gamma_prefactor(a, x))


def _q_continued_fraction(a: float, x: float) -> float:
    """Regularised upper incomplete gamma Q(a, x) by Lentz's continued fraction."""
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        if abs(d) < _TINY:
            d = _TINY
        c = b + an / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return math.exp(_log_gamma_prefactor(a, x)) * h


def gamma_p(a: float, x: float) -> float:
    """Regularised lower incomplete gamma function P(a, x) for a > 0, x >= 0."""
    if a <= 0:
        raise ValueError("gamma_p needs a > 0")
    if x <= 0:
        return 0.0
    if x < a + 1.0:
        return _p_series(a, x)
    return 1.0 - _q_continued_fraction(a, x)


def gamma_q(a: float, x: float) -> float:
    """Regularised upper incomplete gamma function Q(a, x) = 1 - P(a, x)."""
    if a <= 0:
        raise ValueError("gamma_q needs a > 0")
    if x <= 0:
        return 1.0
    if x < a + 1.0:
        return 1.0 - _p_series(a, x)
    return _q_continued_fraction(a, x)


def _gamma_density(a: float, x: float) -> float:
    """Gamma(a, 1) density; +inf when it would overflow (tiny x, a < 1)."""
    log_density = (a - 1.0) * math.log(x) - x - math.lgamma(a)
    return math.exp(log_density) if log_density < 700.0 else math.inf


def gamma_ppf(p: float, a: float) -> float:
    """Inverse CDF of the Gamma(shape=a, scale=1) distribution.

    Solves P(a, x) = p (or Q(a, x) = 1 - p in the upper half, for accuracy in
    the upper tail) by Newton's method safeguarded with bisection, to a
    relative tolerance of 1e-12.
    """
    if a <= 0:
        raise ValueError("gamma_ppf needs shape a > 0")
    if not 0.0 <= p <= 1.0:
        raise ValueError("gamma_ppf needs 0 <= p <= 1")
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return math.inf
    upper_half = p > 0.5
    target = 1.0 - p if upper_half else p

    def f(x: float) -> float:
        # Increasing in x in both branches.
        return target - gamma_q(a, x) if upper_half else gamma_p(a, x) - target

    # Wilson-Hilferty starting value, then bracket the root.
    z = _normal_quantile_rough(p)
    x = a * (1.0 - 1.0 / (9.0 * a) + z / (3.0 * math.sqrt(a))) ** 3
    if not x > 0:
        x = max(_TINY, (p * math.exp(math.lgamma(a + 1.0))) ** (1.0 / a))
    lo, hi = 0.0, x
    while f(hi) < 0:
        lo, hi = hi, hi * 2.0 + 1.0
    for _ in range(_MAX_ITER):
        if x <= 0.0:  # quantile underflows double precision
            return 0.0
        fx = f(x)
        if fx == 0.0:
            return x
        if fx < 0:
            lo = x
        else:
            hi = x
        density = _gamma_density(a, x)
        step_ok = density > 0 and math.isfinite(density)
        new_x = x - fx / density if step_ok else (lo + hi) / 2.0
        if not lo < new_x < hi:
            new_x = (lo + hi) / 2.0
        if abs(new_x - x) <= _REL_TOL * abs(new_x) or hi - lo <= _REL_TOL * hi:
            return new_x
        x = new_x
    return x


def chi2_ppf(p: float, df: float) -> float:
    """Inverse CDF of the chi-squared distribution (as ``scipy.stats.chi2.ppf``).

    Uses chi2(df) = 2 * Gamma(shape=df/2); df = 0 is the point mass at zero,
    matching R ``qchisq(p, 0)`` and scipy for the exact Poisson lower limit
    of a zero count.
    """
    if df < 0:
        raise ValueError("chi2_ppf needs df >= 0")
    if df == 0:
        return 0.0
    return 2.0 * gamma_ppf(p, df / 2.0)


def _normal_quantile_rough(p: float) -> float:
    """Approximate standard normal quantile (only used as a starting value).

    Abramowitz & Stegun 26.2.23, absolute error below 4.5e-4.
    """
    q = min(p, 1.0 - p)
    t = math.sqrt(-2.0 * math.log(q))
    num = 2.515517 + 0.802853 * t + 0.010328 * t * t
    den = 1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t**3
    z = t - num / den
    return z if p > 0.5 else -z
