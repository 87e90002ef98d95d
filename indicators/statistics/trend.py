"""Fingertips recent trend, rule for rule as Fingertips' calculator applies it.

Sources (provenance of every rule below):

* [FT] Fingertips' trend-marker calculator, ``ukhsa-collaboration/fingertips-open``
  at commit 678089724a516138232d273c4c7f511ed3c5a338:
  ``PholioVisualisationWS/Analysis/TrendMarkers/TrendMarkerCalculator.cs`` and
  ``.../TrendMarkers/TrendRequest.cs`` (validation and the run of valid data).
* [FTN] The same calculator as ported by DHSC for FingertipsNext and checked
  there against the labels on the Fingertips website,
  ``dhsc-govuk/FingertipsNext`` at commit 5f00d7653955867e0aadf623b3baf0b2228385ba:
  ``trend-analysis/TrendAnalysisApp/Calculator/Legacy/TrendMarkerCalculator.cs``
  and ``.../Legacy/TrendRequest.cs`` (c18f3c8eb4c838ebee03a49fadb998d66f2bda78).
* [OHID] "Fingertips trend markers", Public health technical guidance,
  https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/Presentation/Trend_markers.html

The rules, in the order Fingertips applies them:

1. **Value type** [FTN ``IsValueTypeValid``]: only proportions, crude rates
   and directly standardised rates are trended; any other type (counts above
   all, but also life expectancy, means, ratios, indices) is "Cannot be
   calculated". (The FT snapshot allows only the first two, its earlier
   ``Analysis/TrendMarkerCalculator.cs`` @ 286a466bfb4b158d748440d7f698f02edb3d9af5
   all three; the website trends a DSR - FingertipsNext's test for indicator
   40501 - and not an indirectly standardised proportion - indicator 41101.
   OHID lists more types; see ADR 0044.)
2. **Single, independent years** [FT ``YearRange != 1``; OHID]: every period
   must be one year (calendar or financial). Rolling pooled periods
   (``2012 - 14``, ``2013 - 15``, ...) overlap and are refused, as are quarters
   and months ("monthly or quarterly data are not tested", OHID).
3. **Five points** [FT ``PointsToUse = 5``, ``GetValidDataList``]: the run of
   valid points back from the latest, stopping at the first point without a
   value, must hold at least five; the latest five are used, oldest first, as
   time t = 1..5. The five must be consecutive periods (OHID: "no breaks in
   the series").
4. **Count equal to denominator** [FT ``IsPossibleDivideByZeroErrors``]: if any
   point of that run (not only the five used) has its count equal to its
   denominator, the trend is "Cannot be calculated".
5. **The test** (chi-squared on 1 df, significant when > 9.54953570608324 =
   qchisq(0.998, 1), [FT ``ChiSquareConfidence``]):

   * proportions with counts and denominators [FT ``IsSignificantForProportions``]:
     the chi-squared test for trend in proportions (Armitage),
     chi2 = N (N sum r t - R sum n t)^2 / (R (N - R) (N sum n t^2 - (sum n t)^2));
   * everything else [FT ``IsSignificant``]: weighted linear regression of the
     value on t with SE = (U95 - L95) / 3.92 and w = 1 / SE^2,
     chi2 = b^2 (sum w sum w t^2 - (sum w t)^2) / sum w.

6. **Direction check on Fingertips' scale** [FT ``NoOutliersCheck`` and
   ``NoOutliersCheckForProportion``]: the slope is fitted six times - on all
   five points and leaving out each point in turn - and the trend is only
   significant when all six have the same sign, a sign being -1 for a negative
   slope and +1 otherwise (so a slope of exactly 0 counts as positive). For
   proportions the six slopes are ordinary (unweighted) least-squares slopes of
   the log-odds ln(r / (n - r)) on t, not of the proportion; for everything
   else they are the weighted regression slopes of rule 5.
7. **Label** [FTN ``CalculateTrend``]: significant with slope > 0 is
   "Increasing", < 0 "Decreasing" (then "... and getting better/worse" by
   polarity, as Fingertips shows it), otherwise "No significant change". The
   slope is the full five-point slope of rule 6 (the log-odds slope for
   proportions).

Where this project deliberately differs from Fingertips (each also in ADR 0044)
------------------------------------------------------------------------------

a. **Proportions are tested by their counts whatever the benchmark method.**
   Fingertips chooses the proportion test only when the indicator's comparator
   method is "SPC for proportions" and the regression otherwise [FT
   ``CalculateTrend``]; the project has no comparator method per indicator, so
   it follows OHID's description ("one [method] for proportions ... and one for
   every other indicator type"). Why: the only rule we can apply to every
   proportion; both methods agree on clear trends.
b. **Proportions without intervals are trended.** Fingertips' proportion test
   never uses the 95% limits but still drops points without them
   [FT ``GetMostRecentData``]; we do not need them, so we do not drop points.
c. **Values without counts use the intervals.** Fingertips treats a point
   without a count or denominator as invalid for every value type
   [FT ``IsDataValid``: its data always carry counts, so a missing count means
   suppression]. Tables the project loads (a council's own) often give
   values with 95% limits and no counts: we run the regression on the limits,
   for proportions too, rather than say "Cannot be calculated".
d. **A point without limits on the regression path is not skipped.** Fingertips
   silently leaves it out and takes an older point instead
   [FT ``GetMostRecentData``]; we answer "Cannot be calculated" (the five
   points would not be consecutive).
e. **Degenerate arithmetic is "Cannot be calculated", not "No significant
   change".** Where Fingertips' arithmetic meets an infinity or 0/0 - a count
   of 0 on the log-odds scale (ln 0), a zero-width interval (1 / 0), no events
   at all (0 / 0) - its NaN comparisons print "No significant change"; no test
   was possible, so we say "Cannot be calculated".
f. **Missing periods break the series.** Fingertips only stops at a period
   that has a row without a value; OHID says there must be no breaks, and we
   also refuse five points with a period missing between them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from indicators.periods import PeriodLabelError, length_in_months, parse_period_label
from indicators.statistics.formatting import format_value
from indicators.statistics.types import Polarity, TrendLabel, ValueType

TREND_CHI_SQUARED_THRESHOLD = 9.54953570608324
TREND_POINTS = 5
SE_DIVISOR = 3.92
#: Rule 1: the value types Fingertips' calculator trends.
TRENDED_VALUE_TYPES = frozenset(
    {ValueType.PROPORTION, ValueType.CRUDE_RATE, ValueType.DSR}
)
_ONE_YEAR_MONTHS = 12


@dataclass(frozen=True)
class TrendPoint:
    """One period of an indicator.

    ``sort_key`` orders the periods (e.g. 2019, or "2019/20"); ``count`` and
    ``denominator`` are used for proportions and for the count-equals-
    denominator rule. ``starts_on``/``ends_on`` say what the period covers (for
    the single-year and overlap rules); without them an integer key is a
    calendar year and a string key is read as a period label
    (:func:`indicators.periods.parse_period_label`); any other key is trusted.
    """

    sort_key: Any
    value: float | None
    lower95: float | None
    upper95: float | None
    count: float | None = None
    denominator: float | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


@dataclass(frozen=True)
class TrendResult:
    """Outcome of :func:`recent_trend`.

    ``slope`` is the five-point slope whose sign gives the direction: per
    period in value units for the regression, in log-odds per period for the
    proportion test. ``points_used`` lists the sort keys used.
    """

    label: TrendLabel
    slope: float | None
    chi_squared: float | None
    points_used: tuple[Any, ...]
    explanation: str


def _cannot(reason: str, keys: tuple[Any, ...] = ()) -> TrendResult:
    return TrendResult(
        TrendLabel.CANNOT_BE_CALCULATED,
        None,
        None,
        keys,
        f"Trend cannot be calculated: {reason}.",
    )


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def _span(point: TrendPoint) -> tuple[dt.date, dt.date] | None:
    """The dates a point's period covers, when they can be known."""
    if point.starts_on is not None and point.ends_on is not None:
        return point.starts_on, point.ends_on
    key = point.sort_key
    if isinstance(key, int) and not isinstance(key, bool) and 1 <= key <= 9999:
        return dt.date(key, 1, 1), dt.date(key, 12, 31)
    if isinstance(key, str):
        try:
            parsed = parse_period_label(key)
        except PeriodLabelError:
            return None
        return parsed.starts_on, parsed.ends_on
    return None


