"""Read a Fingertips data CSV from bytes into numbered records.

The file must be UTF-8 (with or without a byte-order mark), as Fingertips
publishes it. Anything else is reported line by line rather than guessed at: a
file re-saved as Windows-1252 would otherwise import "Â£" where "£" was meant.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from indicators.fingertips.errors import RowError

ProgressCallback = Callable[[str, int, int], None]

_BOMS_NOT_UTF8 = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
_SAVE_AS = "save it as 'CSV UTF-8' and import it again"
_PROGRESS_EVERY = 5000


@dataclass
class Records:
    """The header row and the data records, each with its 1-based line number."""

    header: list[str] = field(default_factory=list)
    header_line: int = 1
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _decode(data: bytes) -> tuple[str | None, list[RowError]]:
    """Decode UTF-8 (BOM optional); on failure, one error per undecodable line."""
    for bom, name in _BOMS_NOT_UTF8.items():
        if data.startswith(bom):
            return None, [
                RowError(None, None, f"the file is {name}, not UTF-8: {_SAVE_AS}")
            ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        errors = []
        for number, line in enumerate(data.splitlines(), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = line[exc.start : exc.start + 1].hex()
                errors.append(
                    RowError(
                        number,
                        None,
                        f"byte 0x{bad} at character {exc.start + 1} is not UTF-8 "
                        f"(the file looks like Windows-1252 or Latin-1): {_SAVE_AS}",
                    )
                )
        return None, errors
    if "\x00" in text:
        lines = [n for n, line in enumerate(text.splitlines(), 1) if "\x00" in line]
        return None, [
            RowError(n, None, f"contains NUL characters, so it is not text: {_SAVE_AS}")
            for n in lines
        ]
    return text, []


def records_read(data: bytes, *, progress: ProgressCallback | None = None) -> Records:
    """Split a file into its header and records, or report why it cannot be read.

    Blank lines are skipped. Records whose number of fields differs from the
    header's are reported (and dropped); the caller checks the header itself.
    """
    records = Records()
    if not data.strip():
        records.errors.append(RowError(None, None, "the file is empty"))
        return records
    text, errors = _decode(data)
    if text is None:
        records.errors.extend(errors)
        return records
    if not text.strip():
        records.errors.append(RowError(None, None, "the file is empty"))
        return records
    total_lines = text.count("\n") + 1
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    try:
        for fields in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(fields) or (len(fields) == 1 and not fields[0].strip()):
                continue
            if not records.header:
                records.header, records.header_line = fields, start
                continue
            if len(fields) != len(records.header):
                records.errors.append(
                    RowError(
                        start,
                        None,
                        f"has {len(fields)} fields but the header has "
                        f"{len(records.header)}",
                    )
                )
                continue
            records.rows.append((start, fields))
            if progress and len(records.rows) % _PROGRESS_EVERY == 0:
                progress("read", previous_end, total_lines)
    except csv.Error as exc:
        records.errors.append(
            RowError(previous_end + 1, None, f"is not valid CSV ({exc})")
        )
    if progress:
        progress("read", total_lines, total_lines)
    if not records.rows and not records.errors:
        records.errors.append(
            RowError(None, None, "the file has a header but no data rows")
        )
    return records
