"""Read an outcome-measure table file into the published layout's text.

Three kinds of file:

* ``.tsv`` - the table exactly as councils publish it (see
  :mod:`indicators.measures.table`);
* ``.csv`` - the same layout, comma-separated;
* ``.xlsx`` - the template written by ``manage.py measures_template``: a
  "Measures" sheet with the table's columns, then metadata columns for measures
  the database does not know yet (see :data:`METADATA_COLUMNS`).

Each reader returns :class:`SourceTable`: the table as tab-separated text (row
numbers kept, so the parser's messages name the file's rows), the metadata
cells by description, and how to name a place in the file in messages.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from indicators.import_limits import (
    MEASURES_MAX_CELL_CHARS,
    MEASURES_MAX_COLUMNS,
    MEASURES_MAX_ROWS,
    BoundedLines,
    Problems,
    RecordTooLong,
    line_numbers,
    table_text_problems,
)
from indicators.measures.table import (
    HEADER_MISSING,
    SNAPSHOT_WIDTH,
    header_width_problem,
)
from indicators.measures.xlsx_check import (
    WorkbookRefused,
    _local,
    _sheet_parts,
    xlsx_check,
)
from marmot.whole_numbers import whole_number

SHEET_NAME = "Measures"
INSTRUCTIONS_SHEET = "Instructions"
LEADING_HEADERS = ("Principle group", "Measure description")
# Metadata column header -> measures.json key.
METADATA_COLUMNS = {
    "Code": "code",
    "Name": "name",
    "Value type": "value_type",
    "Unit": "unit",
    "Multiplier": "multiplier",
    "Polarity": "polarity",
    "Principle number": "principle",
}
TABLE_EXTENSIONS = (".tsv", ".csv")
XLSX_EXTENSION = ".xlsx"
# A CSV record may hold every column at its longest, quoted; the conversion
# stops well past the table's row limit (table_text_problems then says so).
MAX_RECORD_CHARS = MEASURES_MAX_COLUMNS * (MEASURES_MAX_CELL_CHARS + 3)
MAX_CSV_LINES = MEASURES_MAX_ROWS * 10
EXTENSIONS = (*TABLE_EXTENSIONS, XLSX_EXTENSION)


class SourceError(ValueError):
    """The file cannot be read as a table at all; ``problems`` says why (a
    :class:`~indicators.import_limits.Problems`: the first few, all counted)."""

    def __init__(self, problems: list[str]):
        self.problems = (
            problems if isinstance(problems, Problems) else Problems(problems)
        )
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class MetadataCells:
    """The metadata columns of one XLSX row, as text, and where they are."""

    row_number: int
    values: dict[str, str]  # measures.json key -> cell text ("" when blank)
    columns: dict[str, str]  # measures.json key -> column name for messages


@dataclass
class SourceTable:
    text: str
    metadata: dict[str, MetadataCells] = field(default_factory=dict)
    sheet: str = ""  # the XLSX sheet, for messages
    notes: list[str] = field(default_factory=list)

    def where(self, problem: str) -> str:
        """A parser message with the sheet named and column letters (XLSX)."""
        if not self.sheet:
            return problem
        problem = re.sub(
            r"\bcolumn (\d+)\b",
            lambda m: f"column {get_column_letter(int(m[1]))}",
            problem,
        )
        return f'sheet "{self.sheet}", {problem}'


def source_read(*, data: bytes, file_name: str) -> SourceTable:
    """Read the file by its extension; raise SourceError if it cannot be read."""
    suffix = PurePath(file_name).suffix.casefold()
    if suffix not in EXTENSIONS:
        raise SourceError(
            [
                f"{file_name}: expected a .tsv or .csv table as published, or the "
                ".xlsx template"
            ]
        )
    if suffix == XLSX_EXTENSION:
        table = _xlsx_read(data)
    else:
        text = _text_decode(data, file_name)
        if suffix == ".csv":
            text = _csv_as_tsv(text, file_name)
        table = SourceTable(text=text)
    problems = table_text_problems(table.text)
    if problems:
        listed = Problems(map(table.where, problems))
        listed.total = problems.total
        raise SourceError(listed)
    return table


def _text_decode(data: bytes, file_name: str) -> str:
    """UTF-8 text (BOM optional) with no NUL; else SourceError naming the row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        raise SourceError(
            [
                f"{file_name}: not UTF-8 text (row {row}, byte {error.start}: "
                f"0x{data[error.start]:02x}; the file looks like Windows-1252, "
                "Latin-1 or UTF-16); save it as UTF-8"
            ]
        ) from error
    if "\x00" in text:
        rows, count = line_numbers(text, "\x00", limit=10)
        shown = ", ".join(str(n) for n in rows)
        more = f" and {count - 10} more" if count > 10 else ""
        raise SourceError(
            [
                f"{file_name}: row(s) {shown}{more} contain NUL characters, so it "
                "is not a text table (UTF-16?); save it as UTF-8"
            ]
        )
    return text