def _period_problem(points: Sequence[TrendPoint], check_gaps: bool) -> str | None:
    """Rule 2 (and rule 3's consecutiveness): why these periods cannot be trended."""
    spans = [_span(p) for p in points]
    known = [(p, s) for p, s in zip(points, spans, strict=True) if s is not None]
    for (a, (_, a_end)), (b, (b_start, _)) in pairwise(known):
        if b_start <= a_end:
            return (
                f"the periods {a.sort_key} and {b.sort_key} overlap; Fingertips "
                "does not calculate recent trends for rolling, pooled periods"
            )
    for point, (start, end) in known:
        months = length_in_months(start, end)
        if months > _ONE_YEAR_MONTHS:
            return (
                f"{point.sort_key} is a pooled period of more than one year; "
                "Fingertips only calculates recent trends for single years"
            )
        if months < _ONE_YEAR_MONTHS:
            return (
                f"{point.sort_key} is shorter than a year; Fingertips does not "
                "calculate recent trends for quarterly or monthly data"
            )
    if check_gaps and len(known) == len(points):
        for (a, (_, a_end)), (b, (b_start, _)) in pairwise(known):
            if b_start != a_end + dt.timedelta(days=1):
                return (
                    f"the latest five periods are not consecutive ({a.sort_key} "
                    f"is followed by {b.sort_key})"
                )
    return None


