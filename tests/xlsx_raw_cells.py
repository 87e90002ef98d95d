"""Builders for XLSX files whose cells hold what openpyxl would never write:
``<v>inf</v>`` in a number cell, a number of 5,001 digits. Shared by the
measures-import and KPI-spreadsheet tests."""

from __future__ import annotations

import io
import zipfile

#: Put this number in the cell first; :func:`with_raw_number` replaces it.
PLACEHOLDER = 987654321


def with_raw_number(data: bytes, raw: str) -> bytes:
    """``data`` (an XLSX file) with each number cell holding
    :data:`PLACEHOLDER` rewritten to hold ``raw`` as its ``<v>`` text."""
    needle = f"<v>{PLACEHOLDER}</v>".encode()
    out = io.BytesIO()
    found = False
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/") and needle in part:
                part = part.replace(needle, f"<v>{raw}</v>".encode())
                found = True
            target.writestr(info, part)
    assert found, "no number cell holds the placeholder"
    return out.getvalue()
