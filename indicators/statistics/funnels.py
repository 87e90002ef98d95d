"""Funnel-plot control limits and the significance of points against them.

Reproduces PHEindicatormethods (R) ``calculate_funnel_limits``,
``assign_funnel_significance`` and ``calculate_funnel_points`` (R/Funnels.R,
with ``sigma_adjustment``, ``poisson_funnel`` and ``funnel_ratio_significance``
from R/utils.R), the method of the Fingertips technical guidance and its
Excel funnel-plot tool, for three statistics:

* proportions - Wilson score control limits around the average proportion
  (``sigma_adjustment``);
* ratios (counts or indirectly standardised ratios) - Poisson limits: for each
  observed count, the expected count at which it lies on each limit
  (``poisson_funnel``);
* rates (crude rates or DSRs) - the same Poisson limits in events, with the
  population implied by each rate.

The two limits are the 95% ("2 sigma", tail probability 0.025) and 99.8%
("3 sigma", 0.001) control limits, computed at 100 denominators spread over
the plot's axis exactly as the reference chooses them. Significance labels
are the reference's: "High (0.001)" lies above the 99.8% limit, "High (0.025)"
above the 95% limit only, and likewise "Low ...".

``poisson_funnel`` keeps the reference's bisection (23 halvings on
v = mean / (1 + observed + mean)), so the limits agree with the reference to
its own precision (about 1e-7 relative, and 5e-5 for one or two events);
only the Poisson tail sums are evaluated with the regularised incomplete
gamma functions instead of term-by-term series, which gives the same tail
probabilities about a thousand times faster.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.statistics.confidence import (
    BYARS_MINIMUM_COUNT,
    Z95,
    Z998,
    _precise_z,
    count_ci,
)
from indicators.statistics.distributions import gamma_p, gamma_q

#: Number of denominators at which the control limits are tabulated.
FUNNEL_POINTS = 100
#: One-sided tail probabilities of the 95% and 99.8% control limits.
TAIL95 = 0.025
TAIL998 = 0.001


class FunnelSignificance(enum.StrEnum):
    """Where a point lies against the funnel, worded as the reference."""

    HIGH_998 = "High (0.001)"
    HIGH_95 = "High (0.025)"
    LOW_998 = "Low (0.001)"
    LOW_95 = "Low (0.025)"
    NOT_SIGNIFICANT = "Not significant"
    NOT_APPLICABLE = "Not applicable for events less than 10 for dsrs"


class RatioType(enum.StrEnum):
    """How ratio limits are expressed: observed/expected - 1, or x 100."""

    COUNT = "count"
    ISR = "isr"


class RateType(enum.StrEnum):
    """Kind of rate on a rate funnel."""

    DSR = "dsr"
    CRUDE = "crude"


@dataclass(frozen=True)
class FunnelRow:
    """One of the rows of the control-limit table (``calculate_funnel_limits``).

    ``x`` is the reference's first column: the population for proportions,
    the observed events for ratios, the events for rates. For ratios and
    rates the ``*_denominator`` fields give where each limit is met: the
    expected events (ratios) or the population per year (rates); they are
    ``None`` for proportions, whose limits are all met at ``x``.
    """

    x: float
    lower95: float
    upper95: float
    lower998: float
    upper998: float
    lower95_denominator: float | None = None
    upper95_denominator: float | None = None
    lower998_denominator: float | None = None
    upper998_denominator: float | None = None


@dataclass(frozen=True)
class FunnelLimits:
    """A funnel plot's control limits, with the reference's metadata.

    ``statistic`` is worded as the reference ("proportion", "ratio (isr)",
    "rate (dsr per 100,000)"), ``method`` is "Wilson" or "Poisson", and
    ``baseline`` is the average (times the multiplier), ``None`` for ratios.
    """

    statistic: str
    method: str
    baseline: float | None
    rows: tuple[FunnelRow, ...]


@dataclass(frozen=True)
class FunnelPoint:
    """A rate point for charting (``calculate_funnel_points``).

    ``rate`` and ``denominator`` (population per year) are ``None`` for a DSR
    with fewer than 10 events, which is not plotted.
    """

    rate: float | None
    denominator: float | None


# --- Building blocks (R/utils.R, R/Funnels.R) ------------------------------------


def _r_max(a: float, b: float) -> float:
    """max() propagating NaN as R does."""
    return math.nan if math.isnan(a) or math.isnan(b) else max(a, b)


def _r_min(a: float, b: float) -> float:
    return math.nan if math.isnan(a) or math.isnan(b) else min(a, b)


def proportion_control_limit(
    population: float,
    average_proportion: float,
    *,
    z: float,
    side: str,
    multiplier: float,
) -> float:
    """Wilson control limit for a proportion at ``population`` (``sigma_adjustment``).

    The value of the proportion (times ``multiplier``) whose Wilson score
    interval at ``z`` just reaches ``average_proportion``: ``side`` "low" for
    the lower control limit, "high" for the upper. ``z`` is qnorm(0.975)
    (use :data:`Z95`) or qnorm(0.999) (:data:`Z998`).
    """
    z2 = _precise_z(z) ** 2
    a, n = average_proportion, population
    first_part = a * (n / z2 + 1)
    radicand = (-8 * a * (n / z2 + 1)) ** 2 - 64 * (1 / z2 + 1 / n) * a * (
        n * (a * (n / z2 + 2) - 1) + z2 * (a - 1)
    )
    adj = math.sqrt(radicand) if radicand >= 0 else math.nan
    last_part = 1 / z2 + 1 / n
    if side == "low":
        limit = (first_part - adj / 8) / last_part
    elif side == "high":
        limit = (first_part + adj / 8) / last_part
    else:
        raise ValueError(f"side must be 'low' or 'high', got {side!r}")
    return limit / n * multiplier


def _poisson_at_least(mean: float, observed: float) -> float:
    """P(X >= observed) for X ~ Poisson(mean)."""
    return 1.0 if observed <= 0 else gamma_p(observed, mean)


def _poisson_at_most(mean: float, observed: float) -> float:
    """P(X <= observed) for X ~ Poisson(mean)."""
    return gamma_q(observed + 1, mean)


def poisson_funnel(observed: float, p: float, side: str) -> float:
    """Poisson mean at which ``observed`` events lie on a control limit.

    As PHEindicatormethods ``poisson_funnel`` (from the Excel funnel tool):
    bisection on v in (0, 1), mean = (1 + observed) v / (1 - v), halving the
    step from 0.5 while it exceeds 1e-7. ``side`` "low" solves
    P(X >= observed) = p (the expected count at the upper limit), "high"
    solves P(X <= observed) = p (the expected count at the lower limit).
    """
    if not (observed >= 0 and math.isfinite(observed)):
        raise ValueError(f"observed events must be zero or more, got {observed!r}")
    if side not in ("low", "high"):
        raise ValueError(f"side must be 'low' or 'high', got {side!r}")
    v = 0.5
    dv = 0.5
    while dv > 1e-7:
        dv /= 2
        mean = (1 + observed) * v / (1 - v)
        if side == "low":
            v = v - dv if _poisson_at_least(mean, observed) > p else v + dv
        else:
            v = v - dv if _poisson_at_most(mean, observed) < p else v + dv
    return (1 + observed) * v / (1 - v)


def _count_limits(observed: float, z: float) -> tuple[float, float]:
    """``funnel_ratio_significance`` before dividing by the expected count."""
    interval = count_ci(observed, z=z)
    return interval.lower, interval.upper


def _signif_digits(value: float) -> int:
    """R's ``nchar`` of a whole number (R prints e.g. 100000 as "1e+05")."""
    fixed = str(int(value))
    mantissa = fixed.rstrip("0") or "0"
    exponent = len(fixed) - 1
    scientific = len(mantissa) + (1 if len(mantissa) > 1 else 0) + 2
    scientific += len(f"{exponent:02d}")
    return scientific if scientific < len(fixed) else len(fixed)