def _sign(x: float) -> int:
    """Fingertips' sign: ``slope < 0 ? -1 : 1`` (0 and NaN count as positive)."""
    return -1 if x < 0 else 1


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


def _leave_one_out(
    ts: Sequence[float], ys: Sequence[float], ws: Sequence[float]
) -> list[float]:
    """Slopes leaving out each point in turn (rule 6)."""
    n = len(ts)
    return [
        _weighted_fit(
            [ts[j] for j in range(n) if j != i],
            [ys[j] for j in range(n) if j != i],
            [ws[j] for j in range(n) if j != i],
        )[0]
        for i in range(n)
    ]


def _trend_for_test(
    points: Sequence[TrendPoint], kind: ValueType
) -> tuple[str, str, float, float, list[float]] | TrendResult:
    """Rule 5 and the slopes of rule 6: method, unit, slope, chi2, LOO slopes."""
    keys = tuple(p.sort_key for p in points)
    ts = [float(i) for i in range(1, TREND_POINTS + 1)]
    counts = [p.count for p in points]
    denoms = [p.denominator for p in points]
    if kind is ValueType.PROPORTION and all(map(_finite, counts + denoms)):
        rs = [float(r) for r in counts if r is not None]
        ns = [float(n) for n in denoms if n is not None]
        for p, r, n in zip(points, rs, ns, strict=True):
            if not 0 <= r <= n or not n > 0:
                return _cannot(
                    f"{p.sort_key} has count {format_value(r, 0)} out of "
                    f"{format_value(n, 0)}, not a proportion",
                    keys,
                )
            if r == 0:
                # Difference (e): ln 0 on the log-odds scale.
                return _cannot(
                    f"{p.sort_key} has a count of 0, so its log-odds is not "
                    "finite and the direction check cannot be made",
                    keys,
                )
        big_n, big_r = math.fsum(ns), math.fsum(rs)
        snt = math.fsum(n * t for n, t in zip(ns, ts, strict=True))
        snt2 = math.fsum(n * t * t for n, t in zip(ns, ts, strict=True))
        srt = math.fsum(r * t for r, t in zip(rs, ts, strict=True))
        chi_squared = (
            big_n
            * (big_n * srt - big_r * snt) ** 2
            / (big_r * (big_n - big_r) * (big_n * snt2 - snt * snt))
        )
        logits = [math.log(r / (n - r)) for r, n in zip(rs, ns, strict=True)]
        ones = [1.0] * TREND_POINTS
        slope, _ = _weighted_fit(ts, logits, ones)
        return (
            "chi-squared test for trend in proportions",
            " (log-odds per period)",
            slope,
            chi_squared,
            _leave_one_out(ts, logits, ones),
        )
    lowers = [p.lower95 for p in points]
    uppers = [p.upper95 for p in points]
    if not all(map(_finite, lowers + uppers)):
        return _cannot("a 95% confidence interval is missing", keys)
    ses = [
        (float(u) - float(lo)) / SE_DIVISOR
        for lo, u in zip(lowers, uppers, strict=True)
        if lo is not None and u is not None
    ]
    if any(not se > 0 for se in ses):
        # Difference (e): 1 / 0 in Fingertips' weights.
        return _cannot("a 95% confidence interval has zero or negative width", keys)
    ws = [1.0 / (se * se) for se in ses]
    ys = [float(p.value) for p in points if p.value is not None]
    slope, chi_squared = _weighted_fit(ts, ys, ws)
    return (
        "weighted linear regression",
        " per period",
        slope,
        chi_squared,
        _leave_one_out(ts, ys, ws),
    )


