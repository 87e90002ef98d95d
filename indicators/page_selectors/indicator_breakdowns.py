"""Breakdowns on the indicator page: groups within the place, with the gap.

Two kinds, both read for the place's headline sex and age:

* **category breakdowns** of the place's own values (deprivation deciles, ethnic
  groups, a "Ward" category...), from
  :func:`indicators.inequalities.indicator_inequalities` (one query), with the
  gap, the SII for deprivation quantiles (with its simulated limits and the RII,
  in plain words, for the latest period; ADR 47) and the gap trend;
* **wards** stored as areas of type ward whose parent is the place's area (as
  Fingertips publishes them), from the values the page already loaded (no query),
  with the gap and its trend worked out by the same statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indicators.assessment.series import normal_age, normal_sex
from indicators.formatting import (
    PERCENT,
    format_interval,
    format_number,
    indicator_value,
    unit_of,
)
from indicators.inequalities import (
    SII_METHOD,
    Breakdown,
    BreakdownPeriod,
    indicator_inequalities,
    quantile_word,
)
from indicators.models import Area, Indicator, IndicatorValue, Place
from indicators.statistics.inequality import (
    Group,
    SiiValueType,
    SimulatedSlopeIndex,
    gap_trend,
    inequality_gap,
)
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
    #: The SII with its simulated limits, the RII, significance and the method,
    #: in plain words; why none is given (deprivation quantiles only).
    sii_gap_text: str = ""
    sii_significance_text: str = ""
    sii_significant: bool | None = None
    sii_ratio_text: str = ""
    sii_method_text: str = ""
    sii_note: str = ""
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
    view.sii_note = latest.sii_note
    if latest.sii_limits is not None:
        _sii_words(view, indicator, quantile_word(breakdown.category_type), latest)
    return view


def _sii_words(
    view: BreakdownView, indicator: Indicator, quantile: str, latest: BreakdownPeriod
) -> None:
    """The SII, its limits and the RII in plain words, with how they were got."""
    simulated: SimulatedSlopeIndex = latest.sii_limits  # type: ignore[assignment]
    decimals = indicator.display_decimals
    unit = unit_of(indicator).strip()
    units = " percentage points" if unit.startswith(PERCENT) else f" {unit}".rstrip()

    def number(x: float) -> str:
        return format_number(x, decimals)

    # The SII is least minus most deprived: below 0, the most deprived are higher.
    sign = -1 if simulated.sii < 0 else 1
    direction = "higher" if sign < 0 else "lower"

    def gap_limits(confidence: float) -> str:
        limits = simulated.at(confidence)
        low, high = sorted((limits.sii_lower * sign, limits.sii_upper * sign))
        return (
            f"{confidence:.1%}".replace(".0%", "%")
            + f" limits {number(low)} to {number(high)}"
        )

    if number(simulated.sii * sign) == number(0):
        view.sii_gap_text = (
            f"There is no gap across deprivation {quantile}s at the precision "
            f"shown ({gap_limits(0.95)}; {gap_limits(0.998)})."
        )
    else:
        view.sii_gap_text = (
            f"The gap across deprivation {quantile}s is "
            f"{number(simulated.sii * sign)}{units}, {direction} at the most "
            f"deprived end ({gap_limits(0.95)}; {gap_limits(0.998)}). This is the "
            f"slope index of inequality (SII), {number(simulated.sii)}: the least "
            "deprived end of the population-weighted line through the "
            f"{quantile}s minus the most deprived end."
        )
    view.sii_significant = latest.sii_significant
    if view.sii_significant:
        view.sii_significance_text = (
            "The 95% limits do not include 0, so the gap is statistically significant."
        )
    else:
        view.sii_significance_text = (
            "The 95% limits include 0, so the gap is not statistically "
            "significant: it could be down to chance."
        )
    view.sii_ratio_text = _rii_words(simulated)
    view.sii_method_text = _method_words(simulated, quantile)


def _rii_words(simulated: SimulatedSlopeIndex) -> str:
    rii = simulated.rii
    limits = simulated.at(0.95)
    if rii is None or limits.rii_lower is None or limits.rii_upper is None:
        return (
            "No relative index of inequality (RII) is given: the line's value at "
            "the most deprived end is 0."
        )
    index = (
        f"relative index of inequality (RII, the least deprived end over the most "
        f"deprived end) {rii:.2f} (95% limits {limits.rii_lower:.2f} to "
        f"{limits.rii_upper:.2f})"
    )
    if not (rii > 0 and limits.rii_lower > 0 and limits.rii_upper > 0):
        return f"The {index}."
    if rii < 1:
        return (
            f"On the line, the most deprived end's value is {1 / rii:.1f} times the "
            f"least deprived end's (95% limits {1 / limits.rii_upper:.1f} to "
            f"{1 / limits.rii_lower:.1f}): {index}."
        )
    return (
        f"On the line, the least deprived end's value is {rii:.1f} times the most "
        f"deprived end's (95% limits {limits.rii_lower:.1f} to "
        f"{limits.rii_upper:.1f}): {index}."
    )


def _method_words(simulated: SimulatedSlopeIndex, quantile: str) -> str:
    scale = (
        {
            SiiValueType.PROPORTION: " on the logit scale (as for a proportion)",
            SiiValueType.RATE: " on the log scale (as for a rate)",
        }.get(simulated.value_type, "")
        if simulated.transform
        else ""
    )
    return (
        f"The limits are simulated, as {SII_METHOD} does: the SII is worked out "
        f"again {simulated.repetitions:,} times, each time drawing every "
        f"{quantile}'s value at random from a normal distribution with the spread "
        f"its 95% confidence interval implies{scale}; the middle 95% and 99.8% of "
        f"those results are the limits. phe_sii's default is 100,000 repetitions; "
        f"{simulated.repetitions:,} keep this page quick, so a limit may differ "
        "slightly from R's. The draws start from a fixed seed "
        f"({simulated.seed}), so the figures are the same on every visit."
    )


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
        indicator=indicator,
        area_id=place.area_id,
        sex=sex,
        age=age,
        sii_limits_periods=1,  # the page shows the latest period's
    )
    wards = _ward_breakdown(indicator, place, values, sex, age)
    if wards is not None:
        breakdowns.append(wards)
    views = [_view(indicator, b) for b in breakdowns]
    return [v for v in views if v is not None]
