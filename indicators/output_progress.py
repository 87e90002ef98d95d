"""Where each output KPI stands: its year's periods, the year to date against
the pro-rata target, the latest period against its target, and what is overdue
(ADR 32). The one reader for the progress page, the dashboard, the API, the
reminders and the on-track rule.

Two queries whatever the number of KPIs: their place values (with periods) and
their place targets (with periods). The arithmetic is
`indicators.statistics.year_to_date`; the calendar is
`indicators.reporting_periods`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue, Target
from indicators.reporting_periods import (
    PERIODS_IN_YEAR,
    ReportingPeriod,
    due_periods,
    financial_year_label,
    financial_year_of,
    financial_year_start,
    open_period,
    year_periods,
)
from indicators.statistics.year_to_date import (
    TargetJudgement,
    pro_rata,
    target_judgement,
    year_to_date_judgement,
    year_to_date_value,
)


@dataclass(frozen=True)
class PeriodFigure:
    period: ReportingPeriod
    value: IndicatorValue | None
    target: float | None  # the period's own target, or the pro-rata annual one
    judgement: TargetJudgement | None
    overdue: bool


@dataclass(frozen=True)
class OutputProgress:
    indicator: Indicator
    year_label: str  # the financial year shown
    periods: list[PeriodFigure] = field(default_factory=list)
    latest: IndicatorValue | None = None  # latest value of any year
    year_to_date: float | None = None
    through: str | None = None  # the last period of the year with a value
    annual_target: Target | None = None
    year_to_date_target: float | None = None
    year_to_date_judgement: TargetJudgement | None = None
    latest_judgement: TargetJudgement | None = None
    overdue: list[str] = field(default_factory=list)  # labels, oldest first

    @property
    def has_values(self) -> bool:
        return self.latest is not None

    @property
    def is_judged(self) -> bool:
        return self.year_to_date_judgement is not None


def _judge(value: float, target: Target | None, amount: float | None, polarity):
    if target is None or amount is None or polarity == Indicator.Polarity.NO_JUDGEMENT:
        return None
    return target_judgement(
        value=value,
        target=amount,
        polarity=polarity,
        tolerance=target.amber_tolerance,
        tolerance_is_percent=target.tolerance_is_percent,
    )


def output_progress(
    indicators: Iterable[Indicator],
    *,
    area_id: int | None,
    today: dt.date | None = None,
    due_days: int | None = None,
    year_label: str | None = None,
) -> dict[int, OutputProgress]:
    """Each indicator's progress (by id), for the place's area ``area_id``.

    The year shown is ``year_label`` if given, else the financial year of the
    indicator's latest value, else the year of the period open now. Overdue
    periods (every year since values were expected) ended more than
    ``due_days`` (default ``settings.KPI_DUE_DAYS``) days before ``today``
    without a value."""
    today = today or timezone.localdate()
    due_days = settings.KPI_DUE_DAYS if due_days is None else due_days
    indicators = list(indicators)
    values, targets = _read([i.pk for i in indicators], area_id)
    return {
        i.pk: _progress(i, values[i.pk], targets[i.pk], today, due_days, year_label)
        for i in indicators
    }


def output_progress_years(
    indicator: Indicator,
    *,
    area_id: int | None,
    today: dt.date | None = None,
    due_days: int | None = None,
) -> dict[str, OutputProgress]:
    """One indicator's progress in each financial year it has a value or a
    target in (year label -> progress, oldest first), for its whole history
    (the indicator page's downloads). Two queries, whatever the years."""
    today = today or timezone.localdate()
    due_days = settings.KPI_DUE_DAYS if due_days is None else due_days
    values, targets = _read([indicator.pk], area_id)
    mine, aims = values[indicator.pk], targets[indicator.pk]
    years = {financial_year_of(label) for label in [*mine, *aims]} - {None}
    return {
        year: _progress(indicator, mine, aims, today, due_days, year)
        for year in sorted(years)
    }


def _read(ids: list[int], area_id: int | None):
    """The indicators' place values (by period label, oldest first) and
    targets (by period label): two queries, none without ids or area."""
    values: dict[int, dict[str, IndicatorValue]] = defaultdict(dict)
    targets: dict[int, dict[str, Target]] = defaultdict(dict)
    if area_id is not None and ids:
        for row in (
            IndicatorValue.objects.filter(
                indicator_id__in=ids,
                area_id=area_id,
                sex="",
                age="",
                category_type="",
                value__isnull=False,
            )
            .select_related("period")
            .order_by("period__sort_key")
        ):
            values[row.indicator_id][row.period.label] = row
        for target in Target.objects.filter(
            indicator_id__in=ids, area_id=area_id
        ).select_related("period"):
            targets[target.indicator_id][target.period.label] = target
    return values, targets


def _progress(
    indicator: Indicator,
    values: dict[str, IndicatorValue],
    targets: dict[str, Target],
    today: dt.date,
    due_days: int,
    year_label: str | None,
) -> OutputProgress:
    frequency = indicator.update_frequency
    latest = list(values.values())[-1] if values else None
    if year_label is None:
        year_label = financial_year_of(latest.period.label) if latest else None
    if year_label is None:
        now = open_period(frequency, today)
        year_label = (
            now.year_label if now else financial_year_label(financial_year_start(today))
        )
    overdue = [
        p.label
        for p in due_periods(
            frequency=frequency,
            expected_from=indicator.values_expected_from,
            retired_on=indicator.retired_on,
            today=today,
            due_days=due_days,
        )
        if p.label not in values
    ]
    periods = year_periods(frequency, int(year_label[:4]))
    in_year = len(periods)
    annual = targets.get(year_label)
    aggregation = indicator.year_to_date
    polarity = indicator.polarity
    figures = []
    recorded: list[float] = []
    covered = 0
    for period in periods:
        value = values.get(period.label)
        own = targets.get(period.label)
        if own is not None and own.period.label != year_label:
            amount, judged_by = own.value, own
        elif annual is not None and in_year:
            amount = pro_rata(
                annual.value,
                periods_covered=1,
                periods_in_year=in_year,
                aggregation=aggregation,
            )
            judged_by = annual
        else:
            amount, judged_by = None, None
        if value is not None:
            recorded.append(value.value)
            covered = period.position
        figures.append(
            PeriodFigure(
                period=period,
                value=value,
                target=amount,
                judgement=(
                    _judge(value.value, judged_by, amount, polarity) if value else None
                ),
                overdue=period.label in overdue,
            )
        )
    ytd_judgement = None
    ytd_target = None
    if annual is not None and covered and polarity != Indicator.Polarity.NO_JUDGEMENT:
        ytd_judgement = year_to_date_judgement(
            values=recorded,
            periods_covered=covered,
            periods_in_year=PERIODS_IN_YEAR.get(frequency, in_year) or 1,
            aggregation=aggregation,
            annual_target=annual.value,
            polarity=polarity,
            tolerance=annual.amber_tolerance,
            tolerance_is_percent=annual.tolerance_is_percent,
        )
        ytd_target = ytd_judgement.target if ytd_judgement else None
    elif annual is not None and covered:
        ytd_target = pro_rata(
            annual.value,
            periods_covered=covered,
            periods_in_year=in_year,
            aggregation=aggregation,
        )
    last_in_year = next((f for f in reversed(figures) if f.value is not None), None)
    return OutputProgress(
        indicator=indicator,
        year_label=year_label,
        periods=figures,
        latest=latest,
        year_to_date=year_to_date_value(recorded, aggregation),
        through=last_in_year.period.label if last_in_year else None,
        annual_target=annual,
        year_to_date_target=ytd_target,
        year_to_date_judgement=ytd_judgement,
        latest_judgement=last_in_year.judgement if last_in_year else None,
        overdue=overdue,
    )
