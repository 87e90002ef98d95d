"""An output KPI's progress as the pages show it (ADR 32): the latest period,
the year to date against the pro-rata target with its judgement, a small chart
of the year's periods and what is overdue, as text ready for a template.

Pure: it shapes :class:`indicators.output_progress.OutputProgress` (the one
reader of KPI progress) and makes no query. The workstream progress page and
the KPI dashboard (page, fragment and CSV) both read it, so they say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indicators.formatting import format_value, unit_of
from indicators.models import Indicator
from indicators.output_progress import OutputProgress
from indicators.sparkline import Sparkline, sparkline
from indicators.statistics.year_to_date import TargetJudgement

NO_VALUES = "No values recorded yet"


@dataclass(frozen=True)
class OutputFigure:
    """One period of the year shown."""

    label: str
    value_text: str  # "No value" when none
    target_text: str  # "" when no target
    judgement: TargetJudgement | None
    overdue: bool
    has_value: bool

    @property
    def judgement_missing(self) -> str:
        """Why the period has no judgement ("" when it has one)."""
        if self.judgement is not None:
            return ""
        if self.overdue:
            return "Overdue"
        if not self.has_value:
            return "No value"
        return "No target" if not self.target_text else "Not judged"


@dataclass(frozen=True)
class OutputSummary:
    progress: OutputProgress
    latest_text: str  # the latest value of any year, or NO_VALUES
    latest_period: str  # its period's label, or ""
    year_label: str
    through: str  # the last period of the year with a value, or ""
    year_to_date_text: str  # "" when the year has no value
    year_to_date_target_text: str  # the pro-rata target, "" when none
    annual_target_text: str  # "" when no target is set for the year
    judgement: TargetJudgement | None  # the year to date against the target
    judgement_missing: str  # why there is no judgement ("" when there is one)
    sparkline: Sparkline
    figures: list[OutputFigure] = field(default_factory=list)

    @property
    def indicator(self) -> Indicator:
        return self.progress.indicator

    @property
    def has_values(self) -> bool:
        return self.progress.has_values

    @property
    def overdue(self) -> list[str]:
        return self.progress.overdue

    @property
    def overdue_text(self) -> str:
        """ "2026/27 Q2, 2026/27 Q3", or "" when nothing is overdue."""
        return ", ".join(self.progress.overdue)

    @property
    def year_to_date_words(self) -> str:
        """The year to date against the target in one phrase."""
        if not self.year_to_date_text:
            return f"No values for {self.year_label} yet"
        text = f"{self.year_to_date_text} to {self.through}"
        if self.year_to_date_target_text:
            text += f" against a target of {self.year_to_date_target_text}"
        return text


def judgement_missing_text(progress: OutputProgress) -> str:
    """Why the year to date has no judgement (or "" when it has one)."""
    if progress.year_to_date_judgement is not None:
        return ""
    if progress.annual_target is None:
        return f"No target set for {progress.year_label}"
    if progress.year_to_date is None:
        return f"No values for {progress.year_label} yet"
    if progress.indicator.polarity == Indicator.Polarity.NO_JUDGEMENT:
        return "Not judged (no better direction)"
    return "Not judged"


def output_summary(progress: OutputProgress) -> OutputSummary:
    """The texts, chart and rows the pages show for one KPI's ``progress``."""
    indicator = progress.indicator
    decimals, unit = indicator.display_decimals, unit_of(indicator)

    def text(number: float | None, blank: str = "") -> str:
        return format_value(number, decimals, unit, blank=blank)

    latest = progress.latest
    series = [
        (figure.period.label, figure.value.value if figure.value else None)
        for figure in progress.periods
    ]
    return OutputSummary(
        progress=progress,
        latest_text=text(latest.value) if latest else NO_VALUES,
        latest_period=latest.period.label if latest else "",
        year_label=progress.year_label,
        through=progress.through or "",
        year_to_date_text=text(progress.year_to_date),
        year_to_date_target_text=text(progress.year_to_date_target),
        annual_target_text=text(
            progress.annual_target.value if progress.annual_target else None
        ),
        judgement=progress.year_to_date_judgement,
        judgement_missing=judgement_missing_text(progress),
        sparkline=sparkline(series, decimals=decimals, unit=unit),
        figures=[
            OutputFigure(
                label=figure.period.label,
                value_text=text(
                    figure.value.value if figure.value else None, "No value"
                ),
                target_text=text(figure.target),
                judgement=figure.judgement,
                overdue=figure.overdue,
                has_value=figure.value is not None,
            )
            for figure in progress.periods
        ],
    )