def _csv_as_tsv(text: str, file_name: str) -> str:
    """A comma-separated table in the published (tab-separated) layout."""
    source = BoundedLines(text, max_record_chars=MAX_RECORD_CHARS)
    reader = csv.reader(source)
    lines, row_end = [], 0
    try:
        for row in reader:
            source.record_done()
            if len(row) > MEASURES_MAX_COLUMNS:
                raise SourceError(
                    [
                        f"{file_name}: row {row_end + 1}: {len(row):,} columns; a "
                        f"table may have at most {MEASURES_MAX_COLUMNS:,} (2, then "
                        "8 for each snapshot)"
                    ]
                )
            lines.append("\t".join(_flat(cell) for cell in row))
            row_end = reader.line_num
            if len(lines) > MAX_CSV_LINES:
                break  # the table's own limits say why (table_text_problems)
    except RecordTooLong as error:
        raise SourceError([f"{file_name}: row {error.line} {error}"]) from error
    except csv.Error as error:
        raise SourceError(
            [f"{file_name}: row {row_end + 1} is not valid CSV ({error})"]
        ) from error
    return "\n".join(lines)


def _flat(text: str) -> str:
    return " ".join(text.replace("\t", " ").splitlines())


def cell_text(cell) -> str:
    """An XLSX cell as the table would print it."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if "%" in (cell.number_format or ""):
            return f"{round(value * 100, 10):g}%"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return _flat(str(value)).strip()


#: A number as a cell's XML may hold it and openpyxl reads it (``_cast_number``).
_XML_NUMBER = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


@dataclass(frozen=True)
class UnreadableCell:
    """A cell whose stored number openpyxl cannot read (``inf``, ``NaN``,
    5,001 digits: it raises without naming the cell). Numbers it can read but
    no one could mean (``1e400`` is read as inf, 400 digits as an int) are
    each reader's to refuse, with its own limit."""

    row: int
    column: str  # its letter
    problem: str  # e.g. '"inf" is not a number'


def _raw_number_problem(kind: str, text: str) -> str:
    stripped = text.strip()
    quoted = f'"{stripped[:20]}…"' if len(stripped) > 20 else f'"{stripped}"'
    if kind == "b":
        return "" if stripped in ("0", "1") else f"{quoted} is not TRUE or FALSE"
    if not _XML_NUMBER.match(stripped):
        return f"{quoted} is not a number"
    if not any(mark in stripped for mark in ".eE"):  # openpyxl reads it with int()
        digits = len(stripped.lstrip("+-"))
        if digits > sys.get_int_max_str_digits():
            return f"{quoted} has {digits:,} digits, too many to be a number"
    return ""


