"""Read a Fingertips data CSV from bytes into numbered records.

The file must be UTF-8 (with or without a byte-order mark), as Fingertips
publishes it. Anything else is reported line by line rather than guessed at: a
file re-saved as Windows-1252 would otherwise import "Â£" where "£" was meant.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from indicators.fingertips.errors import RowError
from indicators.import_limits import (
    FINGERTIPS_MAX_COLUMNS,
    FINGERTIPS_MAX_RECORD_CHARS,
    BoundedLines,
    Problems,
    RecordTooLong,
    line_numbers,
)

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
    """The header row, then the data records, each with its 1-based line number.

    ``rows`` is read lazily, one record at a time, as it is iterated (once);
    problems found while reading are added to ``errors``, which keeps the first
    :data:`~indicators.import_limits.MAX_LISTED_PROBLEMS` and counts the rest.
    """

    header: list[str] = field(default_factory=list)
    header_line: int = 1
    rows: Iterator[tuple[int, list[str]]] = field(default_factory=lambda: iter(()))
    errors: Problems = field(default_factory=Problems)


def _lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(1-based number, line) of bytes, one at a time."""
    position, number, length = 0, 0, len(data)
    while position < length:
        end = data.find(b"\n", position)
        end = length if end == -1 else end + 1
        number += 1
        yield number, data[position:end]
        position = end


def _decode(data: bytes, errors: Problems) -> str | None:
    """Decode UTF-8 (BOM optional); on failure, one error per undecodable line."""
    for bom, name in _BOMS_NOT_UTF8.items():
        if data.startswith(bom):
            errors.append(
                RowError(None, None, f"the file is {name}, not UTF-8: {_SAVE_AS}")
            )
            return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        for number, line in _lines(data):
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
        return None
    if "\x00" in text:
        shown, count = line_numbers(text, "\x00", limit=errors.limit)
        message = f"contains NUL characters, so it is not text: {_SAVE_AS}"
        for number in shown:
            errors.append(RowError(number, None, message))
        errors.total += count - len(shown)
        return None
    return text


def _records(
    text: str, records: Records, progress: ProgressCallback | None
) -> Iterator[tuple[int, list[str]]]:
    """The data records after the header, checking each record's size and
    number of fields as it comes."""
    errors = records.errors
    total_lines = text.count("\n") + 1
    lines = BoundedLines(text, max_record_chars=FINGERTIPS_MAX_RECORD_CHARS)
    reader = csv.reader(lines)
    previous_end, read = 0, 0
    try:
        for fields in reader:
            start, previous_end = previous_end + 1, reader.line_num
            lines.record_done()
            if not any(fields) or (len(fields) == 1 and not fields[0].strip()):
                continue
            if not records.header:
                if len(fields) > FINGERTIPS_MAX_COLUMNS:
                    errors.append(
                        RowError(
                            start,
                            None,
                            f"the header has {len(fields):,} columns; a Fingertips "
                            f"data file has 26 or 27 (at most "
                            f"{FINGERTIPS_MAX_COLUMNS} are read)",
                        )
                    )
                    return
                records.header, records.header_line = fields, start
                yield None  # the header is read: the caller may check it
                continue
            if len(fields) != len(records.header):
                errors.append(
                    RowError(
                        start,
                        None,
                        f"has {len(fields)} fields but the header has "
                        f"{len(records.header)}",
                    )
                )
                continue
            read += 1
            yield start, fields
            if progress and read % _PROGRESS_EVERY == 0:
                progress("read", previous_end, total_lines)
    except RecordTooLong as exc:
        errors.append(RowError(exc.line, None, str(exc)))
    except csv.Error as exc:
        errors.append(RowError(previous_end + 1, None, f"is not valid CSV ({exc})"))
    if progress:
        progress("read", total_lines, total_lines)


def records_read(data: bytes, *, progress: ProgressCallback | None = None) -> Records:
    """Decode the file and read its header; the records follow lazily in
    ``rows``, or ``errors`` says why the file cannot be read.

    Blank lines are skipped. Records whose number of fields differs from the
    header's are reported (and dropped); the caller checks the header itself
    and reports a file with a header but no data rows.
    """
    records = Records()
    if not data.strip():
        records.errors.append(RowError(None, None, "the file is empty"))
        return records
    text = _decode(data, records.errors)
    if text is None:
        return records
    if not text.strip():
        records.errors.append(RowError(None, None, "the file is empty"))
        return records
    rows = _records(text, records, progress)
    if next(rows, None) is None and not records.header:
        return records  # no header: an error says why, or the file is blank
    records.rows = rows
    return records
