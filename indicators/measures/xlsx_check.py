"""Look inside an XLSX upload before openpyxl reads it (ADR 0025).

An XLSX file is a zip of XML parts. A 1.6 KB file can declare cells at XFD1
and XFD1048576 (openpyxl then pads every row to 16,384 cells, for a million
rows) or hold one shared string of hundreds of megabytes. So, before reading:
the number of parts and each part's uncompressed size (the zip's directory;
reading stops at the declared size), then one streaming pass over the sheet's
XML for the cells that hold something, to find how far they reach. A workbook
beyond a limit is refused with a message naming it.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError, iterparse

from openpyxl.utils import column_index_from_string, get_column_letter

from indicators.import_limits import (
    MEASURES_MAX_COLUMNS,
    MEASURES_MAX_ROWS,
    XLSX_MAX_PART_BYTES,
    XLSX_MAX_PARTS,
    XLSX_MAX_TOTAL_BYTES,
    megabytes,
)
from marmot.whole_numbers import whole_number

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_RELATIONSHIP = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
)
# _XML_SAFETY: ElementTree never fetches external entities or DTDs, and expat
# (2.4.1 and later; Python 3.11 ships 2.5) refuses billion-laughs expansion;
# each part is also bounded by its declared size before it is parsed.
#: The sheet's last row as the template is read: the header, then the rows.
MAX_SHEET_ROWS = MEASURES_MAX_ROWS + 1


class WorkbookRefused(ValueError):
    """The workbook is beyond a limit; the message names it."""


@dataclass(frozen=True)
class SheetExtent:
    """How far the cells that hold a value reach (0, 0 for none)."""

    rows: int
    columns: int
    declared: str  # the sheet's <dimension ref="…">, "" when absent


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part's path, from xl/workbook.xml and its rels."""
    try:
        targets = {}
        with archive.open("xl/_rels/workbook.xml.rels") as rels:
            for _, element in iterparse(rels):  # noqa: S314 - see _XML_SAFETY
                if _local(element.tag) == "Relationship":
                    target = element.get("Target", "")
                    if not target.startswith("/"):
                        target = posixpath.normpath(posixpath.join("xl", target))
                    targets[element.get("Id")] = target.lstrip("/")
        sheets = {}
        with archive.open("xl/workbook.xml") as workbook:
            for _, element in iterparse(workbook):  # noqa: S314
                if _local(element.tag) == "sheet":
                    part = targets.get(element.get(_RELATIONSHIP))
                    if part:
                        sheets[element.get("name", "")] = part
        return sheets
    except (KeyError, ParseError) as error:
        raise WorkbookRefused(f"not an XLSX workbook we can read ({error})") from error


def _extent(archive: zipfile.ZipFile, part: str) -> SheetExtent:
    """One streaming pass over a sheet's XML: the cells that hold a value."""
    max_row = max_column = 0
    row = column = 0
    declared = ""
    try:
        with archive.open(part) as sheet:
            for event, element in iterparse(sheet, events=("start", "end")):  # noqa: S314
                name = _local(element.tag)
                if event == "start":
                    if name == "row":
                        number = element.get("r")
                        row = whole_number(number) or row + 1
                        column = 0
                    elif name == "dimension":
                        declared = element.get("ref", "")[:40]
                    continue
                if name == "c":
                    match = _REF.match(element.get("r") or "")
                    if match:
                        column = column_index_from_string(match[1].upper())
                        row = int(match[2])
                    else:
                        column += 1
                    if len(element):  # a value, inline string or formula
                        max_row, max_column = max(max_row, row), max(max_column, column)
                    element.clear()
                elif name == "row":
                    element.clear()
    except (KeyError, ParseError, ValueError) as error:
        raise WorkbookRefused(f"not an XLSX workbook we can read ({error})") from error
    return SheetExtent(max_row, max_column, declared)


def xlsx_check(data: bytes, sheet_name: str) -> SheetExtent | None:
    """Check the workbook's sizes and how far ``sheet_name``'s cells reach.

    Return the sheet's extent (None when there is no such sheet); raise
    :class:`WorkbookRefused` naming the limit a workbook goes beyond.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise WorkbookRefused(f"not an XLSX workbook we can read ({error})") from error
    with archive:
        if len(parts) > XLSX_MAX_PARTS:
            raise WorkbookRefused(
                f"the workbook has {len(parts):,} parts; at most "
                f"{XLSX_MAX_PARTS:,} are read"
            )
        for part in parts:
            if part.file_size > XLSX_MAX_PART_BYTES:
                raise WorkbookRefused(
                    f"the workbook's part {part.filename[:100]} is "
                    f"{megabytes(part.file_size)} uncompressed; at most "
                    f"{megabytes(XLSX_MAX_PART_BYTES)} is read (the template's "
                    "parts are a few kilobytes)"
                )
        total = sum(part.file_size for part in parts)
        if total > XLSX_MAX_TOTAL_BYTES:
            raise WorkbookRefused(
                f"the workbook is {megabytes(total)} uncompressed; at most "
                f"{megabytes(XLSX_MAX_TOTAL_BYTES)} is read"
            )
        part = _sheet_parts(archive).get(sheet_name)
        if part is None:
            return None
        extent = _extent(archive, part)
    if extent.rows > MAX_SHEET_ROWS or extent.columns > MEASURES_MAX_COLUMNS:
        declared = extent.declared and f" (it declares its size as {extent.declared})"
        raise WorkbookRefused(
            f'sheet "{sheet_name}" has cells up to column '
            f"{get_column_letter(extent.columns)} and row {extent.rows:,}{declared}; "
            f"the template is read up to column "
            f"{get_column_letter(MEASURES_MAX_COLUMNS)} and row {MAX_SHEET_ROWS:,}"
        )
    return extent
