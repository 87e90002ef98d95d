"""The numbers behind a Fingertips spine chart: pure functions, no database.

Method, as OHID's ``fingertipscharts`` package draws Fingertips' area-profile
spine charts (``spine_rescaler`` in ``R/spine_chart_utils.R``):

* the range is taken over **every area of the same area type** as the place
  (e.g. all English counties & UAs) for the latest period, values missing
  ignored;
* its quartiles are R's default ``quantile()``, **type 7**: for probability p
  over n sorted values, h = (n - 1) p and the quantile is
  x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]) (Hyndman & Fan 1996,
  definition 7; Python's ``statistics.quantiles(method="inclusive")``);
* "worst" and "best" are the lowest and highest values, swapped when low is
  good, so that better is always to the right;
* England's value is the centre line: the scale runs from England's value minus
  the larger of its distances to the two ends, to England's value plus it, so
  England sits in the middle and every value fits.

Indicators that make no judgement on direction are drawn high to the right
(``fingertipscharts`` reverses only "Low is good").

:func:`fingertips_spine_stats` gives the statistics Fingertips' own web service
returns for the same chart (``IndicatorStatsCalculator``, fingertips-open): the
minimum, maximum, and the 5th, 25th, 50th, 75th and 95th percentiles by the same
type 7 interpolation rounded to 10 decimal places, the percentiles only when
more than 3 areas have a value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from indicators.statistics.quantiles import fingertips_percentile
from indicators.statistics.types import Polarity


def quantile_type7(values: Iterable[float], p: float) -> float:
    """The ``p`` quantile (0 <= p <= 1) of ``values``, R's ``quantile`` type 7."""
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    h = (len(ordered) - 1) * p
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


@dataclass(frozen=True)
class SpineRange:
    """The England range of one measure, oriented so that better is to the right.

    ``worst``/``best`` are the extreme values; ``q25``/``q75`` the quartiles on
    the worst and best side (the 25th and 75th percentiles when high is good,
    the other way round when low is good); ``scale_low``/``scale_high`` the
    values at the left and right ends of the scale (England in the middle).
    """

    count: int
    worst: float
    q25: float
    median: float
    q75: float
    best: float
    england: float
    scale_low: float
    scale_high: float
    reversed: bool

    def position(self, value: float) -> float:
        """Where ``value`` sits on the scale: 0 at the left end, 1 at the right."""
        span = self.scale_high - self.scale_low
        if span == 0:
            return 0.5
        return (value - self.scale_low) / span


def spine_range(
    values: Iterable[float | None], *, england: float, polarity: Polarity | str
) -> SpineRange | None:
    """The spine of one measure over the areas' ``values`` (see module rules).

    ``None`` when no area has a value. Missing and non-finite values are ignored.
    """
    present = sorted(v for v in values if v is not None and math.isfinite(v))
    if not present:
        return None
    lowest, highest = present[0], present[-1]
    quartiles = {p: quantile_type7(present, p) for p in (0.25, 0.5, 0.75)}
    reverse = Polarity(polarity) is Polarity.LOW_IS_GOOD
    reach = max(abs(england - lowest), abs(highest - england))
    low_end, high_end = england - reach, england + reach
    if reverse:
        return SpineRange(
            count=len(present),
            worst=highest,
            q25=quartiles[0.75],
            median=quartiles[0.5],
            q75=quartiles[0.25],
            best=lowest,
            england=england,
            scale_low=high_end,
            scale_high=low_end,
            reversed=True,
        )
    return SpineRange(
        count=len(present),
        worst=lowest,
        q25=quartiles[0.25],
        median=quartiles[0.5],
        q75=quartiles[0.75],
        best=highest,
        england=england,
        scale_low=low_end,
        scale_high=high_end,
        reversed=False,
    )


@dataclass(frozen=True)
class FingertipsSpineStats:
    """Fingertips' ``IndicatorStatsPercentiles`` for one measure and period.

    The percentiles are None when 3 or fewer values are present (Fingertips then
    returns only the minimum and maximum).
    """

    count: int
    minimum: float
    maximum: float
    p5: float | None = None
    p25: float | None = None
    median: float | None = None
    p75: float | None = None
    p95: float | None = None


def fingertips_spine_stats(
    values: Iterable[float | None],
) -> FingertipsSpineStats | None:
    """Min, max and 5th/25th/50th/75th/95th percentiles, as Fingertips (see module).

    ``None`` when no area has a value. Missing and non-finite values are ignored.
    """
    present = sorted(v for v in values if v is not None and math.isfinite(v))
    if not present:
        return None
    if len(present) <= 3:
        return FingertipsSpineStats(len(present), present[0], present[-1])
    p5, p25, median, p75, p95 = (
        fingertips_percentile(present, f) for f in (0.05, 0.25, 0.5, 0.75, 0.95)
    )
    return FingertipsSpineStats(
        len(present), present[0], present[-1], p5, p25, median, p75, p95
    )