def unreadable_number_cells(data: bytes, sheet_name: str) -> list[UnreadableCell]:
    """The cells of ``sheet_name`` whose stored number (or TRUE/FALSE) cannot
    be read, found in the sheet's XML before openpyxl reads it (openpyxl
    raises on ``<v>inf</v>`` without saying which cell). Call after
    :func:`xlsx_check` has bounded the workbook's parts; every XLSX reader
    (the Measures sheet, the raw figures, the KPI spreadsheet) uses this."""
    found: list[UnreadableCell] = []
    row = column = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _sheet_parts(archive).get(sheet_name)
            if part is None:
                return []
            with archive.open(part) as sheet:
                for event, element in ElementTree.iterparse(  # noqa: S314 - xlsx_check
                    sheet, events=("start", "end")
                ):
                    name = _local(element.tag)
                    if event == "start":
                        if name == "row":
                            row = whole_number(element.get("r")) or row + 1
                            column = 0
                        continue
                    if name == "c":
                        match = _CELL_REF.match(element.get("r") or "")
                        if match:
                            column = column_index_from_string(match[1].upper())
                            row = int(match[2])
                        else:
                            column += 1
                        kind = element.get("t", "n")
                        value = next(
                            (c.text for c in element if _local(c.tag) == "v"), None
                        )
                        if kind in ("n", "b") and value:
                            problem = _raw_number_problem(kind, value)
                            if problem:
                                found.append(
                                    UnreadableCell(
                                        row, get_column_letter(column), problem
                                    )
                                )
                        element.clear()
                    elif name == "row":
                        element.clear()
    except (KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return found  # xlsx_check or openpyxl names what is wrong with the file
    return found


def _xlsx_read(data: bytes) -> SourceTable:
    try:
        extent = xlsx_check(data, SHEET_NAME)
    except WorkbookRefused as error:
        raise SourceError([str(error)]) from error
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise SourceError([f"not an XLSX workbook we can read ({error})"]) from error
    problems = Problems()
    try:
        if SHEET_NAME not in workbook.sheetnames or extent is None:
            raise SourceError(
                [f'no sheet called "{SHEET_NAME}" (found: {workbook.sheetnames})']
            )
        unreadable = unreadable_number_cells(data, SHEET_NAME)
        if unreadable:
            raise SourceError(
                [
                    f'sheet "{SHEET_NAME}", row {cell.row}, column {cell.column}: '
                    f"{cell.problem}; type a plain number"
                    for cell in unreadable
                ]
            )
        rows = []
        if extent.rows and extent.columns:
            # Bounded by the cells found (xlsx_check), not the sheet's declared
            # dimension, which openpyxl would pad every row to.
            sheet_rows = workbook[SHEET_NAME].iter_rows(
                min_row=1, max_row=extent.rows, min_col=1, max_col=extent.columns
            )
            try:
                for number, row in enumerate(sheet_rows, start=1):
                    rows.append(
                        [_bounded_cell_text(cell, number, problems) for cell in row]
                    )
            except (ValueError, TypeError, ArithmeticError) as error:
                # openpyxl cannot cast a cell, e.g. <v>NaN</v> in a number cell.
                raise SourceError(
                    [
                        f'sheet "{SHEET_NAME}", row {len(rows) + 1}: a cell we '
                        f"cannot read ({str(error)[:100]}); type plain numbers "
                        "and text"
                    ]
                ) from error
    finally:
        workbook.close()
    if problems:
        raise SourceError(problems)
    return xlsx_rows_table(rows)


def _bounded_cell_text(cell, row: int, problems: Problems) -> str:
    """``cell_text``, or "" and a problem for a cell too long to be a table's."""
    value = getattr(cell, "value", None)
    if isinstance(value, str) and len(value) > MEASURES_MAX_CELL_CHARS:
        column = getattr(cell, "column_letter", "?")
        problems.append(
            f'sheet "{SHEET_NAME}", row {row}, column {column}: the cell is '
            f"{len(value):,} characters long; at most "
            f"{MEASURES_MAX_CELL_CHARS:,} are read"
        )
        return ""
    return cell_text(cell)


def xlsx_rows_table(rows: list[list[str]]) -> SourceTable:
    """The table part of the Measures sheet as text, and its metadata cells."""
    result = SourceTable(text="", sheet=SHEET_NAME)
    if not rows:
        raise SourceError([f'sheet "{SHEET_NAME}", {HEADER_MISSING}'])
    header = rows[0]
    if len(header) < len(LEADING_HEADERS):
        raise SourceError(
            [f'sheet "{SHEET_NAME}", {header_width_problem(len(header))}']
        )
    metadata_at = {
        index: METADATA_COLUMNS[name.strip()]
        for index, name in enumerate(header)
        if name.strip() in METADATA_COLUMNS
    }
    end = min(metadata_at, default=len(header))
    while end > 2 and not header[end - 1].strip():
        end -= 1
    lines = ["\t".join(header[:end])]
    for row_number, cells in enumerate(rows[1:], start=2):
        cells = [*cells, *[""] * (len(header) - len(cells))]
        table = _fill_blank_snapshots(cells[:end])
        if table is None:
            result.notes.append(
                f'sheet "{SHEET_NAME}", row {row_number}: "{cells[1]}" has no '
                "values; skipped"
            )
            table = []
        lines.append("\t".join(table))
        if table and table[1].strip():
            result.metadata[table[1].strip()] = MetadataCells(
                row_number=row_number,
                values={key: cells[i].strip() for i, key in metadata_at.items()},
                columns={
                    key: f'column {get_column_letter(i + 1)} "{header[i].strip()}"'
                    for i, key in metadata_at.items()
                },
            )
    result.text = "\n".join(lines)
    return result


def _fill_blank_snapshots(cells: list[str]) -> list[str] | None:
    """Blank snapshot blocks repeat the nearest filled one (a repeated period).

    None when a described measure has no snapshot filled in at all.
    """
    blocks = [
        cells[start : start + SNAPSHOT_WIDTH]
        for start in range(2, len(cells), SNAPSHOT_WIDTH)
    ]
    filled = [block for block in blocks if any(cell.strip() for cell in block)]
    if not filled:
        return None if cells[1].strip() else cells
    out = cells[:2]
    for block in blocks:
        if any(cell.strip() for cell in block):
            out += block
        else:
            out += filled[0] if len(out) == 2 else out[-SNAPSHOT_WIDTH:]
    return out
