"""Bulk entry of output-KPI values as a spreadsheet (ADR 32): the template one
downloads for a workstream and period, and the reader of the filled-in file.

The workbook follows the outcome-measure template's conventions
(`indicators.measures.template`): a header row in bold on the same fill, a note
on each header, text cells so "2026/27 Q2" stays as typed, an "Instructions"
sheet, pre-filled with what is recorded so that uploading it unchanged changes
nothing. An upload is checked with the measures import's hostile-file checks
(`indicators.measures.xlsx_check`: parts, sizes, how far the cells reach)
before openpyxl reads it, and only as far as the cells found.

:func:`kpi_spreadsheet_read` turns the rows into `EntryInput`s (``row`` is
"row N", the sheet's row number) for `services.kpis.kpi_entries_record`, which
records them all or none. Problems found while reading (an unknown KPI code, a
value that is not a number) and those the service finds are both given by row
and column: :data:`FIELD_COLUMNS` maps the service's fields to the columns.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.db.models import Q
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from indicators.measures.sources import (
    INSTRUCTIONS_SHEET,
    cell_text,
    unreadable_number_cells,
)
from indicators.measures.template import HEADER_FILL
from indicators.measures.xlsx_check import WorkbookRefused, xlsx_check
from indicators.reporting_periods import open_period, reporting_period
from workstreams import rules
from workstreams.models import Kpi, KpiEntry, Workstream
from workstreams.services.kpis import EntryInput

SHEET_NAME = "KPI values"
#: (header, the EntryInput field it fills or None, note on the header, width)
COLUMNS = (
    ("KPI code", "kpi", "Keep as downloaded: it says which KPI the row is.", 28),
    ("KPI name", None, "For reading only: changing it changes nothing.", 50),
    ("Unit", None, "For reading only.", 14),
    (
        "Period",
        "period",
        "The period the value is for, e.g. 2026/27 Q2 (a quarter) or 2026/27 "
        "(a year). Another period than the one downloaded corrects that period.",
        14,
    ),
    (
        "Value",
        "value",
        "The figure for the period alone (not the year to date). Counts are "
        "whole numbers, 0 or more. Leave blank to record nothing for this KPI.",
        12,
    ),
    ("Note", "note", "Optional: what the figure covers, where it comes from.", 40),
    ("Evidence link", "evidence_url", "Optional: a link starting https://", 40),
    (
        "Correction reason",
        "reason",
        "Only when correcting a value an officer reopened: why it changed.",
        30,
    ),
)
HEADERS = tuple(name for name, *_ in COLUMNS)
#: The service's field names → the column (letter and name) they come from.
FIELD_COLUMNS = {
    field: (get_column_letter(index), name)
    for index, (name, field, *_) in enumerate(COLUMNS, start=1)
    if field
}
VALUE_COLUMN = HEADERS.index("Value") + 1
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_CELL_CHARS = 2_000
INSTRUCTIONS = (
    "How to record KPI values with this spreadsheet",
    "",
    "1. One row per KPI. Keep the header row and the KPI code column as they are.",
    "2. Enter each KPI's value for the period in the Value column: the figure "
    "for that period alone, not the year to date. Counts are whole numbers, 0 or "
    "more. Leave the value blank to record nothing for that KPI.",
    "3. A note and a link to evidence are optional.",
    "4. The rows already hold the values recorded for the period (approved "
    "values are locked: an officer can reopen one for correction, and the "
    "correction must say why in the Correction reason column).",
    "5. Upload the file on the workstream's KPI spreadsheet page. Every row is "
    "checked first: if any row has a problem, each problem is listed by row and "
    "column and nothing is recorded.",
    "6. A partner's values wait for the chair's approval; a chair's are "
    "approved as they are recorded.",
)


class SpreadsheetRefused(ValueError):
    """The file cannot be read at all (not an XLSX workbook, too big, beyond
    a limit, no such sheet, a header changed); the message says why."""


class SpreadsheetRowErrors(ValueError):
    """Some rows cannot be read; ``rows`` maps "row N" to {field: [messages]}
    (fields as in `FIELD_COLUMNS`, "__all__" for the whole row)."""

    def __init__(self, rows: dict[str, dict[str, list[str]]]):
        self.rows = rows
        super().__init__(f"{len(rows)} row(s) with problems")


# --- which KPIs, and what is recorded (reads) --------------------------------


def spreadsheet_kpis(*, user, workstream: Workstream, today: dt.date) -> list[Kpi]:
    """The workstream's KPIs ``user`` may record, not retired by ``today``:
    all of them for its chairs and officers, those their organisation reports
    for a partner (one query)."""
    kpis = (
        Kpi.objects.filter(workstream=workstream)
        .filter(
            Q(indicator__retired_on__isnull=True) | Q(indicator__retired_on__gt=today)
        )
        .select_related("workstream", "indicator", "reporting_organisation")
        .order_by("display_order", "indicator__name", "pk")
    )
    return [kpi for kpi in kpis if rules.can_record_kpi(user, kpi)]


def kpi_period(kpi: Kpi, label: str, today: dt.date) -> str:
    """The period of ``kpi``'s row: ``label`` if it is one of the KPI's
    periods (a quarterly KPI and "2026/27 Q2"), else the KPI's period open on
    ``today`` (an annual KPI on a quarter's sheet), else ``label``."""
    frequency = kpi.indicator.update_frequency
    if reporting_period(frequency, label) is not None:
        return label
    current = open_period(frequency, today)
    return current.label if current else label


def recorded_entries(
    *, user, kpis: Iterable[Kpi], periods: Mapping[int, str]
) -> dict[int, KpiEntry]:
    """The entry ``user`` may see of each KPI for its row's period (one query)."""
    kpis = list(kpis)
    if not kpis:
        return {}
    wanted = Q()
    for kpi in kpis:
        wanted |= Q(kpi_id=kpi.pk, period__label=periods[kpi.pk])
    found = rules.visible_kpi_entries(
        user, KpiEntry.objects.filter(wanted).select_related("period")
    )
    return {entry.kpi_id: entry for entry in found}


# --- the template ----------------------------------------------------------


@dataclass(frozen=True)
class TemplateRow:
    code: str
    name: str
    unit: str
    period: str
    value: float | None = None
    note: str = ""
    evidence_url: str = ""


def template_rows(
    kpis: Iterable[Kpi], *, periods: Mapping[int, str], entries: Mapping[int, Any]
) -> list[TemplateRow]:
    rows = []
    for kpi in kpis:
        entry = entries.get(kpi.pk)
        rows.append(
            TemplateRow(
                code=kpi.indicator.code,
                name=kpi.indicator.name,
                unit=kpi.indicator.unit,
                period=periods[kpi.pk],
                value=entry.value if entry else None,
                note=entry.note if entry else "",
                evidence_url=entry.evidence_url if entry else "",
            )
        )
    return rows


def _number(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def kpi_template_write(
    *, stream: BinaryIO, rows: Iterable[TemplateRow], title: str
) -> int:
    """Write the template to ``stream``; return how many KPIs it lists."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(list(HEADERS))
    for index, (_name, _field, note, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.comment = Comment(note, "Marmot Tracker")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    count = 0
    for row in rows:
        sheet.append(
            [
                row.code,
                row.name,
                row.unit,
                row.period,
                _number(row.value),
                row.note,
                row.evidence_url,
                "",
            ]
        )
        count += 1
    for cells in sheet.iter_rows(min_row=2, max_row=count + 1):
        for cell in cells:
            # text, so "2026/27 Q2" stays as typed; numbers in Value
            cell.number_format = "General" if cell.column == VALUE_COLUMN else "@"
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    for line in (title, "", *INSTRUCTIONS):
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 120
    workbook.save(stream)
    return count


# --- reading an upload -------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")


def _value(cell) -> tuple[Any, str | None]:
    """The number in a Value cell, or (None, a problem)."""
    value = cell.value
    if isinstance(value, bool):
        return None, "Enter a number, not TRUE or FALSE."
    if isinstance(value, int | float):
        return value, None
    text = cell_text(cell)
    if _NUMBER.match(text):
        number = float(text.replace(",", ""))
        return (int(number) if number.is_integer() else number), None
    return None, f"Enter a number (not {text[:40]!r})."


def _refuse_oversized(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetRefused(
            f"The file is {len(data) / (1024 * 1024):.1f} MB; spreadsheets up to "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB can be uploaded (the "
            "template is a few kilobytes)."
        )


def _sheet_rows(data: bytes) -> list[list]:
    """The sheet's cells, checked for hostile sizes first, read only as far as
    the cells that hold something reach."""
    _refuse_oversized(data)
    try:
        extent = xlsx_check(data, SHEET_NAME)
    except WorkbookRefused as error:
        raise SpreadsheetRefused(
            f"The file cannot be read: {error}. Upload the KPI spreadsheet "
            "downloaded from this page, saved as an Excel workbook (.xlsx)."
        ) from error
    if extent is None:
        raise SpreadsheetRefused(
            f'The workbook has no sheet called "{SHEET_NAME}". Upload the KPI '
            "spreadsheet downloaded from this page."
        )
    _refuse_unreadable_numbers(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise SpreadsheetRefused(
            f"The file cannot be read: not an XLSX workbook we can read ({error})."
        ) from error
    try:
        if not (extent.rows and extent.columns):
            return []
        return [
            list(row)
            for row in workbook[SHEET_NAME].iter_rows(
                min_row=1,
                max_row=extent.rows,
                min_col=1,
                max_col=max(extent.columns, len(HEADERS)),
            )
        ]
    except (ValueError, TypeError, ArithmeticError) as error:
        # openpyxl cannot read a cell, e.g. a date cell holding "x".
        raise SpreadsheetRefused(
            f'The file cannot be read: sheet "{SHEET_NAME}" has a cell we cannot '
            f"read ({str(error)[:100]}). Type plain numbers and text."
        ) from error
    finally:
        workbook.close()


def _refuse_unreadable_numbers(data: bytes) -> None:
    """A cell holding ``inf``, ``nan`` or 5,001 digits as its number: a
    problem by row and column (openpyxl would raise without naming it)."""
    fields = {letter: field for field, (letter, _name) in FIELD_COLUMNS.items()}
    errors: dict[str, dict[str, list[str]]] = {}
    for cell in unreadable_number_cells(data, SHEET_NAME):
        field = fields.get(cell.column)
        message = f"Enter a number: {cell.problem}."
        if field is None:
            message = f"Column {cell.column}: {message}"
        errors.setdefault(f"row {cell.row}", {}).setdefault(
            field or "__all__", []
        ).append(message)
    if errors:
        raise SpreadsheetRowErrors(errors)


def _check_header(rows: list[list]) -> None:
    found = [cell_text(cell) for cell in rows[0][: len(HEADERS)]] if rows else []
    found += [""] * (len(HEADERS) - len(found))
    wrong = [
        f"column {get_column_letter(n)} should be “{want}”"
        + (f" (it is “{got[:40]}”)" if got else " (it is empty)")
        for n, (want, got) in enumerate(zip(HEADERS, found, strict=True), start=1)
        if want.casefold() != got.casefold()
    ]
    if wrong:
        raise SpreadsheetRefused(
            f'Row 1 of sheet "{SHEET_NAME}" is not the template\'s header: '
            + "; ".join(wrong)
            + ". Keep the header row as downloaded."
        )


def _text(cell, field: str, problems: dict[str, list[str]]) -> str:
    text = cell_text(cell) if cell is not None else ""
    if len(text) > MAX_CELL_CHARS:
        problems.setdefault(field, []).append(
            f"The cell is {len(text):,} characters long; at most "
            f"{MAX_CELL_CHARS:,} are read."
        )
        return ""
    return text


def kpi_spreadsheet_read(
    data: bytes, *, kpis: Iterable[Kpi], workstream: Workstream
) -> list[EntryInput]:
    """The rows with a value, as entries to record (``row`` = "row N").

    ``kpis``: those the uploader may record. Raises :class:`SpreadsheetRefused`
    for a file that cannot be read at all, :class:`SpreadsheetRowErrors` naming
    each wrong row and column. Rows with no value (and nothing else) are
    skipped; a file with no value at all is refused."""
    by_code = {kpi.indicator.code.casefold(): kpi for kpi in kpis}
    rows = _sheet_rows(data)
    _check_header(rows)
    width = len(HEADERS)
    items: list[EntryInput] = []
    errors: dict[str, dict[str, list[str]]] = {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = (list(raw) + [None] * width)[:width]
        if any(getattr(c, "value", None) not in (None, "") for c in raw[width:]):
            errors[f"row {number}"] = {
                "__all__": [
                    f"Cells after column {get_column_letter(width)} are not read: "
                    "move what they hold into the Note column."
                ]
            }
            continue
        problems: dict[str, list[str]] = {}
        code, _name, _unit, period, value_cell, note, evidence, reason = cells
        texts = {
            "kpi": _text(code, "kpi", problems),
            "period": _text(period, "period", problems),
            "note": _text(note, "note", problems),
            "evidence_url": _text(evidence, "evidence_url", problems),
            "reason": _text(reason, "reason", problems),
        }
        empty_value = value_cell is None or cell_text(value_cell) == ""
        if empty_value:
            extra = [
                FIELD_COLUMNS[f][1].lower()
                for f in ("note", "evidence_url", "reason")
                if texts[f]
            ]
            if extra:
                problems.setdefault("value", []).append(
                    f"Enter the value, or clear the {' and '.join(extra)}: "
                    "a row without a value records nothing."
                )
                errors[f"row {number}"] = problems
            elif problems:
                errors[f"row {number}"] = problems
            continue
        value, problem = _value(value_cell)
        if problem:
            problems.setdefault("value", []).append(problem)
        kpi = by_code.get(texts["kpi"].casefold())
        if kpi is None and "kpi" not in problems:
            problems["kpi"] = [
                f"“{texts['kpi'][:80]}” is not the code of a {workstream.name} KPI "
                "you may record: keep the codes as downloaded."
                if texts["kpi"]
                else "The KPI code is missing: keep the codes as downloaded."
            ]
        if not texts["period"] and "period" not in problems:
            problems["period"] = ["Enter the period, e.g. 2026/27 Q2."]
        if problems:
            errors[f"row {number}"] = problems
            continue
        items.append(
            EntryInput(
                kpi=kpi,
                period=texts["period"],
                value=value,
                note=texts["note"],
                evidence_url=texts["evidence_url"],
                reason=texts["reason"],
                row=f"row {number}",
            )
        )
    if errors:
        raise SpreadsheetRowErrors(errors)
    if not items:
        raise SpreadsheetRefused(
            "The spreadsheet has no values to record: enter each KPI's value in "
            "the Value column."
        )
    return items


@dataclass(frozen=True)
class CellProblem:
    row: str  # "row 4"
    column: str  # "E (Value)", or "" for the whole row
    message: str


def _row_number(row: Any) -> int:
    match = re.search(r"\d+", str(row))
    return int(match[0]) if match else 0


def problems_by_cell(rows: Mapping[Any, Mapping[str, list[str]]]) -> list[CellProblem]:
    """Errors by row and field (the reader's or `BulkEntryErrors.rows`) as
    problems by row and column, in sheet order."""
    found = []
    for row in sorted(rows, key=_row_number):
        for field, messages in rows[row].items():
            letter_name = FIELD_COLUMNS.get(field)
            column = f"{letter_name[0]} ({letter_name[1]})" if letter_name else ""
            found += [CellProblem(str(row), column, str(m)) for m in messages]
    return found
