"""Builders of the hostile files that once exhausted a worker's memory (issue 14).

Made in code, never committed: small on disk, huge when read. Used by
tests/indicators/test_hostile_memory.py and bench/hostile_memory.py (which
passes bigger sizes). Pure Python: no Django needed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent.parent
PLACES = ROOT / "data" / "places"
SHARED_STRINGS = "xl/sharedStrings.xml"
_SST_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'count="1" uniqueCount="1"><si><t>'
)
_SST_CLOSE = b"</t></si></sst>"


def _table_lines() -> list[str]:
    place = sorted(p for p in PLACES.iterdir() if p.is_dir())[0]
    return (place / "outcome-measures.tsv").read_text(encoding="utf-8").splitlines()


def _workbook_bytes(workbook: Workbook) -> bytes:
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def xlsx_far_cells() -> bytes:
    """A ~1.6 KB template whose "Measures" sheet has cells at XFD1 and
    XFD1048576: read naively, every row is padded to 16,384 columns, for a
    million rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Measures"
    sheet["A1"] = "Principle group"
    sheet["XFD1"] = "far right"
    sheet["XFD1048576"] = "far down"
    return _workbook_bytes(workbook)


def xlsx_huge_shared_string(megabytes: int = 64) -> bytes:
    """A small template whose one shared string is ``megabytes`` MB of text
    (the zip compresses it ~1000 times), used by cell A2."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Measures"
    sheet["A1"] = "Principle group"
    sheet["A2"] = "placeholder"
    plain = _workbook_bytes(workbook)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != SHARED_STRINGS:
                target.writestr(info, source.read(info.filename))
        with target.open(SHARED_STRINGS, "w", force_zip64=True) as part:
            part.write(_SST_OPEN)
            chunk = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
            part.write(_SST_CLOSE)
    return out.getvalue()


def tsv_wide_header(tabs: int = 4_000_000) -> bytes:
    """The published table with ``tabs`` more tabs in its header (4,000,002
    columns: the two leading ones, then 500,000 blank snapshots of 8)."""
    lines = _table_lines()
    cells = lines[0].split("\t")
    lines[0] = "\t".join(cells[:2]) + "\t" * tabs
    return "\n".join(lines).encode()


def fingertips_bad_rows(header: list[str], megabytes: int = 16) -> bytes:
    """A Fingertips CSV of ``megabytes`` MB whose every data row is wrong in
    every column it can be (about a dozen problems a row)."""
    bad = ",".join("x" for _ in header).encode() + b"\r\n"
    rows = (megabytes * 1024 * 1024) // len(bad)
    return ",".join(header).encode() + b"\r\n" + bad * rows
