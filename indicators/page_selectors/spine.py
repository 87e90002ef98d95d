"""The spine chart page: each measure's place value against the England range.

For each visible measure (optionally of one principle): the place's latest
headline value (:func:`indicators.assessment.series.headline_series`), England's
value for the same period, sex and age, and the range of every area of the
place's area type (e.g. every county & UA) for that period
(:func:`indicators.statistics.spine.spine_range`, ADR 21). Three queries
whatever the number of measures or areas: the indicators, the place's and
England's values, and the other areas' values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import QuerySet

from indicators.assessment.series import (
    BenchmarkIndex,
    group_series,
    headline_series,
    normal_age,
    normal_sex,
)
from indicators.formatting import indicator_value
from indicators.models import Indicator, IndicatorValue, Place
from indicators.statistics.spine import SpineRange, spine_range

#: The fewest areas with values that make a range worth drawing.
MIN_AREAS = 2
#: The spine's drawing: width and height of each row's SVG, in px.
SPINE_WIDTH = 300
SPINE_HEIGHT = 28


@dataclass
class SpineRow:
    indicator: Indicator
    period: str = ""
    place_text: str = ""
    england_text: str = ""
    spine: SpineRange | None = None
    cells: dict[str, str] = field(default_factory=dict)
    bands: list[tuple[str, str, str]] = field(default_factory=list)
    place_x: str = ""
    england_x: str = "150"

    @property
    def available(self) -> bool:
        return self.spine is not None


@dataclass
class SpineGroup:
    title: str
    rows: list[SpineRow]


def _x(spine: SpineRange, value: float) -> str:
    inset = 6
    return f"{inset + spine.position(value) * (SPINE_WIDTH - 2 * inset):.1f}"


def _drawn(row: SpineRow, spine: SpineRange, place_value: float | None) -> None:
    fmt = row.indicator
    row.spine = spine
    row.cells = {
        "worst": indicator_value(spine.worst, fmt),
        "q25": indicator_value(spine.q25, fmt),
        "median": indicator_value(spine.median, fmt),
        "q75": indicator_value(spine.q75, fmt),
        "best": indicator_value(spine.best, fmt),
    }
    edges = [spine.worst, spine.q25, spine.q75, spine.best]
    shades = ["#b1b4b6", "#dee0e2", "#b1b4b6"]
    row.bands = []
    for (a, b), shade in zip(pairwise(edges), shades, strict=True):
        left, right = sorted((float(_x(spine, a)), float(_x(spine, b))))
        row.bands.append((f"{left:.1f}", f"{max(right - left, 1):.1f}", shade))
    row.england_x = _x(spine, spine.england)
    row.place_x = "" if place_value is None else _x(spine, place_value)


def _same_breakdown(value: IndicatorValue, latest: IndicatorValue) -> bool:
    return (
        value.period_id == latest.period_id
        and normal_sex(value.sex) == normal_sex(latest.sex)
        and normal_age(value.age) == normal_age(latest.age)
    )


def spine_groups(*, indicators: QuerySet[Indicator], place: Place | None):
    """Rows grouped by principle, in the principles' and measures' order."""
    indicators = list(
        indicators.select_related("principle").order_by(
            "principle__number", "display_order", "name"
        )
    )
    ids = [i.pk for i in indicators]
    rows = {i.pk: SpineRow(indicator=i) for i in indicators}
    if place is not None and ids:
        own = list(
            IndicatorValue.objects.filter(
                indicator_id__in=ids,
                category_type="",
                area_id__in=[place.area_id, place.country_id],
            ).select_related("period")
        )
        index = BenchmarkIndex(own)
        latest = {
            key[0]: series[-1]
            for key, series in headline_series(group_series(own)).items()
            if key[1] == place.area_id
        }
        others = IndicatorValue.objects.filter(
            indicator_id__in=list(latest),
            category_type="",
            area__area_type=place.area.area_type,
            value__isnull=False,
        ).only("indicator_id", "area_id", "period_id", "sex", "age", "value")
        by_indicator: dict[int, list[float]] = {}
        for value in others.order_by():
            mine = latest[value.indicator_id]
            if _same_breakdown(value, mine):
                by_indicator.setdefault(value.indicator_id, []).append(value.value)
        for indicator_id, mine in latest.items():
            row = rows[indicator_id]
            row.period = mine.period.label
            row.place_text = indicator_value(mine.value, row.indicator)
            england = index.find(mine, place.country_id) if place.country_id else None
            if england is None or england.value is None:
                continue
            row.england_text = indicator_value(england.value, row.indicator)
            found = by_indicator.get(indicator_id, [])
            spine = spine_range(
                found, england=england.value, polarity=row.indicator.polarity
            )
            if spine is not None and spine.count >= MIN_AREAS:
                _drawn(row, spine, mine.value)
    groups: dict[str, SpineGroup] = {}
    for indicator in indicators:
        principle = indicator.principle
        title = (
            f"Principle {principle.number}: {principle.short_title or principle.title}"
            if principle
            else "Overarching measures"
        )
        groups.setdefault(title, SpineGroup(title, [])).rows.append(rows[indicator.pk])
    return list(groups.values())
