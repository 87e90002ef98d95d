"""The limits every file import checks before and while reading (ADR 0025).

An officer's upload (or a file given to a command) is read with bounded memory:
its declared dimensions and sizes are checked before it is parsed, rows are
read one at a time, every cell and row is bounded, and the problems are
counted but only the first :data:`MAX_LISTED_PROBLEMS` kept. A file beyond a
limit is refused with a message naming the limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

#: Problems kept (and shown) per import; the rest are only counted.
MAX_LISTED_PROBLEMS = 100

# The outcome-measure table (TSV, CSV or the XLSX template). A place publishes
# a few dozen measures in two snapshots of 8 columns; these are far above that.
MEASURES_MAX_ROWS = 1_000
MEASURES_MAX_COLUMNS = 120  # 2, 12 snapshots of 8 and the metadata columns
MEASURES_MAX_CELL_CHARS = 500  # the first place's longest is 96

# The XLSX template: what its parts may hold, uncompressed, before openpyxl
# reads them, and the sheet dimension it may declare.
XLSX_MAX_PART_BYTES = 20 * 1024 * 1024  # the Measures sheet; sharedStrings
XLSX_MAX_TOTAL_BYTES = 50 * 1024 * 1024  # every part together
XLSX_MAX_PARTS = 1_000

# A Fingertips data CSV (26 or 27 columns): fields per row, characters per
# field (the longest the database stores is 255) and per record.
FINGERTIPS_MAX_COLUMNS = 100
FINGERTIPS_MAX_FIELD_CHARS = 10_000
FINGERTIPS_MAX_RECORD_CHARS = 100_000


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


class Problems(list):
    """A list of problems that keeps the first ``limit`` and counts them all.

    ``append``, ``extend`` and ``+=`` count every problem; ``total`` is the
    count and ``more`` how many were counted but not kept.
    """

    def __init__(self, items: Iterable = (), *, limit: int = MAX_LISTED_PROBLEMS):
        super().__init__()
        self.limit = limit
        self.total = 0
        self.extend(items)

    def append(self, item) -> None:
        self.total += 1
        if len(self) < self.limit:
            super().append(item)

    def extend(self, items: Iterable) -> None:
        if isinstance(items, Problems):
            for item in list.__iter__(items):
                self.append(item)
            self.total += items.more
            return
        for item in items:
            self.append(item)

    def __iadd__(self, items: Iterable):
        self.extend(items)
        return self

    @property
    def more(self) -> int:
        return self.total - len(self)

    @property
    def full(self) -> bool:
        """Whether no further problem would be kept (only counted)."""
        return len(self) >= self.limit


def problems_total(problems: Iterable) -> int:
    """How many problems a list stands for (a :class:`Problems` may hold fewer)."""
    if isinstance(problems, Problems):
        return problems.total
    return len(list(problems)) if not isinstance(problems, list) else len(problems)


def more_line(more: int, total: int) -> str:
    """The line that ends a capped list of problems."""
    listed = total - more
    return (
        f"…and {more:,} more ({total:,} problems in all; "
        f"the first {listed:,} are listed)"
    )


class RecordTooLong(ValueError):
    """A record (one line, or several inside quotes) is longer than allowed."""

    def __init__(self, line: int, limit: int):
        self.line = line
        self.limit = limit
        super().__init__(
            f"is longer than {limit:,} characters, the most a row may have "
            "(is it the right file?)"
        )


_LINE_END = re.compile(r"\r\n|\r|\n")


class BoundedLines:
    """The lines of ``text`` with their line ends, one at a time, for
    ``csv.reader`` (no copy of the text, no list of lines).

    Iterating raises :class:`RecordTooLong` once the record being read passes
    ``max_record_chars``; call :meth:`record_done` after each record the reader
    returns (``csv.reader`` reads no further than the record's last line).
    """

    def __init__(self, text: str, *, max_record_chars: int):
        self.text = text
        self.max_record_chars = max_record_chars
        self.line = 0  # lines read so far
        self._record_chars = 0
        self._record_line = 1

    def record_done(self) -> None:
        self._record_chars = 0
        self._record_line = self.line + 1

    def __iter__(self) -> Iterator[str]:
        text, position, length = self.text, 0, len(self.text)
        while position < length:
            match = _LINE_END.search(text, position)
            end = match.end() if match else length
            self.line += 1
            self._record_chars += end - position
            if self._record_chars > self.max_record_chars:
                raise RecordTooLong(self._record_line, self.max_record_chars)
            yield text[position:end]
            position = end


def line_numbers(text: str, needle: str, *, limit: int = 10) -> tuple[list[int], int]:
    """The first ``limit`` 1-based line numbers (by ``\\n``) holding ``needle``,
    and how many lines hold it, without splitting the text into a list."""
    shown: list[int] = []
    count, line, last_line, position = 0, 1, 0, 0
    while (found := text.find(needle, position)) != -1:
        line += text.count("\n", position, found)
        if line != last_line:
            count += 1
            if len(shown) < limit:
                shown.append(line)
            last_line = line
        position = found + 1
    return shown, count


_ANY_LINE_END = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def table_text_problems(
    text: str,
    *,
    max_rows: int = MEASURES_MAX_ROWS,
    max_columns: int = MEASURES_MAX_COLUMNS,
    max_cell_chars: int = MEASURES_MAX_CELL_CHARS,
) -> Problems:
    """The problems that make a tab-separated table too big to check: more
    than ``max_rows`` rows that are not blank, a row of more than
    ``max_columns`` columns, a cell of more than ``max_cell_chars`` characters.

    Rows are numbered as :meth:`str.splitlines` numbers them (as the table's
    parser does), without making the list of lines.
    """
    problems = Problems()
    position, number, filled, length = 0, 0, 0, len(text)
    while position < length:
        match = _ANY_LINE_END.search(text, position)
        end = match.start() if match else length
        number += 1
        if number > max_rows * 10:
            problems.append(
                f"row {number}: the file has more than {max_rows * 10:,} lines; "
                "nothing after this row was read"
            )
            break
        if text.count("\t", position, end) + 1 > max_columns:
            columns = text.count("\t", position, end) + 1
            problems.append(
                f"row {number}: {columns:,} columns; a table may have at most "
                f"{max_columns:,} (2, then 8 for each snapshot)"
            )
        elif end - position > max_cell_chars and (
            number > 1 or (text.count("\t", position, end) - 1) % 8 == 0
        ):  # a header of the wrong width is the parser's to name
            for column, cell in enumerate(text[position:end].split("\t"), 1):
                if len(cell) > max_cell_chars:
                    problems.append(
                        f"row {number}, column {column}: the cell is "
                        f"{len(cell):,} characters long; at most "
                        f"{max_cell_chars:,} are read"
                    )
        if text[position:end].strip():
            filled += 1
            if filled > max_rows:
                problems.append(
                    f"row {number}: the table has more than {max_rows:,} rows, "
                    "the most it may have; nothing after this row was read"
                )
                break
        position = match.end() if match else length
    return problems
