"""Fingertips recent trend over the latest five data points.

Method (OHID Fingertips "recent trends" technical guidance): take the five most
recent consecutive points and test for a linear trend at the 99.8% level,
i.e. chi-squared (1 df) > 9.54953570608324 = qchisq(0.998, 1).

* Proportions with counts and denominators: chi-squared test for trend in
  proportions (Armitage; Altman, *Practical Statistics for Medical Research*,
  10.7.4): b = (sum r t - R tbar) / Sxx, chi-squared = b^2 Sxx / (p(1 - p)),
  with Sxx = sum n t^2 - N tbar^2 and p = R / N the pooled proportion.
* Everything else: weighted linear regression of value on time with
  SE = (U95 - L95) / 3.92 and weights w = 1 / SE^2; slope b and
  chi-squared = b^2 (sum w sum w t^2 - (sum w t)^2) / sum w.

Both are weighted least squares (the proportion test uses weights
n / (p(1 - p))), so one helper fits both. As a robustness rule the trend is
only called significant when the slope keeps its sign in each of the five
leave-one-out fits on four points. Time is scored 0..4 in sort order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from indicators.statistics.formatting import format_value
from indicators.statistics.types import Polarity, TrendLabel, ValueType

TREND_CHI_SQUARED_THRESHOLD = 9.54953570608324
TREND_POINTS = 5
SE_DIVISOR = 3.92


@dataclass(frozen=True)
class TrendPoint:
    """One period of an indicator.

    ``sort_key`` orders the periods (e.g. 2019, or "2019/20"); ``count`` and
    ``denominator`` are only used for proportions.
    """

    sort_key: Any
    value: float | None
    lower95: float | None
    upper95: float | None
    count: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class TrendResult:
    """Outcome of :func:`recent_trend`.

    ``slope`` is per period, in value units (proportion units 0-1 for the
    chi-squared test for trend); ``points_used`` lists the sort keys used.
    """

    label: TrendLabel
    slope: float | None
    chi_squared: float | None
    points_used: tuple[Any, ...]
    explanation: str


def _weighted_fit(
    ts: Sequence[float], ys: Sequence[float], ws: Sequence[float]
) -> tuple[float, float]:
    """Weighted least-squares slope b and chi-squared b^2 * D / sum w."""
    sw = math.fsum(ws)
    swt = math.fsum(w * t for w, t in zip(ws, ts, strict=True))
    swt2 = math.fsum(w * t * t for w, t in zip(ws, ts, strict=True))
    swy = math.fsum(w * y for w, y in zip(ws, ys, strict=True))
    swty = math.fsum(w * t * y for w, t, y in zip(ws, ts, ys, strict=True))
    d = sw * swt2 - swt * swt
    slope = (sw * swty - swt * swy) / d
    return slope, slope * slope * d / sw


def _label(slope: float, polarity: Polarity) -> TrendLabel:
    increasing = slope > 0
    if polarity is Polarity.NO_JUDGEMENT:
        return TrendLabel.INCREASING if increasing else TrendLabel.DECREASING
    better = increasing == (polarity is Polarity.HIGH_IS_GOOD)
    if increasing:
        return TrendLabel.INCREASING_BETTER if better else TrendLabel.INCREASING_WORSE
    return TrendLabel.DECREASING_BETTER if better else TrendLabel.DECREASING_WORSE


def _cannot(reason: str, keys: tuple[Any, ...] = ()) -> TrendResult:
    return TrendResult(
        TrendLabel.CANNOT_BE_CALCULATED,
        None,
        None,
        keys,
        f"Trend cannot be calculated: {reason}.",
    )


def _all_present(xs: Sequence[float | None]) -> bool:
    return all(x is not None and math.isfinite(x) for x in xs)


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def recent_trend(
    points: Sequence[TrendPoint],
    *,
    polarity: Polarity | str,
    value_type: ValueType | str = ValueType.OTHER,
    check_gaps: bool = True,
) -> TrendResult:
    """Fingertips recent trend of the latest five consecutive points.

    Fingertips recent-trend method (see module docstring): chi-squared test for
    trend in proportions when ``value_type`` is "proportion" and all five
    points have ``count`` and ``denominator``; otherwise weighted linear
    regression using the 95% limits. Significant when chi-squared >
    9.54953570608324 (99.8%) and every leave-one-out slope has the same sign.

    Points without a value are ignored; the rest are sorted by ``sort_key``
    and the latest five are used. Consecutiveness: with ``check_gaps`` and
    integer sort keys (e.g. years) the five keys must step by exactly 1;
    other keys (e.g. "2019/20") cannot be checked, so the caller must pass
    only consecutive periods. Fewer than five usable points, a gap, or a
    missing/zero-width interval gives "Cannot be calculated".
    """
    polarity = Polarity(polarity)
    kind = ValueType(value_type)
    usable = sorted(
        (p for p in points if p.value is not None and math.isfinite(p.value)),
        key=lambda p: p.sort_key,
    )
    if len(usable) < TREND_POINTS:
        return _cannot(
            f"{len(usable)} data point(s) with values; {TREND_POINTS} are needed"
        )
    latest = usable[-TREND_POINTS:]
    keys = tuple(p.sort_key for p in latest)
    integer_keys = all(_is_int(k) for k in keys)
    if check_gaps and integer_keys and any(b - a != 1 for a, b in pairwise(keys)):
        return _cannot(f"the latest five periods {keys} are not consecutive", keys)
    ts = [float(i) for i in range(TREND_POINTS)]
    span = f"{keys[0]} to {keys[-1]}"

    counts = [p.count for p in latest]
    denoms = [p.denominator for p in latest]
    lowers = [p.lower95 for p in latest]
    uppers = [p.upper95 for p in latest]
    ys = [float(p.value) for p in latest if p.value is not None]
    if kind is ValueType.PROPORTION and _all_present(counts) and _all_present(denoms):
        ns = [float(n) for n in denoms if n is not None]
        rs = [float(r) for r in counts if r is not None]
        if any(not n > 0 for n in ns):
            return _cannot("a denominator is zero or negative", keys)
        pooled = math.fsum(rs) / math.fsum(ns)
        if not 0 < pooled < 1:
            return _cannot(
                "the pooled proportion is 0 or 1, so it has no variance", keys
            )
        ys = [r / n for r, n in zip(rs, ns, strict=True)]
        ws = [n / (pooled * (1 - pooled)) for n in ns]
        method = "chi-squared test for trend in proportions"
        unit = " (proportion per period)"
    else:
        if not (_all_present(lowers) and _all_present(uppers)):
            return _cannot("a 95% confidence interval is missing", keys)
        ses = [
            (float(u) - float(lo)) / SE_DIVISOR
            for lo, u in zip(lowers, uppers, strict=True)
            if lo is not None and u is not None
        ]
        if any(not (se > 0 and math.isfinite(se)) for se in ses):
            return _cannot("a 95% confidence interval has zero or negative width", keys)
        ws = [1.0 / (se * se) for se in ses]
        method = "weighted linear regression"
        unit = " per period"

    slope, chi_squared = _weighted_fit(ts, ys, ws)
    threshold = format_value(TREND_CHI_SQUARED_THRESHOLD, 2)
    stats = (
        f"Latest five points ({span}), {method}: slope {slope:.4g}{unit}, "
        f"chi-squared {chi_squared:.2f}"
    )
    if not chi_squared > TREND_CHI_SQUARED_THRESHOLD or slope == 0:
        return TrendResult(
            TrendLabel.NO_SIGNIFICANT_CHANGE,
            slope,
            chi_squared,
            keys,
            f"{stats} does not exceed {threshold} (99.8% level) "
            f"→ {TrendLabel.NO_SIGNIFICANT_CHANGE}.",
        )
    for i in range(TREND_POINTS):
        keep = [j for j in range(TREND_POINTS) if j != i]
        loo_slope, _ = _weighted_fit(
            [ts[j] for j in keep], [ys[j] for j in keep], [ws[j] for j in keep]
        )
        if not loo_slope * slope > 0:
            return TrendResult(
                TrendLabel.NO_SIGNIFICANT_CHANGE,
                slope,
                chi_squared,
                keys,
                f"{stats} exceeds {threshold}, but leaving out {keys[i]} changes "
                f"the direction of the slope, so the trend is not robust "
                f"→ {TrendLabel.NO_SIGNIFICANT_CHANGE}.",
            )
    label = _label(slope, polarity)
    return TrendResult(
        label,
        slope,
        chi_squared,
        keys,
        f"{stats} exceeds {threshold} (99.8% level) and the slope keeps its "
        f"direction when any one point is left out → {label}.",
    )
