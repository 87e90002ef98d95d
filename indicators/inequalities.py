"""Inequality gaps within the place: by ward, deprivation decile, ethnic group...

Reads breakdown values (rows with a category type) for one indicator and area and
returns, for each breakdown type and period, the gap between the best and worst
groups, the slope index of inequality where the groups are deprivation quantiles
(with its simulated limits and the relative index, ADR 47), and whether the gap
is narrowing or widening over time. The arithmetic is in
`indicators.statistics.inequality`; this module only gathers the rows.
"""

import hashlib
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.core.cache import cache

from indicators.models import Indicator, IndicatorValue
from indicators.statistics.inequality import (
    Group,
    InequalityGap,
    SiiValueType,
    SimulatedSlopeIndex,
    SlopeIndex,
    gap_trend,
    inequality_gap,
    slope_index_of_inequality,
    slope_index_of_inequality_simulated,
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


#: Repetitions of the simulation behind the SII's limits (ADR 47): phe_sii's
#: default is 100,000, about a second and a half per breakdown here; 2,000 keep
#: a cold page well under 100 ms, and results are cached by their input.
SII_REPETITIONS = 2_000
#: The simulation's seed: the same data always give the same limits.
SII_SEED = 0
SII_CONFIDENCE = (0.95, 0.998)
#: The inputs fix the result exactly, so the expiry only bounds the memory used.
SII_CACHE_SECONDS = 24 * 60 * 60
SII_METHOD = "PHEindicatormethods phe_sii"


def quantile_word(category_type: str) -> str:
    """ "decile", "quintile" or "quartile" for a deprivation breakdown ("group"
    otherwise)."""
    match = _QUANTILE_TYPE.search(category_type)
    return match.group(1).lower() if match else "group"


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
    #: The SII and RII with phe_sii's simulated 95% and 99.8% limits, on the
    #: indicator's own scale (deprivation quantiles only; ADR 47).
    sii_limits: SimulatedSlopeIndex | None = None
    #: In words: groups left out of the SII, and why there is no SII or no
    #: limits for it ("" when the SII and its limits are given from every group).
    sii_note: str = ""

    @property
    def sii_significant(self) -> bool | None:
        """Whether the SII's 95% limits exclude 0 (None without limits)."""
        if self.sii_limits is None:
            return None
        limits = self.sii_limits.at(0.95)
        return not limits.sii_lower <= 0 <= limits.sii_upper


@dataclass
class Breakdown:
    category_type: str
    periods: list[BreakdownPeriod] = field(default_factory=list)
    gap_trend: GapTrend = GapTrend.NO_CLEAR_CHANGE

    @property
    def latest(self) -> BreakdownPeriod | None:
        return self.periods[-1] if self.periods else None


def indicator_inequalities(
    *,
    indicator: Indicator,
    area_id: int,
    sex: str = "",
    age: str = "",
    sii_limits_periods: int | None = None,
) -> list[Breakdown]:
    """Every breakdown of this indicator in this area, with gaps over time.

    One query. No gap is given for a "no judgement" indicator (best and worst
    are undefined). The SII uses each group's denominator as its population and is
    given only for deprivation quantiles with a denominator for every group;
    groups whose quantile cannot be read ("Deprivation unknown") are left out of
    it. Its simulated limits (:func:`sii_with_limits`) are worked out for the
    latest ``sii_limits_periods`` periods of each breakdown (None: all).
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
        ordered = sorted(periods.items())
        first_with_limits = (
            0 if sii_limits_periods is None else len(ordered) - sii_limits_periods
        )
        for index, ((sort_key, label), values) in enumerate(ordered):
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
                entry.sii, entry.sii_limits, entry.sii_note = sii_with_limits(
                    groups,
                    indicator=indicator,
                    quantile=quantile_word(category_type),
                    limits=index >= first_with_limits,
                )
            breakdown.periods.append(entry)
        breakdown.gap_trend = gap_trend(
            [p.gap.absolute_gap if p.gap else None for p in breakdown.periods]
        )
        breakdowns.append(breakdown)
    return breakdowns


def sii_value_type(indicator: Indicator) -> tuple[SiiValueType, bool, int]:
    """phe_sii's ``value_type``, ``transform`` and ``multiplier`` for ``indicator``.

    Proportions: logit, on the 0-1 scale, with the indicator's multiplier (100
    for %); crude rates and DSRs: log (already on their own scale); anything
    else (life expectancy, means, scores, counts, ratios): no transform.
    """
    kind = Indicator.ValueType
    if indicator.value_type == kind.PROPORTION:
        return SiiValueType.PROPORTION, True, indicator.multiplier or 1
    if indicator.value_type in (kind.CRUDE_RATE, kind.DSR):
        return SiiValueType.RATE, True, 1
    return SiiValueType.NORMAL, False, 1


def _rank(group: Group) -> int:
    return group.rank or 0


def _names(labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _verb(labels: list[str], one: str, many: str) -> str:
    return one if len(labels) == 1 else many


def sii_with_limits(
    groups: list[Group], *, indicator: Indicator, quantile: str, limits: bool = True
) -> tuple[SlopeIndex | None, SimulatedSlopeIndex | None, str]:
    """The SII of deprivation quantiles, its simulated limits, and a note in words.

    The note names groups left out (no quantile rank) and says why there is no
    SII (a group without a value or population, fewer than 5 quantiles) or no
    limits (a group without a 95% interval, or one the log/logit transform
    cannot take). Limits are not sought when ``limits`` is false.
    """
    notes = []
    left_out = [g.label for g in groups if g.rank is None]
    ranked = sorted((g for g in groups if g.rank is not None), key=_rank)
    if left_out:
        notes.append(
            f"{_names(left_out)} {_verb(left_out, 'is', 'are')} left out of the "
            f"slope index of inequality: {_verb(left_out, 'it is', 'they are')} "
            f"not a deprivation {quantile}."
        )
    no_value = [
        g.label for g in ranked if g.value is None or not math.isfinite(g.value)
    ]
    no_population = [
        g.label for g in ranked if g.population is None or not g.population > 0
    ]
    reason = ""
    if len(ranked) < 5:
        reason = (
            f"it needs at least 5 deprivation {quantile}s (as PHEindicatormethods "
            f"phe_sii); there {_verb(ranked, 'is', 'are')} {len(ranked)}."
        )
    elif no_value:
        reason = f"{_names(no_value)} {_verb(no_value, 'has', 'have')} no value."
    elif no_population:
        reason = (
            f"the population (denominator) of {_names(no_population)} is not known, "
            f"and the SII weights each {quantile} by its population."
        )
    if reason:
        notes.append(f"No slope index of inequality (SII) is given: {reason}")
        return None, None, " ".join(notes)
    try:
        point = slope_index_of_inequality(ranked)
    except ValueError as error:
        notes.append(f"No slope index of inequality (SII) is given: {error}.")
        return None, None, " ".join(notes)
    if not limits:
        return point, None, " ".join(notes)

    value_type, transform, multiplier = sii_value_type(indicator)
    no_interval = [g.label for g in ranked if g.lower95 is None or g.upper95 is None]
    if no_interval:
        which = (
            f"the {quantile}s have no 95% confidence intervals"
            if len(no_interval) == len(ranked)
            else f"{_names(no_interval)} {_verb(no_interval, 'has', 'have')} no "
            "95% confidence interval"
        )
        notes.append(
            f"No limits are shown for the SII: {which}, and the simulation draws "
            f"each {quantile}'s value from its interval."
        )
        return point, None, " ".join(notes)
    scaled = [
        replace(
            g,
            value=g.value / multiplier,  # type: ignore[operator]
            lower95=g.lower95 / multiplier,  # type: ignore[operator]
            upper95=g.upper95 / multiplier,  # type: ignore[operator]
        )
        for g in ranked
    ]
    outside = (
        [
            g.label
            for g in scaled
            if not all(
                (0 < x < 1) if value_type is SiiValueType.PROPORTION else x > 0
                for x in (g.value, g.lower95, g.upper95)
            )
        ]
        if transform
        else []
    )
    if outside:
        domain = (
            f"strictly between 0 and {multiplier:,}"
            if value_type is SiiValueType.PROPORTION
            else "above 0"
        )
        scale = "logit" if value_type is SiiValueType.PROPORTION else "log"
        notes.append(
            f"No limits are shown for the SII: they are simulated on the {scale} "
            f"scale, which needs every value and 95% limit {domain}; those of "
            f"{_names(outside)} are not."
        )
        return point, None, " ".join(notes)
    try:
        simulated = _simulated(scaled, value_type, transform, multiplier)
    except ValueError as error:
        notes.append(f"No limits are shown for the SII: {error}.")
        return point, None, " ".join(notes)
    return point, simulated, " ".join(notes)


def _simulated(
    groups: list[Group], value_type: SiiValueType, transform: bool, multiplier: int
) -> SimulatedSlopeIndex:
    """:func:`slope_index_of_inequality_simulated`, cached by its whole input
    (the result depends on nothing else: the seed is fixed)."""
    recipe = repr(
        (
            groups,
            value_type.value,
            transform,
            multiplier,
            SII_REPETITIONS,
            SII_SEED,
            SII_CONFIDENCE,
        )
    )
    key = "sii-simulated:" + hashlib.sha256(recipe.encode()).hexdigest()
    result = cache.get(key)
    if result is None:
        result = slope_index_of_inequality_simulated(
            groups,
            value_type=value_type,
            transform=transform,
            multiplier=multiplier,
            repetitions=SII_REPETITIONS,
            confidence=SII_CONFIDENCE,
            seed=SII_SEED,
        )
        cache.set(key, result, SII_CACHE_SECONDS)
    return result
