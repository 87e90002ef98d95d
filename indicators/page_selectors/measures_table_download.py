"""The measures table as CSV or XLSX: one row per measure, both snapshots.

The columns follow the published outcome-measure table: the principle group,
the description as published (then the standard name, code and unit), and for
the earlier and the latest snapshot the date of measure, the place's, the
country's and the region's values (numbers, not text), the comparisons as the
published letters (G, A, R, N/a; "Higher"/"Lower" where neither is better) and
the trend label. Text a spreadsheet would run as a formula gets a leading
``'`` (:func:`indicators.fingertips.exporter.cell_neutralise`).
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from indicators.fingertips.exporter import cell_neutralise
from indicators.page_selectors.measures_table import MeasuresTable, Snapshot

SNAPSHOTS = ("Earlier snapshot", "Latest snapshot")


def header(table: MeasuresTable) -> list[str]:
    columns = ["Marmot principle", "Measure (as published)", "Measure", "Code", "Unit"]
    for name in SNAPSHOTS:
        columns += [
            f"{name}: date of measure",
            f"{name}: {table.place_name}",
            f"{name}: {table.country_name}",
            f"{name}: region ({table.region_name})",
            f"{name}: comparison to {table.country_name}",
            f"{name}: comparison to region",
            f"{name}: comparison to nearest neighbours",
            f"{name}: trend",
        ]
    return columns


def _snapshot_cells(snapshot: Snapshot | None) -> list:
    if snapshot is None:
        return [""] + [None] * 3 + [""] * 4
    return [snapshot.period, *snapshot.values, *snapshot.letters, snapshot.trend]


def rows(table: MeasuresTable) -> list[list]:
    """The header, then one row per measure in the table's order."""
    found = [header(table)]
    for row in table.rows:
        found.append(
            [
                row.principle,
                row.published_name,
                row.name,
                row.code,
                row.unit,
                *_snapshot_cells(row.earlier),
                *_snapshot_cells(row.latest),
            ]
        )
    return found


def _number_text(number: float | None) -> str:
    if number is None:
        return ""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def _text(cell) -> str:
    return cell_neutralise(ILLEGAL_CHARACTERS_RE.sub("", cell or ""))


def measures_csv(table: MeasuresTable) -> str:
    """The table as CSV text: numbers as numbers, text never a formula."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    for number, row in enumerate(rows(table)):
        writer.writerow(
            [
                _number_text(cell)
                if number and not isinstance(cell, str)
                else _text(cell)
                for cell in row
            ]
        )
    return stream.getvalue()


def measures_xlsx(table: MeasuresTable) -> bytes:
    """The table as one XLSX sheet: numbers numeric, text never a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Outcome measures")
    for number, row in enumerate(rows(table)):
        sheet.append(
            [
                cell if number and not isinstance(cell, str) else _text(cell) or None
                for cell in row
            ]
        )
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
