"""Quantile assignment and Fingertips' quintile comparison: pure functions.

Two different things share the word "quantile":

* :func:`assign_quantiles` puts each area (or small area) into one of n groups
  by rank, as PHEindicatormethods ``phe_quantile`` (R, ``R/Quantiles.R``) and
  PHStatsMethods ``ph_quantile`` (OHID's "Assigning deprivation categories"
  method): rank with ties taking the lowest rank, then
  ``quantile = floor((n_q + 1) - ceiling(((n + 1) - rank) / (n / n_q)))``, with
  0 moved up to 1. ``invert=True`` (the reference's default) gives quantile 1 to
  the highest values. Areas without a value get no quantile; when fewer areas
  have a value than there are quantiles, none gets one (PHStatsMethods, and
  the reference's "too few small areas" warning). :func:`assign_quantiles_within`
  does this separately within each parent area.
* :func:`quintile_comparison` is Fingertips' "quintiles" benchmarking: the
  values of every area of the type are cut at their 20th, 40th, 60th and 80th
  percentiles (Fingertips' percentile: linear interpolation between order
  statistics, R type 7, rounded to 10 decimal places) and an area is in the
  first quintile whose upper bound its value does not exceed, as Fingertips'
  ``QuintilesComparer`` (fingertips-open,
  ``PholioVisualisationWS/Analysis/QuintilesComparer.cs``). The label is by
  polarity, as Fingertips publishes it (FingertipsNext,
  ``GetIndicatorDetailsWithQuintileBenchmarkComparison``): "Worst" to "Best"
  when high is good, "Best" to "Worst" when low is good, and "Lowest" to
  "Highest" without a judgement. Fewer than 5 values: "Not compared".
"""

from __future__ import annotations

import bisect
import enum
import math
from collections.abc import Hashable, Iterable, Sequence

from indicators.statistics.types import Polarity

#: Fingertips needs at least this many values to cut quintiles.
QUINTILE_MINIMUM_VALUES = 5


class QuintileLabel(enum.StrEnum):
    """The label of a Fingertips quintile comparison."""

    BEST = "Best"
    BETTER = "Better"
    MIDDLE = "Middle"
    WORSE = "Worse"
    WORST = "Worst"
    LOWEST = "Lowest"
    LOW = "Low"
    HIGH = "High"
    HIGHEST = "Highest"
    NOT_COMPARED = "Not compared"


#: Labels of quintiles 1 (lowest values) to 5 (highest values), by polarity.
QUINTILE_LABELS: dict[Polarity, tuple[QuintileLabel, ...]] = {
    Polarity.HIGH_IS_GOOD: (
        QuintileLabel.WORST,
        QuintileLabel.WORSE,
        QuintileLabel.MIDDLE,
        QuintileLabel.BETTER,
        QuintileLabel.BEST,
    ),
    Polarity.LOW_IS_GOOD: (
        QuintileLabel.BEST,
        QuintileLabel.BETTER,
        QuintileLabel.MIDDLE,
        QuintileLabel.WORSE,
        QuintileLabel.WORST,
    ),
    Polarity.NO_JUDGEMENT: (
        QuintileLabel.LOWEST,
        QuintileLabel.LOW,
        QuintileLabel.MIDDLE,
        QuintileLabel.HIGH,
        QuintileLabel.HIGHEST,
    ),
}