def _signif_floor(x: float, percentage_down: float = 0.95) -> float:
    if x == 0:
        return 0.0
    n = _signif_digits(math.floor(x * percentage_down)) - 1
    return math.floor(x * percentage_down / 10**n) * 10**n


def _signif_ceiling(x: float, percentage_up: float = 1.05) -> float:
    if x == 0:
        return 0.0
    n = _signif_digits(math.ceil(x * percentage_up)) - 2
    return math.ceil(x * percentage_up / 10**n) * 10**n


def funnel_axis(
    axis_minimum: float, axis_maximum: float, *, ratio: bool
) -> list[float]:
    """The reference's 100 denominators between the axis limits.

    Geometric steps from max(1, axis_minimum) towards ``axis_maximum``,
    rounded (R ``round``: halves to even) and at least 1 apart; ratio
    funnels use a step exponent one row behind (as the reference).
    """
    points = [float(max(1.0, axis_minimum))]
    for j in range(2, FUNNEL_POINTS + 1):
        offset = j - 1 if ratio else j
        previous = points[-1]
        step = round((axis_maximum / previous) ** (1 / (101 - offset)) * previous)
        points.append(float(max(step, previous + 1)))
    return points


def _axis_range(
    denominators: Sequence[float], *, years_of_data: float | None
) -> tuple[float, float]:
    low, high = min(denominators), max(denominators)
    per_year = 1.0 if years_of_data is None else years_of_data
    axis_minimum = 0.0
    if high <= 2 * low:
        axis_minimum = _signif_floor(low / per_year) * per_year
    axis_maximum = _signif_ceiling(high / per_year) * per_year
    return axis_minimum, axis_maximum


