"""Life expectancy from deaths and populations by age band: pure functions.

Abridged life table by Chiang's method (Chiang II), with the variance of the
final, open-ended band by Silcocks et al., exactly as PHEindicatormethods
``phe_life_expectancy`` (R, ``R/LifeExpectancy.R``) and OHID's Life Expectancy
Calculator on Fingertips compute it:

* 20 age bands starting at 0, 1, 5, 10, ..., 85 and an open 90+ band (the
  reference's default ``age_contents``; other start ages are accepted as long as
  there are 20, the first is 0 and they ascend, as the reference allows);
* for band i with start age x_i: width n_i = x_{i+1} - x_i (the open band gets
  n = 2 / M), fraction of the band lived by those who die a_i = 0.1 for the
  band starting at 0 and 0.5 otherwise, death rate M_i = D_i / P_i;
* q_i = M_i n_i / (1 + M_i n_i (1 - a_i)), or 1 when D_i > P_i / n_i / a_i,
  and q = 1 in the open band; l_0 = 100,000 and l_{i+1} = l_i (1 - q_i);
  d_i = l_i - l_{i+1};
* person-years L_i = n_i (l_{i+1} + a_i d_i), and L = l / M in the open band;
  T_i = sum of L_j for j >= i; e_i = T_i / l_i (0 where l_i = 0);
* variance (Chiang): S_i^2 = q_i^2 (1 - q_i) / D_i (0 where d_i = 0), weighted
  W_i = S_i^2 l_i^2 ((1 - a_i) n_i + e_{i+1})^2; for the open band (Silcocks)
  S^2 = 4 / (D M^2) and W = (l / 2)^2 S^2; SE(e_i) = sqrt(sum_{j>=i} W_j) / l_i;
* limits e_i -/+ z SE(e_i) with z = qnorm(0.975) and qnorm(0.999).

The reference's validity rules are followed: the whole table is "not
calculable" (every value and limit missing) when any band has negative deaths,
a population of zero or less, more deaths than population, when there are not
exactly 20 bands, or when the total population is 5,000 or less. A life
expectancy at an age is suppressed (value missing, limits kept) when its 95 %
interval is wider than 20 years (qnorm(0.975) SE > 10), and it is missing when
the open band has no deaths (the value is infinite).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.statistics.confidence import Z95, Z998, _precise_z

#: Start ages of the standard bands: 0, 1-4, 5-9, ..., 85-89, 90+.
STANDARD_START_AGES: tuple[int, ...] = (0, 1, *range(5, 95, 5))
#: The reference needs exactly this many age bands.
NUMBER_OF_AGE_BANDS = 20
#: Tables whose total population is at or below this are not calculated.
MINIMUM_TOTAL_POPULATION = 5000
#: Radix of the life table (l_0).
RADIX = 100_000.0
#: A value is suppressed when qnorm(0.975) * SE exceeds this (a 95 % interval
#: wider than 20 years).
MAXIMUM_HALF_WIDTH_95 = 10.0
#: Name of the method, as the reference reports it.
METHOD = "Chiang, using Silcocks et al for confidence limits"


@dataclass(frozen=True)
class LifeExpectancyAtAge:
    """Life expectancy from one age band's start, with its limits.

    ``value`` is None when the table is not calculable, when the open band has
    no deaths, or when the 95 % interval is wider than 20 years (then
    ``suppressed`` is True and the limits are still given, as the reference).
    ``population_used`` / ``deaths_used`` are the totals over this band and
    every older one (the reference's ``pops_used`` / ``dths_used``).
    """

    start_age: int
    value: float | None
    standard_error: float | None
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    population_used: float
    deaths_used: float
    suppressed: bool = False


@dataclass(frozen=True)
class LifeTable:
    """Life expectancy at every band start; ``reason`` says why it is missing."""

    ages: tuple[LifeExpectancyAtAge, ...]
    reason: str | None = None
    method: str = METHOD

    @property
    def calculable(self) -> bool:
        """True unless a validity rule stopped the whole calculation."""
        return self.reason is None

    def at(self, start_age: int) -> LifeExpectancyAtAge:
        """The result for the band starting at ``start_age`` (KeyError if none)."""
        for row in self.ages:
            if row.start_age == start_age:
                return row
        raise KeyError(start_age)


def _check_ages(start_ages: Sequence[int]) -> None:
    if not start_ages or start_ages[0] != 0:
        raise ValueError("The first age band must start at 0")
    if list(start_ages) != sorted(start_ages) or len(set(start_ages)) != len(
        start_ages
    ):
        raise ValueError("Age bands must be given in ascending order of start age")


def _invalid_reason(
    deaths: Sequence[float], populations: Sequence[float]
) -> str | None:
    """The reference's suppression rules, in the order it applies them."""
    if any(d < 0 for d in deaths):
        return "some age bands have negative deaths"
    if any(p <= 0 for p in populations):
        return "some age bands have a zero or less population"
    if len(deaths) != NUMBER_OF_AGE_BANDS:
        return f"life expectancy needs exactly {NUMBER_OF_AGE_BANDS} age bands"
    if any(d > p for d, p in zip(deaths, populations, strict=True)):
        return "some age bands have more deaths than population"
    if math.fsum(populations) <= MINIMUM_TOTAL_POPULATION:
        return "the total population is 5,000 or less"
    return None


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def life_expectancy(
    deaths: Sequence[float],
    populations: Sequence[float],
    *,
    start_ages: Sequence[int] = STANDARD_START_AGES,
) -> LifeTable:
    """Life expectancy at each band start, as ``phe_life_expectancy`` (see module).

    ``deaths``, ``populations`` and ``start_ages`` are aligned, one entry per
    band, in any order (they are sorted by start age). Raises ``ValueError`` for
    arguments the reference rejects (lengths that differ, a first band not
    starting at 0, repeated start ages, a missing or non-finite number); data the
    reference suppresses gives a table whose values are all None, with a reason.
    """
    if not (len(deaths) == len(populations) == len(start_ages)):
        raise ValueError("deaths, populations and start_ages must have equal lengths")
    numbers = [*deaths, *populations]
    if any(x is None or not math.isfinite(x) for x in numbers):
        raise ValueError("Every age band needs finite deaths and population")
    order = sorted(range(len(start_ages)), key=lambda i: start_ages[i])
    ages = [int(start_ages[i]) for i in order]
    dths = [float(deaths[i]) for i in order]
    pops = [float(populations[i]) for i in order]
    _check_ages(ages)

    pops_used = [math.fsum(pops[i:]) for i in range(len(pops))]
    dths_used = [math.fsum(dths[i:]) for i in range(len(dths))]
    reason = _invalid_reason(dths, pops)
    if reason is not None:
        return LifeTable(
            tuple(
                LifeExpectancyAtAge(age, None, None, None, None, None, None, pu, du)
                for age, pu, du in zip(ages, pops_used, dths_used, strict=True)
            ),
            reason=reason,
        )
    return LifeTable(_chiang(ages, dths, pops, pops_used, dths_used))


def _chiang(
    ages: list[int],
    deaths: list[float],
    pops: list[float],
    pops_used: list[float],
    dths_used: list[float],
) -> tuple[LifeExpectancyAtAge, ...]:
    k = len(ages)
    last = k - 1
    rates = [d / p for d, p in zip(deaths, pops, strict=True)]
    fraction = [0.1 if age == 0 else 0.5 for age in ages]
    # Width of the open band: 2 / M (infinite when it has no deaths).
    width = [float(ages[i + 1] - ages[i]) for i in range(last)] + [
        2 / rates[last] if rates[last] > 0 else math.inf
    ]
    q = []
    for i in range(k):
        m, n, a = rates[i], width[i], fraction[i]
        if i < last and deaths[i] <= pops[i] / n / a:
            q.append(m * n / (1 + m * n * (1 - a)))
        else:
            q.append(1.0)
    survivors = [RADIX]
    for i in range(last):
        survivors.append(survivors[i] * (1 - q[i]))
    died = [survivors[i] - (survivors[i + 1] if i < last else 0.0) for i in range(k)]
    years = [width[i] * (survivors[i + 1] + fraction[i] * died[i]) for i in range(last)]
    years.append(survivors[last] / rates[last] if rates[last] > 0 else math.inf)
    totals = [math.fsum(years[i:]) for i in range(k)]
    expectancy = [
        t / alive if alive != 0 else 0.0
        for t, alive in zip(totals, survivors, strict=True)
    ]

    weighted = []
    for i in range(last):
        variance = 0.0 if died[i] == 0 else q[i] ** 2 * (1 - q[i]) / deaths[i]
        weighted.append(
            variance
            * survivors[i] ** 2
            * ((1 - fraction[i]) * width[i] + expectancy[i + 1]) ** 2
        )
    if deaths[last] > 0:
        open_variance = 4 / (deaths[last] * rates[last] ** 2)
        weighted.append((survivors[last] / 2) ** 2 * open_variance)
    else:
        weighted.append(math.inf)
    z95, z998 = _precise_z(Z95), _precise_z(Z998)

    rows = []
    for i in range(k):
        variance_sum = math.fsum(weighted[i:])
        if survivors[i] > 0 and math.isfinite(variance_sum):
            se: float | None = math.sqrt(variance_sum / survivors[i] ** 2)
        else:
            se = None
        value = _finite(expectancy[i])
        limits: list[float | None] = [None] * 4
        if value is not None and se is not None:
            limits = [value - z95 * se, value + z95 * se]
            limits += [value - z998 * se, value + z998 * se]
        suppressed = se is not None and z95 * se > MAXIMUM_HALF_WIDTH_95
        rows.append(
            LifeExpectancyAtAge(
                start_age=ages[i],
                value=None if suppressed else value,
                standard_error=se,
                lower95=limits[0],
                upper95=limits[1],
                lower998=limits[2],
                upper998=limits[3],
                population_used=pops_used[i],
                deaths_used=dths_used[i],
                suppressed=suppressed,
            )
        )
    return tuple(rows)
