"""Inequality measures for an indicator broken down by group.

* :func:`inequality_gap` - absolute and relative gap between the best and the
  worst group (Fingertips inequality "gap" views).
* :func:`slope_index_of_inequality` - SII point estimate, as PHEindicatormethods
  ``phe_sii`` (Low & Low 2004).
* :func:`slope_index_of_inequality_simulated` - the SII and RII with
  ``phe_sii``'s simulated (Monte Carlo) confidence limits.
* :func:`gap_trend` - a simple, documented rule for whether a gap is narrowing.
"""

from __future__ import annotations

import enum
import math
import operator
import random
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.statistics.formatting import format_value
from indicators.statistics.types import GapTrend, Polarity


@dataclass(frozen=True)
class Group:
    """One group of a breakdown (e.g. a deprivation decile).

    ``rank`` orders deprivation quantiles (1 = most deprived). ``se`` is the
    standard error of ``value`` (used, when given, by the simulated SII limits
    instead of one derived from the 95 % limits).
    """

    label: str
    value: float | None
    population: float | None = None
    rank: int | None = None
    lower95: float | None = None
    upper95: float | None = None
    se: float | None = None


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


def _sii_design(
    groups: Sequence[Group],
) -> tuple[list[Group], list[float], list[float]]:
    """Groups most to least deprived, their population shares a and ranks b.

    Checks ``phe_sii``'s rules: 5 to 100 groups, each with a value and a
    population greater than zero.
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
    total = math.fsum(populations)
    shares = [p / total for p in populations]
    ranks = []
    cumulative = 0.0
    for share in shares:
        ranks.append(cumulative + share / 2)
        cumulative += share
    return ordered, shares, ranks


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
    groups, each with a value and a positive population, are required. For
    ``phe_sii``'s simulated confidence limits see
    :func:`slope_index_of_inequality_simulated`.
    """
    ordered, shares, ranks = _sii_design(groups)
    values = [float(g.value) for g in ordered if g.value is not None]
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


class SiiValueType(enum.StrEnum):
    """``phe_sii``'s ``value_type``: what the transform (if asked for) is."""

    NORMAL = "normal"  # value_type 0: no transform
    RATE = "rate"  # value_type 1: log
    PROPORTION = "proportion"  # value_type 2: logit (values on the 0-1 scale)


@dataclass(frozen=True)
class SimulatedLimits:
    """Simulated limits of the SII (and RII) at one confidence level."""

    confidence: float
    sii_lower: float
    sii_upper: float
    rii_lower: float | None
    rii_upper: float | None


@dataclass(frozen=True)
class SimulatedSlopeIndex:
    """SII, intercept and RII with simulated limits at each confidence level.

    The point estimates are those of :func:`slope_index_of_inequality`;
    ``limits`` hold one entry per requested confidence level (e.g. 0.95 and
    0.998). ``seed`` and ``repetitions`` reproduce the simulation exactly.
    """

    sii: float
    intercept: float
    rii: float | None
    limits: tuple[SimulatedLimits, ...]
    value_type: SiiValueType
    transform: bool
    repetitions: int
    seed: int
    method: str

    def at(self, confidence: float) -> SimulatedLimits:
        """The limits at ``confidence`` (0.95 or 95 for 95 %)."""
        level = _confidence_level(confidence)
        for limits in self.limits:
            if math.isclose(limits.confidence, level, rel_tol=0, abs_tol=1e-12):
                return limits
        raise KeyError(confidence)


#: qnorm(0.975): phe_sii derives each group's SE from its 95 % limits.
_Z975 = 1.959963984540054


def _confidence_level(confidence: float) -> float:
    """0.5 to 0.9999, or 50 to 99.99 (as phe_sii), as a fraction."""
    if 0.5 <= confidence <= 0.9999:
        return float(confidence)
    if 50 <= confidence <= 99.99:
        return confidence / 100
    raise ValueError(
        "confidence level for SII must be between 50 and 99.99, "
        "or between 0.5 and 0.9999"
    )


def _transform(x: float, value_type: SiiValueType) -> float:
    if value_type is SiiValueType.RATE:
        if not x > 0:
            raise ValueError("A log transform needs values and limits above 0")
        return math.log(x)
    if not 0 < x < 1:
        raise ValueError("A logit transform needs proportions strictly between 0 and 1")
    return math.log(x / (1 - x))


def _back(y: float, value_type: SiiValueType) -> float:
    if value_type is SiiValueType.RATE:
        return math.exp(y)
    # Inverse logit, written to avoid overflow for large |y|.
    if y >= 0:
        return 1 / (1 + math.exp(-y))
    e = math.exp(y)
    return e / (1 + e)


def _sampling_parameters(
    group: Group, value_type: SiiValueType, transform: bool
) -> tuple[float, float]:
    """Mean and SD of the normal each group's value is drawn from."""
    value = float(group.value)  # type: ignore[arg-type]
    if transform:
        if group.lower95 is None or group.upper95 is None:
            raise ValueError(
                "With transform, every group needs its 95% limits (the SE is "
                "taken on the transformed scale)"
            )
        lower = _transform(group.lower95, value_type)
        upper = _transform(group.upper95, value_type)
        return _transform(value, value_type), (upper - lower) / _Z975 / 2
    if group.se is not None:
        if not (group.se >= 0 and math.isfinite(group.se)):
            raise ValueError("Standard errors must be zero or more")
        return value, float(group.se)
    if group.lower95 is None or group.upper95 is None:
        raise ValueError("Every group needs a standard error or its 95% limits")
    return value, (group.upper95 - group.lower95) / _Z975 / 2


