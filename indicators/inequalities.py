"""Inequality gaps within the place: by ward, deprivation decile, ethnic group...

Reads breakdown values (rows with a category type) for one indicator and area and
returns, for each breakdown type and period, the gap between the best and worst
groups, the slope index of inequality where the groups are deprivation quantiles,
and whether the gap is narrowing or widening over time. The arithmetic is in
`indicators.statistics.inequality`; this module only gathers the rows.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from indicators.models import Indicator, IndicatorValue
from indicators.statistics.inequality import (
    Group,
    InequalityGap,
    SlopeIndex,
    gap_trend,
    inequality_gap,
    slope_index_of_inequality,
)
from indicators.statistics.types import GapTrend

_QUANTILE_TYPE = re.compile(r"\b(decile|quintile|quartile)s?\b", re.IGNORECASE)
_ORDINALS = {
    "most": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_QUANTILE_SIZE = {"decile": 10, "quintile": 5, "quartile": 4}


def is_deprivation_quantile(category_type: str) -> bool:
    """True for breakdowns by deprivation decile, quintile or quartile."""
    return bool(_QUANTILE_TYPE.search(category_type))


def quantile_rank(category: str, category_type: str) -> int | None:
    """Rank a deprivation quantile, 1 = most deprived.

    Understands Fingertips' wording ("Most deprived decile (IMD2019)",
    "Third more deprived decile", "Fifth less deprived decile", "Least deprived
    quintile") and plain numbers ("Decile 3", where 1 is the most deprived);
    anything else is None.
    """
    match = _QUANTILE_TYPE.search(category_type)
    size = _QUANTILE_SIZE[match.group(1).lower()] if match else 10
    text = re.sub(r"\(.*?\)", " ", category.lower())
    words = re.findall(r"[a-z]+", text)
    for end, from_least in (
        ("least", True),
        ("less", True),
        ("most", False),
        ("more", False),
    ):
        if end in words:
            position = words.index(end)
            ordinal = _ORDINALS.get(words[position - 1], 1) if position else 1
            return size - ordinal + 1 if from_least else ordinal
    number = re.search(r"\d+", text)
    if number and 1 <= int(number.group()) <= size:
        return int(number.group())
    return None


@dataclass
class BreakdownPeriod:
    period_label: str
    sort_key: int
    groups: list[Group]
    gap: InequalityGap | None = None
    sii: SlopeIndex | None = None
    #: The values read, in the groups' order: their published words, notes
    #: and sources (a group may have no figure, only the words published).
    rows: list[IndicatorValue] = field(default_factory=list)


@dataclass
class Breakdown:
    category_type: str
    periods: list[BreakdownPeriod] = field(default_factory=list)
    gap_trend: GapTrend = GapTrend.NO_CLEAR_CHANGE

    @property
    def latest(self) -> BreakdownPeriod | None:
        return self.periods[-1] if self.periods else None


def indicator_inequalities(
    *, indicator: Indicator, area_id: int, sex: str = "", age: str = ""
) -> list[Breakdown]:
    """Every breakdown of this indicator in this area, with gaps over time.

    One query. No gap is given for a "no judgement" indicator (best and worst
    are undefined). The SII uses each group's denominator as its population and is
    given only for deprivation quantiles with a denominator for every group.
    """
    rows = (
        IndicatorValue.objects.filter(
            indicator=indicator, area_id=area_id, sex=sex, age=age
        )
        .exclude(category_type="")
        .select_related("period")
        .order_by("category_type", "period__sort_key", "category")
    )
    grouped: dict[str, dict[tuple[int, str], list[IndicatorValue]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in rows:
        key = (row.period.sort_key, row.period.label)
        grouped[row.category_type][key].append(row)

    breakdowns = []
    for category_type, periods in grouped.items():
        quantiles = is_deprivation_quantile(category_type)
        breakdown = Breakdown(category_type=category_type)
        for (sort_key, label), values in sorted(periods.items()):
            groups = [
                Group(
                    label=v.category,
                    value=v.value,
                    population=v.denominator,
                    rank=quantile_rank(v.category, category_type)
                    if quantiles
                    else None,
                    lower95=v.lower95,
                    upper95=v.upper95,
                )
                for v in values
            ]
            entry = BreakdownPeriod(label, sort_key, groups, rows=values)
            judged = indicator.polarity != Indicator.Polarity.NO_JUDGEMENT
            if judged and sum(g.value is not None for g in groups) >= 2:
                entry.gap = inequality_gap(
                    groups,
                    polarity=indicator.polarity,
                    decimals=indicator.display_decimals,
                )
            if quantiles:
                entry.sii = _sii_or_none(groups)
            breakdown.periods.append(entry)
        breakdown.gap_trend = gap_trend(
            [p.gap.absolute_gap if p.gap else None for p in breakdown.periods]
        )
        breakdowns.append(breakdown)
    return breakdowns


def _sii_or_none(groups: list[Group]) -> SlopeIndex | None:
    try:
        return slope_index_of_inequality(groups)
    except ValueError:
        return None
