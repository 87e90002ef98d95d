"""Shared vocabulary for the indicator statistics package.

Pure Python (standard library only): enums for polarity, benchmark comparison,
trend labels and RAG ratings, plus small frozen dataclasses used as return
values by the other modules of :mod:`indicators.statistics`.

The string values mirror the wording used by OHID Fingertips so that they can
be stored and displayed unchanged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Polarity(enum.StrEnum):
    """Whether a higher indicator value is good, bad or neither (Fingertips)."""

    HIGH_IS_GOOD = "high_is_good"
    LOW_IS_GOOD = "low_is_good"
    NO_JUDGEMENT = "no_judgement"


class ComparisonResult(enum.StrEnum):
    """Outcome of comparing an area with a benchmark (Fingertips colours)."""

    BETTER = "better"
    SIMILAR = "similar"
    WORSE = "worse"
    HIGHER = "higher"
    LOWER = "lower"
    NOT_COMPARED = "not_compared"


class TrendLabel(enum.StrEnum):
    """Fingertips recent-trend labels, worded exactly as published."""

    INCREASING_BETTER = "Increasing and getting better"
    INCREASING_WORSE = "Increasing and getting worse"
    DECREASING_BETTER = "Decreasing and getting better"
    DECREASING_WORSE = "Decreasing and getting worse"
    INCREASING = "Increasing"
    DECREASING = "Decreasing"
    NO_SIGNIFICANT_CHANGE = "No significant change"
    CANNOT_BE_CALCULATED = "Cannot be calculated"


class Rag(enum.StrEnum):
    """Red / amber / green rating."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class ValueType(enum.StrEnum):
    """Indicator value types understood by the confidence-interval helpers."""

    PROPORTION = "proportion"
    CRUDE_RATE = "crude_rate"
    COUNT = "count"
    DSR = "dsr"
    OTHER = "other"


class GapTrend(enum.StrEnum):
    """Direction of an inequality gap over time (simple rule, not a test)."""

    NARROWING = "narrowing"
    WIDENING = "widening"
    NO_CLEAR_CHANGE = "no clear change"


@dataclass(frozen=True)
class Interval:
    """A closed confidence interval ``[lower, upper]``."""

    lower: float
    upper: float

    def __post_init__(self) -> None:
        if self.lower > self.upper:
            raise ValueError(
                f"Interval lower limit {self.lower} is above upper limit {self.upper}"
            )

    def contains(self, x: float) -> bool:
        """Return True when ``x`` lies inside the interval (limits included)."""
        return self.lower <= x <= self.upper


@dataclass(frozen=True)
class ConfidenceIntervals:
    """An indicator value with its 95% and 99.8% confidence limits."""

    value: float
    lower95: float
    upper95: float
    lower998: float
    upper998: float

    @property
    def ci95(self) -> Interval:
        """The 95% limits as an :class:`Interval`."""
        return Interval(self.lower95, self.upper95)

    @property
    def ci998(self) -> Interval:
        """The 99.8% limits as an :class:`Interval`."""
        return Interval(self.lower998, self.upper998)


@dataclass(frozen=True)
class Comparison:
    """Result of a benchmark comparison.

    ``level`` is 95.0 or 99.8 when the difference is significant at that level
    and ``None`` otherwise (similar, not compared, or a published assessment).
    ``explanation`` is a plain-English sentence suitable for an officer.
    """

    result: ComparisonResult
    level: float | None
    explanation: str
