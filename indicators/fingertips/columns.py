"""The columns of a Fingertips data CSV (``all_data/csv``) and how to find them.

Columns are found by name (case- and space-insensitively), so their order does
not matter, except for the parent-comparison column whose name varies with the
parent area type: "Compared to Region value or percentiles", "Compared to parent
value or percentiles", "Compared to percentiles", "Compared to Counties & UAs
(from Apr 2023) value or percentiles", or "Column not used". It is the one
"Compared to … percentiles" column that is not England's, or "Column not used".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INDICATOR_ID = "Indicator ID"
INDICATOR_NAME = "Indicator Name"
PARENT_CODE = "Parent Code"
PARENT_NAME = "Parent Name"
AREA_CODE = "Area Code"
AREA_NAME = "Area Name"
AREA_TYPE = "Area Type"
SEX = "Sex"
AGE = "Age"
CATEGORY_TYPE = "Category Type"
CATEGORY = "Category"
TIME_PERIOD = "Time period"
VALUE = "Value"
LOWER95 = "Lower CI 95.0 limit"
UPPER95 = "Upper CI 95.0 limit"
LOWER998 = "Lower CI 99.8 limit"
UPPER998 = "Upper CI 99.8 limit"
COUNT = "Count"
DENOMINATOR = "Denominator"
VALUE_NOTE = "Value note"
RECENT_TREND = "Recent Trend"
COMPARED_TO_ENGLAND = "Compared to England value or percentiles"
TIME_PERIOD_SORTABLE = "Time period Sortable"
NEW_DATA = "New data"
COMPARED_TO_GOAL = "Compared to goal"
TIME_PERIOD_RANGE = "Time period range"

COLUMN_NOT_USED = "Column not used"
REGION_COLUMN = "Compared to Region value or percentiles"

BEFORE_PARENT = (
    INDICATOR_ID,
    INDICATOR_NAME,
    PARENT_CODE,
    PARENT_NAME,
    AREA_CODE,
    AREA_NAME,
    AREA_TYPE,
    SEX,
    AGE,
    CATEGORY_TYPE,
    CATEGORY,
    TIME_PERIOD,
    VALUE,
    LOWER95,
    UPPER95,
    LOWER998,
    UPPER998,
    COUNT,
    DENOMINATOR,
    VALUE_NOTE,
    RECENT_TREND,
    COMPARED_TO_ENGLAND,
)
AFTER_PARENT = (TIME_PERIOD_SORTABLE, NEW_DATA, COMPARED_TO_GOAL)
REQUIRED = BEFORE_PARENT + AFTER_PARENT
OPTIONAL = (TIME_PERIOD_RANGE,)
ALIASES = {"target data": COMPARED_TO_GOAL}  # older Fingertips files

# The header we write on export: Fingertips' own order, 26 columns.
EXPORT_HEADER = (*BEFORE_PARENT, REGION_COLUMN, *AFTER_PARENT)

_PARENT_COLUMN = re.compile(
    r"^compared to\s*(?P<parent>.*?)\s*(?:value or )?percentiles$", re.IGNORECASE
)


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lstrip("\ufeff")).lower()


_BY_NORM = {_norm(name): name for name in REQUIRED + OPTIONAL}


@dataclass(frozen=True)
class Layout:
    """Where each column is in this file.

    ``index`` maps our canonical column names to positions; ``parent_index`` is
    the parent-comparison column (``None`` for "Column not used") and
    ``parent_label`` the parent area type its header names ("Region", "parent",
    "" …).
    """

    index: dict[str, int]
    width: int
    parent_index: int | None
    parent_header: str
    parent_label: str


@dataclass(frozen=True)
class HeaderProblem:
    """One problem with the header row: the column position (1-based) and why."""

    position: int | None
    column: str | None
    message: str


def layout_from_header(header: list[str]) -> tuple[Layout | None, list[HeaderProblem]]:
    """Find every column in the header row, or say what is wrong with it."""
    problems: list[HeaderProblem] = []
    index: dict[str, int] = {}
    parent: list[tuple[int, str, str]] = []
    unused: list[int] = []
    for position, raw in enumerate(header):
        norm = _norm(raw)
        name = _BY_NORM.get(norm) or ALIASES.get(norm)
        if name is not None:
            if name in index:
                problems.append(
                    HeaderProblem(
                        position + 1,
                        name,
                        f"appears twice (columns {index[name] + 1} and {position + 1})",
                    )
                )
            index[name] = position
            continue
        if norm == _norm(COLUMN_NOT_USED):
            unused.append(position)
            continue
        match = _PARENT_COLUMN.match(norm)
        if match:
            label = raw.strip()[len("Compared to") :].strip()
            label = re.sub(r"\s*(value or )?percentiles$", "", label, flags=re.I)
            parent.append((position, raw.strip(), label.strip()))
            continue
        shown = raw.strip() or "(blank)"
        problems.append(
            HeaderProblem(
                position + 1,
                shown,
                f"unexpected column (column {position + 1}): not one of the "
                "columns of Fingertips' all_data/csv download; check that the "
                "file is that download, saved as CSV with commas, or remove "
                "the column",
            )
        )
    for name in REQUIRED:
        if name not in index:
            problems.append(
                HeaderProblem(
                    None,
                    name,
                    "required column is missing: Fingertips' all_data/csv "
                    "download has it; add it back, or download the file again",
                )
            )
    if len(parent) + len(unused) == 0:
        problems.append(
            HeaderProblem(
                None,
                "Compared to <parent> value or percentiles",
                "the parent-comparison column is missing (expected e.g. "
                f"{REGION_COLUMN!r} or {COLUMN_NOT_USED!r} after "
                f"{COMPARED_TO_ENGLAND!r})",
            )
        )
    elif len(parent) + len(unused) > 1:
        names = [p[1] for p in parent] + [COLUMN_NOT_USED] * len(unused)
        problems.append(
            HeaderProblem(
                None,
                "Compared to <parent> value or percentiles",
                "more than one parent-comparison column: " + ", ".join(names),
            )
        )
    if problems:
        return None, problems
    if parent:
        position, header_text, label = parent[0]
        return Layout(index, len(header), position, header_text, label), []
    return Layout(index, len(header), None, COLUMN_NOT_USED, ""), []