def _present(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def assign_quantiles(
    values: Sequence[float | None], *, nquantiles: int = 10, invert: bool = True
) -> list[int | None]:
    """The quantile (1..``nquantiles``) of each value, as ``phe_quantile``.

    Returned in the order given; None for a missing value, and for every value
    when fewer than ``nquantiles`` values are present. ``invert=True`` puts the
    highest values in quantile 1 (e.g. deprivation scores: decile 1 = most
    deprived), ``invert=False`` the lowest. Equal values share a quantile.
    """
    if isinstance(nquantiles, bool) or not isinstance(nquantiles, int):
        raise ValueError("nquantiles must be a whole number")
    if nquantiles < 1:
        raise ValueError("nquantiles must be at least 1")
    present = sorted(float(v) for v in values if _present(v))  # type: ignore[arg-type]
    n = len(present)
    if n < nquantiles:
        return [None] * len(values)
    result: list[int | None] = []
    for v in values:
        if not _present(v):
            result.append(None)
            continue
        x = float(v)  # type: ignore[arg-type]
        # Rank with ties.method = "min": 1 + the number of values strictly
        # before x (higher values first when inverted).
        if invert:
            rank = 1 + n - bisect.bisect_right(present, x)
        else:
            rank = 1 + bisect.bisect_left(present, x)
        quantile = math.floor(
            (nquantiles + 1) - math.ceil(((n + 1) - rank) / (n / nquantiles))
        )
        result.append(max(quantile, 1))
    return result


def quantile_invert_for(polarity: Polarity | str) -> bool:
    """``invert`` so that quantile 1 is the worst group, by polarity.

    Low is good: quantile 1 holds the highest (worst) values; high is good: the
    lowest (worst) values. With no judgement quantile 1 holds the lowest values.
    """
    return Polarity(polarity) is Polarity.LOW_IS_GOOD


def assign_quantiles_within(
    rows: Iterable[tuple[Hashable, Hashable, float | None]],
    *,
    nquantiles: int = 10,
    invert: bool = True,
) -> dict[Hashable, int | None]:
    """Quantiles within each parent area: ``rows`` are (parent, key, value).

    Each parent's areas are ranked among themselves (the reference's grouped
    data frame). Returns {key: quantile}; keys must be unique.
    """
    by_parent: dict[Hashable, list[tuple[Hashable, float | None]]] = {}
    for parent, key, value in rows:
        by_parent.setdefault(parent, []).append((key, value))
    result: dict[Hashable, int | None] = {}
    for members in by_parent.values():
        quantiles = assign_quantiles(
            [v for _, v in members], nquantiles=nquantiles, invert=invert
        )
        for (key, _), quantile in zip(members, quantiles, strict=True):
            if key in result:
                raise ValueError(f"Area {key!r} is given more than once")
            result[key] = quantile
    return result


def fingertips_percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Fingertips' percentile of ascending ``sorted_values`` (0 <= fraction <= 1).

    As ``ValueCategoriesCalculator.CalculatePercentile`` (fingertips-open): with
    n = (count - 1) * fraction + 1, the minimum when n = 1, the maximum when
    n = count, otherwise x[k] + (n - k)(x[k+1] - x[k]) for k = floor n (1-based),
    rounded to 10 decimal places, halves away from zero. This is R's type 7.
    """
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must be between 0 and 1")
    count = len(sorted_values)
    if count == 0:
        raise ValueError("no values")
    n = (count - 1) * fraction + 1
    if n == 1:
        return sorted_values[0]
    if n == count:
        return sorted_values[-1]
    k = int(n)
    d = n - k
    percentile = sorted_values[k - 1] + d * (sorted_values[k] - sorted_values[k - 1])
    return _round_half_away(percentile, 10)


def _round_half_away(x: float, places: int) -> float:
    """.NET ``Math.Round(x, places, MidpointRounding.AwayFromZero)``."""
    scale = 10.0**places
    scaled = abs(x) * scale
    rounded = math.floor(scaled + 0.5)
    return math.copysign(rounded / scale, x)


def category_bounds(values: Iterable[float | None], categories: int) -> list[float]:
    """[min, P(1/c), ..., P((c-1)/c), max] of the values, as Fingertips.

    ``GetCategoryBounds`` (fingertips-open): empty when 3 or fewer values are
    present (Fingertips' ``AreEnoughValuesToCalculatePercentiles``).
    """
    present = sorted(float(v) for v in values if _present(v))  # type: ignore[arg-type]
    if len(present) <= 3:
        return []
    step = 1.0 / categories
    return [
        present[0],
        *(fingertips_percentile(present, step * i) for i in range(1, categories)),
        present[-1],
    ]


def fingertips_quintile(
    value: float | None, values: Iterable[float | None]
) -> int | None:
    """Which quintile (1 = lowest values .. 5) ``value`` falls in among ``values``.

    As ``QuintilesComparer.GetCategory``: the first quintile whose upper bound
    is at least the value; None when the value is missing or fewer than 5
    values are present. ``values`` should include the area's own value.
    """
    present = [v for v in values if _present(v)]
    if not _present(value) or len(present) < QUINTILE_MINIMUM_VALUES:
        return None
    bounds = category_bounds(present, 5)
    for quintile in range(1, 6):
        if value <= bounds[quintile]:  # type: ignore[operator]
            return quintile
    return None  # above the maximum: the value is not among ``values``


def quintile_comparison(
    value: float | None, values: Iterable[float | None], *, polarity: Polarity | str
) -> QuintileLabel:
    """Fingertips' quintile label for ``value`` among ``values`` (see module)."""
    quintile = fingertips_quintile(value, values)
    if quintile is None:
        return QuintileLabel.NOT_COMPARED
    return QUINTILE_LABELS[Polarity(polarity)][quintile - 1]
