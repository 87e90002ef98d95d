"""Validated rows with their primary keys: what both merge paths consume.

One :class:`StagedRow` per row of the file, in the column order of the
PostgreSQL staging table, so the PostgreSQL path can COPY the tuples as they are
and the ORM path reads the same fields by name: both paths see identical input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from indicators.fingertips.references import ReferencePlan
from indicators.fingertips.validation import ParsedRow, ValidatedFile
from indicators.fingertips.vocabulary import (
    PARENT_GENERIC,
    PARENT_REGION,
    parent_label_kind,
)
from indicators.models import Area, Assessment
from indicators.models.values import FIGURE_FIELDS

NATIONAL = Assessment.Benchmark.NATIONAL.value
REGION = Assessment.Benchmark.REGION.value
KEY_FIELDS = (
    "indicator_id",
    "area_id",
    "period_id",
    "sex",
    "age",
    "category_type",
    "category",
)
VALUE_FIELDS = (*FIGURE_FIELDS, "value_note")
BENCHMARKS = (NATIONAL, REGION)


class StagedRow(NamedTuple):
    line: int
    indicator_id: int
    area_id: int
    period_id: int
    sex: str
    age: str
    category_type: str
    category: str
    value: float | None
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    count: float | None
    denominator: float | None
    value_note: str
    national_covered: bool
    national_result: str | None
    national_level: float | None
    national_text: str | None
    national_area_id: int | None
    region_covered: bool
    region_result: str | None
    region_level: float | None
    region_text: str | None
    region_area_id: int | None
    trend_label: str | None
    trend_text: str | None

    @property
    def key(self) -> tuple:
        return self[1:8]


@dataclass
class MergeCounts:
    """What a merge did, and which indicators it touched."""

    values_created: int = 0
    values_updated: int = 0
    values_unchanged: int = 0
    assessments_created: int = 0
    assessments_updated: int = 0
    assessments_deleted: int = 0
    trends_created: int = 0
    trends_updated: int = 0
    trends_deleted: int = 0
    changed_indicator_ids: set[int] = field(default_factory=set)


def _area_facts(
    row: ParsedRow, plan: ReferencePlan, region_kind: str | None
) -> tuple[int, bool, int | None, bool]:
    """(area id, region covered, region area id, parent comparison ignored).

    Depends only on the row's area and parent (and the file's parent column), so
    :func:`rows_stage` works it out once per area rather than once per row.
    """
    area_type = plan.area_types[row.area_code]
    parent_type = plan.area_types.get(row.parent_code) if row.parent_code else None
    parent_is_region = region_kind in (PARENT_REGION, PARENT_GENERIC)
    compared_area = area_type not in (Area.Type.COUNTRY, Area.Type.REGION)
    region_covered = (
        parent_is_region and parent_type == Area.Type.REGION and compared_area
    )
    region_area_id = plan.areas[row.parent_code] if region_covered else None
    # A parent comparison is ignored when it is a region-style column on an
    # area that would be compared, but whose parent is not a region.
    ignorable = not region_covered and parent_is_region and compared_area
    return plan.areas[row.area_code], region_covered, region_area_id, ignorable


def rows_stage(file: ValidatedFile, plan: ReferencePlan) -> tuple[list[StagedRow], int]:
    """Every row with its keys; and how many parent comparisons had nowhere to go.

    The parent column is stored as a region assessment only for rows whose parent
    is a region (rows for a country or a region itself are not compared with a
    region).
    """
    layout = file.layout
    region_kind = (
        parent_label_kind(layout.parent_label)
        if layout.parent_index is not None
        else None
    )
    indicators, periods = plan.indicators, plan.periods
    national_area_id = plan.national_area_id
    facts: dict[tuple[str, str], tuple[int, bool, int | None, bool]] = {}
    staged, ignored = [], 0
    append = staged.append
    for row in file.rows:
        where = (row.area_code, row.parent_code)
        known = facts.get(where)
        if known is None:
            known = facts[where] = _area_facts(row, plan, region_kind)
        area_id, region_covered, region_area_id, ignorable = known
        national, parent = row.national, row.parent_comparison
        region = parent if region_covered else None
        if parent is not None and ignorable:
            ignored += 1
        trend = row.trend
        append(
            StagedRow(
                row.line,
                indicators[row.indicator_fid],
                area_id,
                periods[row.period_label],
                row.sex,
                row.age,
                row.category_type,
                row.category,
                row.value,
                row.lower95,
                row.upper95,
                row.lower998,
                row.upper998,
                row.count,
                row.denominator,
                row.value_note,
                True,
                national.result if national else None,
                national.level if national else None,
                national.published_text if national else None,
                national_area_id if national else None,
                region_covered,
                region.result if region else None,
                region.level if region else None,
                region.published_text if region else None,
                region_area_id if region else None,
                trend,
                row.trend_text if trend else None,
            )
        )
    return staged, ignored