def _multiplier_words(multiplier: float) -> str:
    """R ``format(multiplier, big.mark = ",", scientific = FALSE)``."""
    if float(multiplier).is_integer():
        return f"{int(multiplier):,}"
    return f"{multiplier:,}"


# --- Validation -------------------------------------------------------------------


def _check_pairs(
    numerators: Sequence[float], denominators: Sequence[float] | None
) -> None:
    if not numerators:
        raise ValueError("a funnel needs at least one point")
    if denominators is not None and len(denominators) != len(numerators):
        raise ValueError("numerators and denominators differ in length")
    for x in numerators:
        if x is None or not (x >= 0 and math.isfinite(x)):
            raise ValueError(f"numerators must be zero or more, got {x!r}")
    for n in denominators or ():
        if n is None or not (n > 0 and math.isfinite(n)):
            raise ValueError(f"denominators must be greater than zero, got {n!r}")


def _check_multiplier(multiplier: float) -> None:
    if not (multiplier > 0 and math.isfinite(multiplier)):
        raise ValueError(f"multiplier must be greater than zero, got {multiplier!r}")


def _check_years(years_of_data: float) -> None:
    if not (years_of_data > 0 and math.isfinite(years_of_data)):
        raise ValueError("years_of_data must be greater than zero")


def _rate_denominators(
    numerators: Sequence[float],
    rates: Sequence[float | None],
    *,
    rate_type: RateType | str,
    multiplier: float,
    denominators: Sequence[float] | None,
) -> tuple[RateType, list[float | None]]:
    """The rate type, and the denominators implied by the rates (None for a
    DSR of zero events)."""
    rate_type = RateType(rate_type)
    _check_pairs(numerators, denominators)
    _check_multiplier(multiplier)
    if len(rates) != len(numerators):
        raise ValueError("numerators and rates differ in length")
    derived: list[float | None] = []
    for i, (count, rate) in enumerate(zip(numerators, rates, strict=True)):
        if count == 0:
            if rate_type is RateType.DSR:
                derived.append(None)
                continue
            if denominators is None:
                raise ValueError(
                    "for rates, where there are 0 events for a record, the "
                    "denominators must be given"
                )
            derived.append(denominators[i])
            continue
        if rate is None or not (rate > 0 and math.isfinite(rate)):
            raise ValueError(f"rates must be greater than zero, got {rate!r}")
        derived.append(multiplier * count / rate)
    return rate_type, derived


