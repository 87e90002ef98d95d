"""Breakdowns on the indicator page: groups within the place, with the gap.

Two kinds, both read for the place's headline sex and age:

* **category breakdowns** of the place's own values (deprivation deciles, ethnic
  groups, a "Ward" category...), from
  :func:`indicators.inequalities.indicator_inequalities` (one query), with the
  gap, the SII for deprivation quantiles and the gap trend;
* **wards** stored as areas of type ward whose parent is the place's area (as
  Fingertips publishes them), from the values the page already loaded (no query),
  with the gap and its trend worked out by the same statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indicators.assessment.series import normal_age, normal_sex
from indicators.formatting import format_interval, indicator_value
from indicators.inequalities import Breakdown, BreakdownPeriod, indicator_inequalities
from indicators.models import Area, Indicator, IndicatorValue, Place
from indicators.statistics.inequality import Group, gap_trend, inequality_gap
from indicators.statistics.types import GapTrend

#: As :func:`indicators.statistics.inequality.gap_trend`'s defaults.
GAP_TREND_WINDOW = 5
GAP_TREND_MIN_POINTS = 3
WARDS = "Wards"


@dataclass
class GroupRow:
    label: str
    value_text: str
    interval_text: str
    is_best: bool = False
    is_worst: bool = False
    #: No figure, only the words published (value_text holds them).
    is_published_words: bool = False
    note: str = ""


@dataclass
class BreakdownView:
    """One breakdown for the latest period, and what its gap has done over time."""

    title: str
    period: str
    rows: list[GroupRow] = field(default_factory=list)
    gap_text: str = ""
    sii_text: str = ""
    trend: str = GapTrend.NO_CLEAR_CHANGE
    trend_text: str = ""
    periods: int = 0
    sources: list[str] = field(default_factory=list)


def _ward_breakdown(
    indicator: Indicator, place: Place, values: list[IndicatorValue], sex: str, age: str
) -> Breakdown | None:
    wanted = (normal_sex(sex), normal_age(age))
    rows = [
        v
        for v in values
        if v.area.area_type == Area.Type.WARD
        and v.area.parent_id == place.area_id
        and (normal_sex(v.sex), normal_age(v.age)) == wanted
    ]
    if not rows:
        return None
    periods: dict[tuple, list[IndicatorValue]] = {}
    for row in rows:
        key = (row.period.sort_key, row.period.ends_on, row.period.label)
        periods.setdefault(key, []).append(row)
    breakdown = Breakdown(category_type=WARDS)
    judged = indicator.polarity != Indicator.Polarity.NO_JUDGEMENT
    for (sort_key, _, label), members in sorted(periods.items()):
        groups = [
            Group(
                label=v.area.name,
                value=v.value,
                population=v.denominator,
                lower95=v.lower95,
                upper95=v.upper95,
            )
            for v in sorted(members, key=lambda v: v.area.name)
        ]
        entry = BreakdownPeriod(label, sort_key, groups)
        if judged and sum(g.value is not None for g in groups) >= 2:
            entry.gap = inequality_gap(
                groups, polarity=indicator.polarity, decimals=indicator.display_decimals
            )
        breakdown.periods.append(entry)
    breakdown.gap_trend = gap_trend(
        [p.gap.absolute_gap if p.gap else None for p in breakdown.periods]
    )
    return breakdown


def _trend_text(breakdown: Breakdown, gaps: int) -> str:
    if gaps < GAP_TREND_MIN_POINTS:
        return (
            f"There are too few periods with a gap ({gaps}; at least "
            f"{GAP_TREND_MIN_POINTS} are needed) to say whether it is narrowing "
            "or widening."
        )
    considered = min(gaps, GAP_TREND_WINDOW)
    if breakdown.gap_trend == GapTrend.NARROWING:
        return f"The gap is narrowing over the last {considered} periods."
    if breakdown.gap_trend == GapTrend.WIDENING:
        return f"The gap is widening over the last {considered} periods."
    return f"The gap shows no clear change over the last {considered} periods."


def _view(indicator: Indicator, breakdown: Breakdown) -> BreakdownView | None:
    latest = breakdown.latest
    if latest is None:
        return None
    view = BreakdownView(title=breakdown.category_type, period=latest.period_label)
    groups = latest.groups
    if all(g.rank is not None for g in groups):
        groups = sorted(groups, key=lambda g: g.rank)
    published = {row.category: row for row in latest.rows}
    for group in groups:
        row = published.get(group.label)
        words = group.value is None and bool(row and row.published_text)
        view.rows.append(
            GroupRow(
                label=group.label,
                value_text=row.published_text
                if words
                else indicator_value(group.value, indicator, blank="No value"),
                interval_text=format_interval(group.lower95, group.upper95, indicator),
                is_best=bool(latest.gap and latest.gap.best is group),
                is_worst=bool(latest.gap and latest.gap.worst is group),
                is_published_words=words,
                note=row.value_note if row else "",
            )
        )
    view.sources = sorted({row.source for row in latest.rows if row.source})
    gaps = sum(p.gap is not None for p in breakdown.periods)
    view.periods = len(breakdown.periods)
    view.trend = breakdown.gap_trend
    if indicator.polarity == Indicator.Polarity.NO_JUDGEMENT:
        view.gap_text = (
            "No gap is given: for this measure neither a higher nor a lower value "
            "is better, so there is no best or worst group."
        )
        view.trend_text = ""
    elif latest.gap is None and all(row.is_published_words for row in view.rows):
        view.gap_text = (
            "The source gives these groups in words, not figures, so no gap "
            "can be worked out."
        )
    elif latest.gap is None:
        view.gap_text = f"Fewer than two groups have a value in {latest.period_label}."
        view.trend_text = _trend_text(breakdown, gaps)
    else:
        view.gap_text = latest.gap.explanation
        view.trend_text = _trend_text(breakdown, gaps)
    if latest.sii is not None:
        view.sii_text = latest.sii.explanation
    return view


def breakdown_views(
    *,
    indicator: Indicator,
    place: Place,
    values: list[IndicatorValue],
    sex: str,
    age: str,
) -> list[BreakdownView]:
    """Every breakdown of the indicator in the place (one query)."""
    breakdowns = indicator_inequalities(
        indicator=indicator, area_id=place.area_id, sex=sex, age=age
    )
    wards = _ward_breakdown(indicator, place, values, sex, age)
    if wards is not None:
        breakdowns.append(wards)
    views = [_view(indicator, b) for b in breakdowns]
    return [v for v in views if v is not None]