def slope_index_of_inequality_simulated(
    groups: Sequence[Group],
    *,
    value_type: SiiValueType | str = SiiValueType.NORMAL,
    transform: bool = False,
    multiplier: float = 1.0,
    repetitions: int = 100_000,
    confidence: Sequence[float] = (0.95, 0.998),
    seed: int = 0,
) -> SimulatedSlopeIndex:
    """SII and RII with simulated limits, as PHEindicatormethods ``phe_sii``.

    Point estimates as :func:`slope_index_of_inequality`. Limits by
    ``phe_sii``'s simulation (``SimulationFunc``): ``repetitions`` times, draw
    each group's value from a normal with its value as mean and its standard
    error as SD, refit the population-weighted regression, and take the
    ordered simulated SIIs (and RIIs = fitted end / fitted start) at positions
    round(R (1 - c')) and round(R c'), c' = c + (1 - c) / 2, for each
    confidence level c. The SE is the group's ``se`` if given, else (upper95 -
    lower95) / (2 qnorm(0.975)). With ``transform`` (rates: log, proportions on
    the 0-1 scale: logit; not for ``NORMAL``) the value and its 95 % limits are
    transformed first, the SE taken on that scale, and each draw transformed
    back before the regression. A negative ``multiplier`` swaps the SII limits
    and inverts the RII and its limits, as ``phe_sii``.

    The draws use Python's ``random.Random(seed)`` (Mersenne Twister, Box-Muller
    via ``gauss``): the same seed and inputs give the same limits; they cannot
    equal R's draws, so limits agree with R only within Monte Carlo error.
    """
    value_type = SiiValueType(value_type)
    if transform and value_type is SiiValueType.NORMAL:
        raise ValueError("transform needs value_type 'rate' or 'proportion'")
    if isinstance(repetitions, bool) or not isinstance(repetitions, int):
        raise ValueError("repetitions must be a whole number")
    if repetitions <= 0:
        raise ValueError("number of repetitions must be greater than 0")
    if not confidence:
        raise ValueError("At least one confidence level is needed")
    levels = [_confidence_level(c) for c in confidence]
    positions = []
    for level in levels:
        upper_tail = level + (1 - level) / 2
        low, high = (
            round(repetitions * (1 - upper_tail)),
            round(repetitions * upper_tail),
        )
        if low < 1:
            raise ValueError(
                f"{repetitions} repetitions are too few for {level:.1%} limits"
            )
        positions.append((low - 1, high - 1))

    point = slope_index_of_inequality(groups, multiplier=multiplier)
    ordered, shares, ranks = _sii_design(groups)
    params = [_sampling_parameters(g, value_type, transform) for g in ordered]
    # The weighted least-squares fit is linear in the values: slope = sum w y,
    # intercept = sum v y.
    mean_b = math.fsum(a * b for a, b in zip(shares, ranks, strict=True))
    sxx = math.fsum(a * (b - mean_b) ** 2 for a, b in zip(shares, ranks, strict=True))
    slope_w = [a * (b - mean_b) / sxx for a, b in zip(shares, ranks, strict=True)]
    start_w = [a - mean_b * w for a, w in zip(shares, slope_w, strict=True)]

    rng = random.Random(seed)  # noqa: S311 - reproducible statistics, not secrets
    gauss = rng.gauss
    slopes = []
    riis = []
    for _ in range(repetitions):
        draws = [gauss(mu, sd) for mu, sd in params]
        if transform:
            draws = [_back(y, value_type) for y in draws]
        slope = sum(map(operator.mul, slope_w, draws))
        start = sum(map(operator.mul, start_w, draws))
        slopes.append(slope)
        riis.append((start + slope) / start if start != 0 else math.nan)
    slopes.sort()
    rii_defined = not any(math.isnan(r) for r in riis)
    riis.sort()

    limits = []
    for level, (low, high) in zip(levels, positions, strict=True):
        sii_low, sii_high = slopes[low] * multiplier, slopes[high] * multiplier
        rii_low, rii_high = (riis[low], riis[high]) if rii_defined else (None, None)
        if multiplier < 0:
            sii_low, sii_high = sii_high, sii_low
            if rii_low is not None and rii_high is not None:
                rii_low, rii_high = 1 / rii_high, 1 / rii_low
        limits.append(SimulatedLimits(level, sii_low, sii_high, rii_low, rii_high))
    return SimulatedSlopeIndex(
        sii=point.sii,
        intercept=point.intercept,
        rii=point.rii,
        limits=tuple(limits),
        value_type=value_type,
        transform=transform,
        repetitions=repetitions,
        seed=seed,
        method=f"simulation {repetitions} reps (seed {seed})",
    )


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