# --- Control limits ---------------------------------------------------------------


def proportion_funnel_limits(
    numerators: Sequence[float],
    denominators: Sequence[float],
    *,
    multiplier: float = 100,
) -> FunnelLimits:
    """Control limits for a proportion funnel (``calculate_funnel_limits``).

    ``statistic = "proportion"``: the average is sum(numerators) /
    sum(denominators); limits by :func:`proportion_control_limit` at each
    population, the lower ones floored at 0 and the upper ones capped at 100
    (the reference caps at 100 whatever the multiplier).
    """
    _check_pairs(numerators, denominators)
    _check_multiplier(multiplier)
    if any(x > n for x, n in zip(numerators, denominators, strict=True)):
        raise ValueError("numerators must not exceed denominators for a proportion")
    average = math.fsum(numerators) / math.fsum(denominators)
    axis_minimum, axis_maximum = _axis_range(denominators, years_of_data=None)
    rows = []
    for population in funnel_axis(axis_minimum, axis_maximum, ratio=False):

        def limit(z: float, side: str, population: float = population) -> float:
            return proportion_control_limit(
                population, average, z=z, side=side, multiplier=multiplier
            )

        rows.append(
            FunnelRow(
                x=population,
                lower95=_r_max(0.0, limit(Z95, "low")),
                upper95=_r_min(100.0, limit(Z95, "high")),
                lower998=_r_max(0.0, limit(Z998, "low")),
                upper998=_r_min(100.0, limit(Z998, "high")),
            )
        )
    return FunnelLimits("proportion", "Wilson", average * multiplier, tuple(rows))


def _poisson_row(x: float, scale: float, convert) -> FunnelRow:
    """Row of Poisson limits; ``scale`` turns expected events into denominators."""
    at = {
        "lower95": poisson_funnel(x, TAIL95, "high") * scale,
        "upper95": poisson_funnel(x, TAIL95, "low") * scale,
        "lower998": poisson_funnel(x, TAIL998, "high") * scale,
        "upper998": poisson_funnel(x, TAIL998, "low") * scale,
    }
    return FunnelRow(
        x=x,
        **{name: convert(x / denominator) for name, denominator in at.items()},
        **{f"{name}_denominator": denominator for name, denominator in at.items()},
    )


def ratio_funnel_limits(
    observed: Sequence[float],
    expected: Sequence[float],
    *,
    ratio_type: RatioType | str,
) -> FunnelLimits:
    """Control limits for a ratio funnel (observed / expected events).

    ``calculate_funnel_limits(statistic = "ratio")``: for each observed count
    on the axis, the expected counts at which it meets each Poisson limit
    (``*_denominator``) and the limits observed / expected, as ratio - 1
    (``ratio_type`` "count") or ratio x 100 ("isr"). The axis is taken from
    the expected counts, as the reference does.
    """
    ratio_type = RatioType(ratio_type)
    _check_pairs(observed, expected)
    axis_minimum, axis_maximum = _axis_range(expected, years_of_data=None)
    if ratio_type is RatioType.COUNT:

        def convert(ratio: float) -> float:
            return ratio - 1

    else:

        def convert(ratio: float) -> float:
            return ratio * 100

    rows = tuple(
        _poisson_row(x, 1.0, convert)
        for x in funnel_axis(axis_minimum, axis_maximum, ratio=True)
    )
    return FunnelLimits(f"ratio ({ratio_type})", "Poisson", None, rows)


