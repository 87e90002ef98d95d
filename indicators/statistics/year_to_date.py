"""Year to date against a pro-rata target: the rule for output KPIs (ADR 32).

Pure functions over plain numbers. Pentana's performance-indicator rule:

- A KPI counted per period (``sum``) has a year-to-date figure equal to the sum
  of the year's periods recorded so far; its annual target is pro-rated to the
  periods covered (``annual × periods / periods in the year``), and so is an
  absolute tolerance. A KPI whose periods are each a level (``latest``, e.g. a
  percentage) has the latest period as its year to date and is judged against
  the annual target itself.
- The judgement is :func:`indicators.statistics.targets.target_rag` in words:
  green "On target", amber "Within tolerance", red "Off target".
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.statistics.targets import target_rag
from indicators.statistics.types import Rag

SUM = "sum"
LATEST = "latest"  # the values of Indicator.YearToDate (tests check)


class TargetStatus(enum.StrEnum):
    ON_TARGET = "on_target"
    WITHIN_TOLERANCE = "within_tolerance"
    OFF_TARGET = "off_target"


WORDS = {
    TargetStatus.ON_TARGET: "On target",
    TargetStatus.WITHIN_TOLERANCE: "Within tolerance",
    TargetStatus.OFF_TARGET: "Off target",
}
#: The shape shown beside the words (`marmot-rag--<shape>`), as RAG elsewhere.
SHAPES = {
    TargetStatus.ON_TARGET: "green",
    TargetStatus.WITHIN_TOLERANCE: "amber",
    TargetStatus.OFF_TARGET: "red",
}
_FROM_RAG = {
    Rag.GREEN: TargetStatus.ON_TARGET,
    Rag.AMBER: TargetStatus.WITHIN_TOLERANCE,
    Rag.RED: TargetStatus.OFF_TARGET,
}


@dataclass(frozen=True)
class TargetJudgement:
    value: float
    target: float
    tolerance: float  # in value units, after pro-rating
    status: TargetStatus

    @property
    def words(self) -> str:
        return WORDS[self.status]

    @property
    def shape(self) -> str:
        return SHAPES[self.status]


def year_to_date_value(values: Sequence[float], aggregation: str) -> float | None:
    """The year-to-date figure of the year's recorded values, oldest first."""
    if not values:
        return None
    return float(sum(values)) if aggregation == SUM else float(values[-1])


def pro_rata(
    annual: float, *, periods_covered: int, periods_in_year: int, aggregation: str
) -> float:
    """The share of an annual figure due after ``periods_covered`` periods."""
    if periods_in_year < 1 or not 0 <= periods_covered <= periods_in_year:
        raise ValueError("periods_covered must be between 0 and periods_in_year")
    if aggregation != SUM:
        return annual
    return annual * periods_covered / periods_in_year


def target_judgement(
    *,
    value: float,
    target: float,
    polarity: str,
    tolerance: float,
    tolerance_is_percent: bool,
) -> TargetJudgement:
    """Judge ``value`` against ``target`` with a tolerance (percent of the
    target, or in value units), Pentana's inclusive boundaries."""
    allowed = abs(target) * tolerance / 100 if tolerance_is_percent else tolerance
    rag = target_rag(
        value=value,
        target=target,
        polarity=polarity,
        amber_tolerance=allowed,
        tolerance_is_percent=False,
    )
    return TargetJudgement(value, target, allowed, _FROM_RAG[rag])


def year_to_date_judgement(
    *,
    values: Sequence[float],
    periods_covered: int,
    periods_in_year: int,
    aggregation: str,
    annual_target: float,
    polarity: str,
    tolerance: float,
    tolerance_is_percent: bool,
) -> TargetJudgement | None:
    """The year to date against the pro-rata annual target (None without values).

    An absolute tolerance is pro-rated with the target; a percentage one is a
    percentage of the pro-rata target already."""
    ytd = year_to_date_value(values, aggregation)
    if ytd is None or periods_covered < 1:
        return None
    share = {"periods_in_year": periods_in_year, "aggregation": aggregation}
    target = pro_rata(annual_target, periods_covered=periods_covered, **share)
    if not tolerance_is_percent:
        tolerance = pro_rata(tolerance, periods_covered=periods_covered, **share)
    return target_judgement(
        value=ytd,
        target=target,
        polarity=polarity,
        tolerance=tolerance,
        tolerance_is_percent=tolerance_is_percent,
    )
