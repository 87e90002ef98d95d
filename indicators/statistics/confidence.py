"""Confidence intervals for Fingertips indicator value types.

Reproduces the methods of PHEindicatormethods (R) / PHStatsMethods (Python):

* proportions - Wilson score interval (``phe_proportion`` / ``ph_proportion``);
* counts and crude rates - Byar's method for counts of 10 or more, exact
  Poisson limits from chi-squared quantiles below 10 (``phe_rate`` /
  ``ph_rate``);
* directly standardised rates - Dobson's method (``phe_dsr`` / ``ph_dsr``),
  also for non-independent events (``calculate_dsr(independent_events =
  FALSE)``).

All functions take the standard normal multiple ``z`` (use :data:`Z95` or
:data:`Z998`); the exact Poisson limits convert it back to the two-sided
significance level alpha = 2 * P(Z > z). The rounded constants Z95 and Z998
are taken to mean exactly qnorm(0.975) and qnorm(0.999), as the R and Python
packages compute them from the confidence level (this matters in the 6th
significant figure of exact limits for very small counts).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from indicators.statistics.distributions import chi2_ppf, normal_upper_tail
from indicators.statistics.types import ConfidenceIntervals, Interval, ValueType

#: z for a two-sided 95% interval (qnorm(0.975) to 7 significant figures).
Z95 = 1.959964
#: z for a two-sided 99.8% interval (qnorm(0.999) to 7 significant figures).
Z998 = 3.090232
#: Full-precision values the rounded constants stand for (qnorm(0.975) and
#: qnorm(0.999)); exact Poisson tails are sensitive to the 7th figure of z.
_PRECISE_Z = {Z95: 1.959963984540054, Z998: 3.090232306167813}
#: Below this many events a count/rate uses exact Poisson limits, not Byar's.
BYARS_MINIMUM_COUNT = 10
#: DSRs are not calculated when the total count is below this (``phe_dsr``).
DSR_MINIMUM_COUNT = 10


def _precise_z(z: float) -> float:
    """Validate z; map the rounded Z95 / Z998 to qnorm(0.975) / qnorm(0.999)."""
    if not (z > 0 and math.isfinite(z)):
        raise ValueError(f"z must be a positive finite number, got {z!r}")
    return _PRECISE_Z.get(z, z)


def _check_count(count: float) -> None:
    if not (count >= 0 and math.isfinite(count)):
        raise ValueError(f"count must be zero or more, got {count!r}")


def _check_denominator(denominator: float) -> None:
    if not (denominator > 0 and math.isfinite(denominator)):
        raise ValueError(f"denominator must be greater than zero, got {denominator!r}")


def wilson_proportion(numerator: float, denominator: float, *, z: float) -> Interval:
    """Wilson score interval for a proportion on the 0-1 scale.

    Wilson score interval, as PHEindicatormethods ``phe_proportion`` /
    PHStatsMethods ``wilson_lower`` and ``wilson_upper`` (Wilson 1927;
    Newcombe & Altman 2000, pp. 46-48).
    """
    z = _precise_z(z)
    _check_count(numerator)
    _check_denominator(denominator)
    if numerator > denominator:
        raise ValueError("numerator must not exceed denominator for a proportion")
    root = z * math.sqrt(z * z + 4 * numerator * (1 - numerator / denominator))
    scale = 2 * (denominator + z * z)
    lower = (2 * numerator + z * z - root) / scale
    upper = (2 * numerator + z * z + root) / scale
    return Interval(max(0.0, lower), min(1.0, upper))


def proportion_ci(
    numerator: float, denominator: float, *, z: float, multiplier: float = 100.0
) -> Interval:
    """Wilson score interval scaled by ``multiplier`` (100 gives a percentage).

    Wilson score interval, as PHEindicatormethods ``phe_proportion`` with its
    ``multiplier`` argument.
    """
    interval = wilson_proportion(numerator, denominator, z=z)
    return Interval(interval.lower * multiplier, interval.upper * multiplier)


def byars_lower(count: float, *, z: float) -> float | None:
    """Byar's lower confidence limit for an observed count, or None.

    Byar's method (Breslow & Day 1987), as PHEindicatormethods ``byars_lower``
    (R/utils.R): count * (1 - 1/(9 count) - z/(3 sqrt(count)))^3. Where the
    formula goes negative (very small counts at a high confidence level, e.g.
    a count of 1 at 99.8%) or is undefined (a count of 0) the reference
    reports NA; this returns ``None`` (missing), never a clamped 0. This is
    the one place the project decides that rule.
    """
    z = _precise_z(z)
    _check_count(count)
    if count == 0:
        return None
    base = 1 - 1 / (9 * count) - z / (3 * math.sqrt(count))
    return None if base < 0 else count * base**3


def byars_upper(count: float, *, z: float) -> float:
    """Byar's upper confidence limit for an observed count.

    As PHEindicatormethods ``byars_upper``:
    (count + 1) * (1 - 1/(9 (count + 1)) + z/(3 sqrt(count + 1)))^3.
    """
    z = _precise_z(z)
    _check_count(count)
    c1 = count + 1
    return c1 * (1 - 1 / (9 * c1) + z / (3 * math.sqrt(c1))) ** 3


def _missing_byars_lower(count: float) -> ValueError:
    return ValueError(
        f"Byar's lower limit is missing for a count of {count:g} at this "
        "confidence level (the formula goes negative); byars_lower reports it "
        "as None, and crude_rate_ci uses exact limits below 10"
    )


def byars_rate(
    count: float, denominator: float, *, z: float, multiplier: float
) -> Interval:
    """Byar's approximation to the Poisson limits of a count or crude rate.

    Byar's method (Breslow & Day 1987), as PHEindicatormethods ``byars_lower`` /
    ``byars_upper`` and PHStatsMethods ``byars_lower`` / ``byars_upper``.
    The limits are divided by ``denominator`` and multiplied by
    ``multiplier`` (use 1 and 1 for a plain count). Fingertips only uses it
    for counts of 10 or more: use :func:`crude_rate_ci` to get that rule.
    Raises ``ValueError`` where the lower limit is missing (see
    :func:`byars_lower`) rather than reporting 0.
    """
    _check_denominator(denominator)
    if not count > 0:
        raise ValueError("Byar's method needs a count greater than zero")
    lower = byars_lower(count, z=z)
    if lower is None:
        raise _missing_byars_lower(count)
    factor = multiplier / denominator
    return Interval(lower * factor, byars_upper(count, z=z) * factor)


def exact_poisson(count: float, *, z: float) -> Interval:
    """Exact Poisson confidence limits for a count.

    Exact method (Armitage & Berry 2002), as PHEindicatormethods ``phe_rate``
    and PHStatsMethods ``exact_lower`` / ``exact_upper``:
    lower = chi2.ppf(alpha/2, 2x) / 2, upper = chi2.ppf(1 - alpha/2, 2x + 2) / 2,
    with the chi-squared quantiles computed in pure Python.
    """
    z = _precise_z(z)
    _check_count(count)
    half_alpha = normal_upper_tail(z)
    lower = chi2_ppf(half_alpha, 2 * count) / 2
    upper = chi2_ppf(1 - half_alpha, 2 * count + 2) / 2
    return Interval(lower, upper)


def crude_rate_ci(
    count: float, denominator: float, *, z: float, multiplier: float
) -> Interval:
    """Confidence limits for a crude rate (or a count, with 1 and 1).

    Rule of PHEindicatormethods ``phe_rate`` and PHStatsMethods ``ph_rate``
    (via ``byars_lower``/``byars_upper``): exact Poisson limits when
    count < 10, Byar's method when count >= 10; the limits of the count are
    divided by the denominator and multiplied by ``multiplier``.
    """
    _check_count(count)
    _check_denominator(denominator)
    if count < BYARS_MINIMUM_COUNT:
        limits = exact_poisson(count, z=z)
        factor = multiplier / denominator
        return Interval(limits.lower * factor, limits.upper * factor)
    return byars_rate(count, denominator, z=z, multiplier=multiplier)


def count_ci(count: float, *, z: float) -> Interval:
    """Confidence limits for a count: exact below 10, Byar's from 10.

    Same rule as PHEindicatormethods ``phe_rate`` with denominator 1 and
    multiplier 1 (the Fingertips method for count indicators).
    """
    return crude_rate_ci(count, 1.0, z=z, multiplier=1.0)


def _dsr_parts(
    counts: Sequence[float | None],
    populations: Sequence[float],
    standard_populations: Sequence[float],
) -> tuple[float, float, float]:
    """Return (directly standardised proportion, its variance, total count)."""
    if not len(counts) == len(populations) == len(standard_populations):
        raise ValueError(
            "counts, populations and standard populations differ in length"
        )
    if not counts:
        raise ValueError("a DSR needs at least one age band")
    total_standard = math.fsum(standard_populations)
    if not total_standard > 0:
        raise ValueError("standard populations must sum to more than zero")
    weighted = []
    squared = []
    total_count = 0.0
    for raw, population, standard in zip(
        counts, populations, standard_populations, strict=True
    ):
        count = 0.0 if raw is None else raw  # ph_dsr: missing counts are zero
        _check_count(count)
        _check_denominator(population)
        weighted.append(count * standard / population)
        squared.append(count * (standard / population) ** 2)
        total_count += count
    value = math.fsum(weighted) / total_standard
    variance = math.fsum(squared) / total_standard**2
    return value, variance, total_count


def dsr_value(
    counts: Sequence[float | None],
    populations: Sequence[float],
    standard_populations: Sequence[float],
    *,
    multiplier: float = 100_000,
) -> float:
    """Directly standardised rate per ``multiplier``.

    Direct standardisation, as PHEindicatormethods ``phe_dsr`` / PHStatsMethods
    ``ph_dsr``: sum(count * standard / population) / sum(standard). Missing
    age-band counts count as zero. Raises ``ValueError`` when the total count
    is below 10 (the packages return NA / NaN: the DSR is not published).
    """
    value, _, total = _dsr_parts(counts, populations, standard_populations)
    if total < DSR_MINIMUM_COUNT:
        raise ValueError(
            f"DSR not calculated: total count {total:g} is below {DSR_MINIMUM_COUNT}"
        )
    return value * multiplier


def dobson_dsr(
    counts: Sequence[float | None],
    populations: Sequence[float],
    standard_populations: Sequence[float],
    *,
    z: float,
    multiplier: float = 100_000,
) -> Interval:
    """Dobson confidence limits for a directly standardised rate.

    Dobson's method (Dobson et al. 1991) with Byar's limits for the total
    count, as PHEindicatormethods ``phe_dsr`` / PHStatsMethods ``ph_dsr``
    (``dobson_lower`` / ``dobson_upper``):
    DSR + sqrt(var / O) * (Byars(O) - O) * multiplier, where O is the total
    count and var = sum(count * (standard / population)^2) / sum(standard)^2.
    Raises ``ValueError`` when the total count is below 10.
    """
    value, variance, total = _dsr_parts(counts, populations, standard_populations)
    return _dobson_limits(value, variance, total, z=z, multiplier=multiplier)


def _dobson_limits(
    value: float, variance: float, total: float, *, z: float, multiplier: float
) -> Interval:
    """DSR + sqrt(var / O) * (Byars(O) - O), scaled by ``multiplier``."""
    if total < DSR_MINIMUM_COUNT:
        raise ValueError(
            f"DSR not calculated: total count {total:g} is below {DSR_MINIMUM_COUNT}"
        )
    byars_low = byars_lower(total, z=z)
    if byars_low is None:
        raise _missing_byars_lower(total)
    scale = math.sqrt(variance / total) * multiplier
    lower = value * multiplier + scale * (byars_low - total)
    upper = value * multiplier + scale * (byars_upper(total, z=z) - total)
    return Interval(lower, upper)


def _non_independent_parts(
    persons_by_frequency: Mapping[float, Sequence[float | None]],
    populations: Sequence[float],
    standard_populations: Sequence[float],
) -> tuple[list[float], float]:
    """Return (events per age band, the DSR variance for non-independent events)."""
    if not persons_by_frequency:
        raise ValueError("a DSR for non-independent events needs event frequencies")
    events = [0.0] * len(populations)
    variances = []
    for frequency, persons in persons_by_frequency.items():
        if not (frequency > 0 and math.isfinite(frequency)):
            raise ValueError(f"event frequencies must be positive, got {frequency!r}")
        _, variance, _ = _dsr_parts(persons, populations, standard_populations)
        variances.append(variance * frequency**2)
        for band, people in enumerate(persons):
            events[band] += frequency * (0.0 if people is None else people)
    return events, math.fsum(variances)


def dsr_non_independent(
    persons_by_frequency: Mapping[float, Sequence[float | None]],
    populations: Sequence[float],
    standard_populations: Sequence[float],
    *,
    multiplier: float = 100_000,
) -> ConfidenceIntervals:
    """DSR with 95% and 99.8% limits for non-independent events.

    PHEindicatormethods ``calculate_dsr(independent_events = FALSE)``
    (R/DSR.R; Fingertips technical guidance, DSR chapter): the events may
    recur in the same person, so ``persons_by_frequency`` maps each event
    frequency f (1, 2, 3, ...) to the number of unique people with f events
    in each age band (aligned with ``populations`` and
    ``standard_populations``; None counts as 0).

    * events per age band = sum over f of f * persons;
    * value = the DSR of those events (as :func:`dsr_value`);
    * variance = sum over f of f^2 * var_f, where var_f is the Dobson DSR
      variance of the person counts with frequency f,
      sum(persons * (standard / population)^2) / sum(standard)^2;
    * limits = Dobson's method with that variance and Byar's limits for the
      total number of events (as :func:`dobson_dsr`).

    The value equals the independent-events DSR; the limits are wider when
    people have more than one event. Raises ``ValueError`` when the total
    number of events is below 10 (the reference returns NA).
    """
    events, variance = _non_independent_parts(
        persons_by_frequency, populations, standard_populations
    )
    value, _, total = _dsr_parts(events, populations, standard_populations)
    ci95, ci998 = (
        _dobson_limits(value, variance, total, z=z, multiplier=multiplier)
        for z in (Z95, Z998)
    )
    return ConfidenceIntervals(
        value * multiplier, ci95.lower, ci95.upper, ci998.lower, ci998.upper
    )


def confidence_intervals(
    value_type: str,
    *,
    numerator: float | None = None,
    denominator: float | None = None,
    multiplier: float | None = None,
    counts: Sequence[float | None] | None = None,
    populations: Sequence[float] | None = None,
    standard_populations: Sequence[float] | None = None,
) -> ConfidenceIntervals:
    """Value with 95% and 99.8% limits for a Fingertips value type.

    ``value_type`` is one of "proportion" (Wilson; ``numerator``,
    ``denominator``, ``multiplier`` default 100), "crude_rate" (exact/Byar's;
    ``numerator`` = count, ``denominator``, ``multiplier`` default 100,000),
    "count" (exact/Byar's on ``numerator``) or "dsr" (Dobson; ``counts``,
    ``populations``, ``standard_populations``, ``multiplier`` default
    100,000). Methods as PHEindicatormethods ``phe_proportion``, ``phe_rate``
    and ``phe_dsr`` with ``confidence = c(0.95, 0.998)``.
    """
    kind = ValueType(value_type)
    if kind is ValueType.DSR:
        if counts is None or populations is None or standard_populations is None:
            raise ValueError("dsr needs counts, populations and standard_populations")
        mult = 100_000 if multiplier is None else multiplier
        value = dsr_value(counts, populations, standard_populations, multiplier=mult)
        ci95, ci998 = (
            dobson_dsr(counts, populations, standard_populations, z=z, multiplier=mult)
            for z in (Z95, Z998)
        )
    elif kind is ValueType.COUNT:
        if numerator is None:
            raise ValueError("count needs numerator")
        value = numerator
        ci95, ci998 = (count_ci(numerator, z=z) for z in (Z95, Z998))
    elif kind in (ValueType.PROPORTION, ValueType.CRUDE_RATE):
        if numerator is None or denominator is None:
            raise ValueError(f"{kind} needs numerator and denominator")
        if kind is ValueType.PROPORTION:
            mult = 100 if multiplier is None else multiplier
            ci95, ci998 = (
                proportion_ci(numerator, denominator, z=z, multiplier=mult)
                for z in (Z95, Z998)
            )
        else:
            mult = 100_000 if multiplier is None else multiplier
            ci95, ci998 = (
                crude_rate_ci(numerator, denominator, z=z, multiplier=mult)
                for z in (Z95, Z998)
            )
        value = numerator / denominator * mult
    else:
        raise ValueError(f"no confidence-interval method for value type {kind!r}")
    return ConfidenceIntervals(value, ci95.lower, ci95.upper, ci998.lower, ci998.upper)
