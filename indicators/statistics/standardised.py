"""Indirectly standardised ratios (SMRs) and rates, with 95% and 99.8% limits.

Reproduces PHEindicatormethods (R) ``calculate_ISRatio`` / ``calculate_ISRate``
(R/ISRatio.R, R/ISRate.R) and PHStatsMethods ``ph_ISRatio`` / ``ph_ISRate``:

* expected events = sum over age bands of
  reference count / reference population * local population
  (missing reference counts and local populations count as 0);
* observed events = the sum of the local counts by age band (missing counts
  are ignored), or a total supplied on its own when the counts are not
  broken down by age;
* ratio = observed / expected * ``refvalue`` (1 for a ratio, 100 for an SMR
  expressed as a percentage);
* rate = observed / expected * the crude reference rate, where the reference
  rate = sum(reference counts) / sum(reference populations) * ``multiplier``;
* limits: exact Poisson limits for the observed count below 10, Byar's method
  from 10 (:func:`indicators.statistics.confidence.count_ci`), divided by the
  expected count and scaled as the value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.statistics.confidence import (
    BYARS_MINIMUM_COUNT,
    Z95,
    Z998,
    count_ci,
)
from indicators.statistics.types import ConfidenceIntervals

#: Names of the limit methods, worded as the reference's ``method`` column.
EXACT = "Exact"
BYARS = "Byars"


@dataclass(frozen=True)
class IndirectlyStandardised:
    """An indirectly standardised ratio or rate with its inputs and limits.

    ``method`` says which method made the limits ("Exact" below 10 observed
    events, "Byars" from 10); ``reference_rate`` is the crude reference rate
    per multiplier for a rate, ``None`` for a ratio.
    """

    observed: float
    expected: float
    intervals: ConfidenceIntervals
    method: str
    reference_rate: float | None = None

    @property
    def value(self) -> float:
        """The ratio or rate itself."""
        return self.intervals.value


def _zero_if_missing(x: float | None) -> float:
    return 0.0 if x is None else x


def expected_events(
    populations: Sequence[float | None],
    reference_counts: Sequence[float | None],
    reference_populations: Sequence[float],
) -> float:
    """Expected events: sum(reference count / reference population * population).

    As ``calculate_ISRatio``'s ``exp_x``: missing (``None``) reference counts
    and local populations count as 0; each sequence is one value per age band,
    in the same order.
    """
    if not len(populations) == len(reference_counts) == len(reference_populations):
        raise ValueError(
            "populations, reference counts and reference populations differ in length"
        )
    if not populations:
        raise ValueError("indirect standardisation needs at least one age band")
    terms = []
    for population, ref_count, ref_population in zip(
        populations, reference_counts, reference_populations, strict=True
    ):
        local = _zero_if_missing(population)
        count = _zero_if_missing(ref_count)
        if not (local >= 0 and math.isfinite(local)):
            raise ValueError(f"populations must be zero or more, got {population!r}")
        if not (count >= 0 and math.isfinite(count)):
            raise ValueError(
                f"reference counts must be zero or more, got {ref_count!r}"
            )
        if not (ref_population > 0 and math.isfinite(ref_population)):
            raise ValueError(
                f"reference populations must be greater than zero, got "
                f"{ref_population!r}"
            )
        terms.append(count / ref_population * local)
    return math.fsum(terms)


def _observed_total(observed: float | Sequence[float | None]) -> float:
    if isinstance(observed, str | bytes):
        raise ValueError("observed events must be a number or a list of numbers")
    if isinstance(observed, Sequence):
        total = math.fsum(x for x in observed if x is not None)
        if any(x is not None and x < 0 for x in observed):
            raise ValueError("observed counts must be zero or more")
    else:
        total = observed
    if not (total >= 0 and math.isfinite(total)):
        raise ValueError(f"observed events must be zero or more, got {total!r}")
    return total


def _standardise(
    observed: float | Sequence[float | None],
    populations: Sequence[float | None],
    reference_counts: Sequence[float | None],
    reference_populations: Sequence[float],
    *,
    scale: float,
    reference_rate: float | None,
) -> IndirectlyStandardised:
    total = _observed_total(observed)
    if isinstance(observed, Sequence) and len(observed) != len(populations):
        raise ValueError("observed counts and populations differ in length")
    expected = expected_events(populations, reference_counts, reference_populations)
    if not expected > 0:
        raise ValueError("expected events must be greater than zero")
    factor = scale / expected
    ci95, ci998 = (count_ci(total, z=z) for z in (Z95, Z998))
    intervals = ConfidenceIntervals(
        total * factor,
        ci95.lower * factor,
        ci95.upper * factor,
        ci998.lower * factor,
        ci998.upper * factor,
    )
    method = EXACT if total < BYARS_MINIMUM_COUNT else BYARS
    return IndirectlyStandardised(total, expected, intervals, method, reference_rate)


def indirectly_standardised_ratio(
    *,
    observed: float | Sequence[float | None],
    populations: Sequence[float | None],
    reference_counts: Sequence[float | None],
    reference_populations: Sequence[float],
    refvalue: float = 1.0,
) -> IndirectlyStandardised:
    """Indirectly standardised ratio (SMR) with 95% and 99.8% limits.

    As PHEindicatormethods ``calculate_ISRatio`` with
    ``confidence = c(0.95, 0.998)``: value = observed / expected * refvalue,
    limits exact (observed < 10) or Byar's, over expected, times refvalue.
    ``observed`` is either the local counts by age band or their total.
    """
    if not (refvalue > 0 and math.isfinite(refvalue)):
        raise ValueError(f"refvalue must be greater than zero, got {refvalue!r}")
    return _standardise(
        observed,
        populations,
        reference_counts,
        reference_populations,
        scale=refvalue,
        reference_rate=None,
    )


def indirectly_standardised_rate(
    *,
    observed: float | Sequence[float | None],
    populations: Sequence[float | None],
    reference_counts: Sequence[float | None],
    reference_populations: Sequence[float],
    multiplier: float = 100_000,
) -> IndirectlyStandardised:
    """Indirectly standardised rate per ``multiplier`` with 95% and 99.8% limits.

    As PHEindicatormethods ``calculate_ISRate``: the ratio observed / expected
    times the crude reference rate, sum(reference counts, missing ignored) /
    sum(reference populations) * multiplier; limits scaled the same way.
    """
    if not (multiplier > 0 and math.isfinite(multiplier)):
        raise ValueError(f"multiplier must be greater than zero, got {multiplier!r}")
    if not reference_populations:
        raise ValueError("indirect standardisation needs at least one age band")
    reference_rate = (
        math.fsum(x for x in reference_counts if x is not None)
        / math.fsum(reference_populations)
        * multiplier
    )
    return _standardise(
        observed,
        populations,
        reference_counts,
        reference_populations,
        scale=reference_rate,
        reference_rate=reference_rate,
    )