def _label(slope: float, polarity: Polarity) -> TrendLabel:
    increasing = slope > 0
    if polarity is Polarity.NO_JUDGEMENT:
        return TrendLabel.INCREASING if increasing else TrendLabel.DECREASING
    better = increasing == (polarity is Polarity.HIGH_IS_GOOD)
    if increasing:
        return TrendLabel.INCREASING_BETTER if better else TrendLabel.INCREASING_WORSE
    return TrendLabel.DECREASING_BETTER if better else TrendLabel.DECREASING_WORSE


def recent_trend(
    points: Sequence[TrendPoint],
    *,
    polarity: Polarity | str,
    value_type: ValueType | str,
    check_gaps: bool = True,
) -> TrendResult:
    """Fingertips recent trend of a series, by the rules in the module docstring.

    ``points`` may be the whole series (any order; they are sorted by
    ``sort_key``): the count-equals-denominator rule looks back over the run
    of points with values, and the latest five are tested. With
    ``check_gaps`` the five periods must follow one another (when their dates
    can be known, see :class:`TrendPoint`); a caller that has checked this
    itself passes ``check_gaps=False``.
    """
    polarity = Polarity(polarity)
    kind = ValueType(value_type)
    ordered = sorted(points, key=lambda p: p.sort_key)
    if kind not in TRENDED_VALUE_TYPES:
        what = "counts" if kind is ValueType.COUNT else "this value type"
        return _cannot(
            "Fingertips calculates recent trends only for proportions, crude "
            f"rates and directly standardised rates, not for {what}"
        )
    latest_keys = tuple(p.sort_key for p in ordered[-TREND_POINTS:])
    problem = _period_problem(ordered[-TREND_POINTS:], check_gaps=False)
    if problem:
        return _cannot(problem, latest_keys)

    run: list[TrendPoint] = []
    for point in reversed(ordered):
        if not _finite(point.value):
            break
        run.append(point)
    run.reverse()
    if not run and ordered:
        return _cannot(f"no value for {ordered[-1].sort_key}", latest_keys)
    if len(run) < TREND_POINTS:
        return _cannot(
            f"{len(run)} data point(s) with values; {TREND_POINTS} are needed",
            tuple(p.sort_key for p in run),
        )
    latest = run[-TREND_POINTS:]
    keys = tuple(p.sort_key for p in latest)
    problem = _period_problem(latest, check_gaps=check_gaps)
    if problem:
        return _cannot(problem, keys)
    for point in run:
        if (
            _finite(point.count)
            and _finite(point.denominator)
            and point.count == point.denominator
        ):
            return _cannot(
                f"in {point.sort_key} the count equals the denominator "
                f"({format_value(point.count, 0)}); Fingertips does not calculate a "
                "recent trend for a series with such a period",
                keys,
            )

    tested = _trend_for_test(latest, kind)
    if isinstance(tested, TrendResult):
        return tested
    method, unit, slope, chi_squared, loo = tested
    threshold = format_value(TREND_CHI_SQUARED_THRESHOLD, 2)
    stats = (
        f"Latest five points ({keys[0]} to {keys[-1]}), {method}: slope "
        f"{slope:.4g}{unit}, chi-squared {chi_squared:.2f}"
    )
    if not chi_squared > TREND_CHI_SQUARED_THRESHOLD:
        return TrendResult(
            TrendLabel.NO_SIGNIFICANT_CHANGE,
            slope,
            chi_squared,
            keys,
            f"{stats} does not exceed {threshold} (99.8% level) "
            f"→ {TrendLabel.NO_SIGNIFICANT_CHANGE}.",
        )
    for key, loo_slope in zip(keys, loo, strict=True):
        if _sign(loo_slope) != _sign(slope):
            return TrendResult(
                TrendLabel.NO_SIGNIFICANT_CHANGE,
                slope,
                chi_squared,
                keys,
                f"{stats} exceeds {threshold}, but leaving out {key} changes "
                f"the direction of the slope, so the trend is not robust "
                f"→ {TrendLabel.NO_SIGNIFICANT_CHANGE}.",
            )
    if slope == 0:
        return TrendResult(
            TrendLabel.NO_SIGNIFICANT_CHANGE,
            slope,
            chi_squared,
            keys,
            f"{stats} exceeds {threshold}, but the slope is 0 "
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