def rate_funnel_limits(
    numerators: Sequence[float],
    rates: Sequence[float | None],
    *,
    rate_type: RateType | str,
    multiplier: float,
    years_of_data: float,
    denominators: Sequence[float] | None = None,
) -> FunnelLimits:
    """Control limits for a rate funnel (crude rates or DSRs).

    ``calculate_funnel_limits(statistic = "rate")``: each point's denominator
    is implied by its rate (multiplier * events / rate; for a crude rate with
    0 events the given denominator; a DSR with 0 events has none); the
    average is sum(events) / sum(implied denominators). The axis (in
    population per year, times ``years_of_data``) is turned into events by
    the average; for each number of events the limits are
    events / (Poisson mean / average) * multiplier, met at a population per
    year of Poisson mean / average / years_of_data.
    """
    _check_years(years_of_data)
    rate_type, derived = _rate_denominators(
        numerators,
        rates,
        rate_type=rate_type,
        multiplier=multiplier,
        denominators=denominators,
    )
    present = [n for n in derived if n is not None]
    if not present:
        raise ValueError("a rate funnel needs at least one point with events")
    average = math.fsum(numerators) / math.fsum(present)
    if not average > 0:
        raise ValueError("a rate funnel needs at least one event")
    axis_minimum, axis_maximum = _axis_range(present, years_of_data=years_of_data)
    axis_minimum = math.floor(axis_minimum * average)
    axis_maximum = math.ceil(axis_maximum * average)
    rows = []
    for events in funnel_axis(axis_minimum, axis_maximum, ratio=False):
        row = _poisson_row(events, 1 / average, lambda ratio: ratio * multiplier)
        rows.append(
            FunnelRow(
                x=row.x,
                lower95=row.lower95,
                upper95=row.upper95,
                lower998=row.lower998,
                upper998=row.upper998,
                lower95_denominator=row.lower95_denominator / years_of_data,
                upper95_denominator=row.upper95_denominator / years_of_data,
                lower998_denominator=row.lower998_denominator / years_of_data,
                upper998_denominator=row.upper998_denominator / years_of_data,
            )
        )
    statistic = f"rate ({rate_type} per {_multiplier_words(multiplier)})"
    return FunnelLimits(statistic, "Poisson", average * multiplier, tuple(rows))


# --- Significance of points (the control-limit comparators) ------------------------


def proportion_point_significance(
    numerator: float, denominator: float, *, average: float
) -> FunnelSignificance:
    """A proportion against the funnel around ``average`` (0-1 scale).

    ``assign_funnel_significance(statistic = "proportion")``: below the
    99.8% lower limit -> Low (0.001), else below the 95% one -> Low (0.025),
    else above the 99.8% upper limit -> High (0.001), else above the 95% one
    -> High (0.025), else Not significant.
    """
    _check_pairs([numerator], [denominator])
    proportion = numerator / denominator

    def limit(z: float, side: str) -> float:
        return proportion_control_limit(
            denominator, average, z=z, side=side, multiplier=1
        )

    if proportion < limit(Z998, "low"):
        return FunnelSignificance.LOW_998
    if proportion < limit(Z95, "low"):
        return FunnelSignificance.LOW_95
    if proportion > limit(Z998, "high"):
        return FunnelSignificance.HIGH_998
    if proportion > limit(Z95, "high"):
        return FunnelSignificance.HIGH_95
    return FunnelSignificance.NOT_SIGNIFICANT


