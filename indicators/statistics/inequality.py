"""Inequality measures for an indicator broken down by group.

* :func:`inequality_gap` - absolute and relative gap between the best and the
  worst group (Fingertips inequality "gap" views).
* :func:`slope_index_of_inequality` - SII point estimate, as PHEindicatormethods
  ``phe_sii`` (Low & Low 2004).
* :func:`gap_trend` - a simple, documented rule for whether a gap is narrowing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.statistics.formatting import format_value
from indicators.statistics.types import GapTrend, Polarity


@dataclass(frozen=True)
class Group:
    """One group of a breakdown (e.g. a deprivation decile).

    ``rank`` orders deprivation quantiles (1 = most deprived).
    """

    label: str
    value: float | None
    population: float | None = None
    rank: int | None = None
    lower95: float | None = None
    upper95: float | None = None


@dataclass(frozen=True)
class InequalityGap:
    """Gap between the best and worst group.

    ``absolute_gap`` = |best - worst|; ``relative_gap`` = worst / best (None
    when the best value is zero).
    """

    best: Group
    worst: Group
    absolute_gap: float
    relative_gap: float | None
    explanation: str


@dataclass(frozen=True)
class SlopeIndex:
    """Slope index of inequality (SII) and related fitted values.

    ``sii`` is the fitted difference from the most deprived (rank 0) to the
    least deprived (rank 1) end; positive means values rise as deprivation
    falls. ``intercept`` is the fitted value at the most deprived end and
    ``rii`` = (intercept + SII) / intercept (None when the intercept is 0).
    """

    sii: float
    intercept: float
    rii: float | None
    explanation: str


def _valued(groups: Sequence[Group]) -> list[tuple[Group, float]]:
    return [
        (g, float(g.value))
        for g in groups
        if g.value is not None and math.isfinite(g.value)
    ]


def inequality_gap(
    groups: Sequence[Group], *, polarity: Polarity | str, decimals: int | None = None
) -> InequalityGap:
    """Absolute and relative gap between the best and worst groups.

    Range (best minus worst) and ratio (worst / best), the simple gap measures
    shown with Fingertips inequality breakdowns. Best is the highest value when
    high is good and the lowest when low is good; ties go to the first group.
    Groups without a value are skipped; at least two are needed. Raises
    ``ValueError`` for NO_JUDGEMENT (best and worst are undefined).
    """
    polarity = Polarity(polarity)
    if polarity is Polarity.NO_JUDGEMENT:
        raise ValueError(
            "Best and worst groups need a polarity; 'no_judgement' was given."
        )
    valued = _valued(groups)
    if len(valued) < 2:
        raise ValueError("An inequality gap needs at least two groups with values")
    highest = max(valued, key=lambda gv: gv[1])
    lowest = min(valued, key=lambda gv: gv[1])
    best, worst = (
        (highest, lowest)
        if polarity is Polarity.HIGH_IS_GOOD
        else (
            lowest,
            highest,
        )
    )
    absolute = abs(best[1] - worst[1])
    relative = worst[1] / best[1] if best[1] != 0 else None
    fmt = format_value
    text = (
        f"Best group {best[0].label} ({fmt(best[1], decimals)}), worst group "
        f"{worst[0].label} ({fmt(worst[1], decimals)}): absolute gap "
        f"{fmt(absolute, decimals)}"
    )
    if relative is not None:
        text += f"; the worst is {relative:.3g} times the best"
    return InequalityGap(best[0], worst[0], absolute, relative, text + ".")


def slope_index_of_inequality(
    groups: Sequence[Group], *, multiplier: float = 1.0
) -> SlopeIndex:
    """Slope index of inequality, point estimate as PHEindicatormethods ``phe_sii``.

    Groups are ordered most to least deprived (by ``rank`` when every group
    has one, else in the order given). Each group gets the relative rank
    b = cumulative population share at the midpoint of its range, and
    value * sqrt(a) is regressed on sqrt(a) and b * sqrt(a) with no constant
    (a = population share): i.e. weighted least squares of value on b with
    weights a. SII is the slope times ``multiplier`` (as ``phe_sii``; a
    negative multiplier also inverts the RII). As ``phe_sii`` 5 to 100
    groups, each with a value and a positive population, are required. The
    ``phe_sii`` confidence interval (Monte Carlo simulation) is not provided.
    """
    if len(groups) < 5 or len(groups) > 100:
        raise ValueError("The SII needs between 5 and 100 groups (as phe_sii)")
    ordered = list(groups)
    if all(g.rank is not None for g in ordered):
        ordered.sort(key=lambda g: g.rank if g.rank is not None else 0)
    if len(_valued(ordered)) != len(ordered):
        raise ValueError("Every group needs a value to calculate the SII")
    pops = [g.population for g in ordered]
    if any(p is None or not p > 0 for p in pops):
        raise ValueError("Every group needs a population greater than zero")
    populations = [float(p) for p in pops if p is not None]
    values = [float(g.value) for g in ordered if g.value is not None]
    total = math.fsum(populations)
    shares = [p / total for p in populations]
    ranks = []
    cumulative = 0.0
    for share in shares:
        ranks.append(cumulative + share / 2)
        cumulative += share
    mean_b = math.fsum(a * b for a, b in zip(shares, ranks, strict=True))
    mean_y = math.fsum(a * y for a, y in zip(shares, values, strict=True))
    sxy = math.fsum(
        a * (b - mean_b) * (y - mean_y)
        for a, b, y in zip(shares, ranks, values, strict=True)
    )
    sxx = math.fsum(a * (b - mean_b) ** 2 for a, b in zip(shares, ranks, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_b
    rii = (intercept + slope) / intercept if intercept != 0 else None
    if rii is not None and multiplier < 0:
        rii = 1 / rii
    sii = slope * multiplier
    text = (
        f"Across {len(ordered)} groups from most deprived ({ordered[0].label}) to "
        f"least deprived ({ordered[-1].label}), the population-weighted line goes "
        f"from {format_value(intercept)} to {format_value(intercept + slope)}: "
        f"slope index of inequality {format_value(sii)}."
    )
    return SlopeIndex(sii, intercept, rii, text)


def gap_trend(
    gaps_over_time: Sequence[float | None],
    *,
    window: int = 5,
    min_points: int = 3,
    tolerance: float = 0.05,
) -> GapTrend:
    """Whether an inequality gap is narrowing, widening or showing no clear change.

    A simple descriptive rule, not a significance test: take the latest
    ``window`` gaps (oldest first, missing values skipped) as magnitudes
    ``abs(gap)``, fit an ordinary least-squares line against period number,
    and compare the fitted change across the window with ``tolerance`` times
    the mean gap. A fitted fall larger than that is "narrowing", a rise
    "widening"; anything smaller, or fewer than ``min_points`` gaps, is
    "no clear change".
    """
    if window < 2 or min_points < 2:
        raise ValueError("window and min_points must be at least 2")
    present = [abs(g) for g in gaps_over_time if g is not None and math.isfinite(g)]
    recent = present[-window:]
    if len(recent) < min_points:
        return GapTrend.NO_CLEAR_CHANGE
    n = len(recent)
    mean_t = (n - 1) / 2
    mean_g = math.fsum(recent) / n
    sxy = math.fsum((t - mean_t) * (g - mean_g) for t, g in enumerate(recent))
    sxx = math.fsum((t - mean_t) ** 2 for t in range(n))
    change = sxy / sxx * (n - 1)
    if abs(change) <= tolerance * mean_g:
        return GapTrend.NO_CLEAR_CHANGE
    return GapTrend.NARROWING if change < 0 else GapTrend.WIDENING