def ratio_point_significance(
    observed: float, expected: float, *, average: float = 1.0
) -> FunnelSignificance:
    """Observed against expected events (``funnel_ratio_significance``).

    The observed count's limits (exact Poisson below 10, Byar's from 10)
    divided by ``expected`` are compared with ``average`` (1 for a ratio;
    the weighted average rate for a rate funnel): average below the 99.8%
    lower limit -> High (0.001), below the 95% lower limit -> High (0.025),
    above the 99.8% upper limit -> Low (0.001), above the 95% upper limit ->
    Low (0.025), else Not significant.
    """
    _check_pairs([observed], [expected])
    lower998, upper998 = _count_limits(observed, Z998)
    lower95, upper95 = _count_limits(observed, Z95)
    if average < lower998 / expected:
        return FunnelSignificance.HIGH_998
    if average < lower95 / expected:
        return FunnelSignificance.HIGH_95
    if average > upper998 / expected:
        return FunnelSignificance.LOW_998
    if average > upper95 / expected:
        return FunnelSignificance.LOW_95
    return FunnelSignificance.NOT_SIGNIFICANT


def proportion_funnel_significance(
    numerators: Sequence[float], denominators: Sequence[float]
) -> list[FunnelSignificance]:
    """Each proportion against the funnel around their pooled average."""
    _check_pairs(numerators, denominators)
    if any(x > n for x, n in zip(numerators, denominators, strict=True)):
        raise ValueError("numerators must not exceed denominators for a proportion")
    average = math.fsum(numerators) / math.fsum(denominators)
    return [
        proportion_point_significance(x, n, average=average)
        for x, n in zip(numerators, denominators, strict=True)
    ]


def ratio_funnel_significance(
    observed: Sequence[float], expected: Sequence[float]
) -> list[FunnelSignificance]:
    """Each observed / expected ratio against 1 (``statistic = "ratio"``)."""
    _check_pairs(observed, expected)
    return [
        ratio_point_significance(o, e) for o, e in zip(observed, expected, strict=True)
    ]


def rate_funnel_significance(
    numerators: Sequence[float],
    rates: Sequence[float | None],
    *,
    rate_type: RateType | str,
    multiplier: float,
    denominators: Sequence[float] | None = None,
) -> list[FunnelSignificance]:
    """Each rate against the weighted average rate (``statistic = "rate"``).

    Denominators are implied by the rates as in :func:`rate_funnel_limits`;
    each point is then compared as :func:`ratio_point_significance` with the
    weighted average sum(events) / sum(implied denominators). A DSR with
    fewer than 10 events is "Not applicable for events less than 10 for dsrs".
    """
    rate_type, derived = _rate_denominators(
        numerators,
        rates,
        rate_type=rate_type,
        multiplier=multiplier,
        denominators=denominators,
    )
    present = [n for n in derived if n is not None]
    average = math.fsum(numerators) / math.fsum(present) if present else math.nan
    result = []
    for count, denominator in zip(numerators, derived, strict=True):
        if rate_type is RateType.DSR and count < BYARS_MINIMUM_COUNT:
            result.append(FunnelSignificance.NOT_APPLICABLE)
        elif denominator is None:
            result.append(FunnelSignificance.NOT_SIGNIFICANT)
        else:
            result.append(ratio_point_significance(count, denominator, average=average))
    return result


def rate_funnel_points(
    numerators: Sequence[float],
    rates: Sequence[float | None],
    *,
    rate_type: RateType | str,
    multiplier: float,
    years_of_data: float,
    denominators: Sequence[float] | None = None,
) -> list[FunnelPoint]:
    """Rates and populations per year to plot on a rate funnel.

    ``calculate_funnel_points``: population per year = multiplier * events /
    rate / years_of_data (for a crude rate with 0 events, the given
    denominator / years_of_data); a DSR with fewer than 10 events is left
    out (``None``).
    """
    _check_years(years_of_data)
    rate_type, derived = _rate_denominators(
        numerators,
        rates,
        rate_type=rate_type,
        multiplier=multiplier,
        denominators=denominators,
    )
    points = []
    for count, rate, denominator in zip(numerators, rates, derived, strict=True):
        if rate_type is RateType.DSR and count < BYARS_MINIMUM_COUNT:
            points.append(FunnelPoint(None, None))
        else:
            per_year = None if denominator is None else denominator / years_of_data
            points.append(FunnelPoint(rate, per_year))
    return points
