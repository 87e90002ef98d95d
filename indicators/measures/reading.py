"""Read and check a place's measures.json and outcome-measure table (no DB writes).

:func:`measures_read` reads and checks both files without touching the database
and raises :class:`MeasuresLoadError` listing every problem (file, row, column).
:func:`indicators.measures.writing.measures_write` then writes indicators,
periods, values, published assessments and trends through the services; call it
inside the load's transaction. Nothing here knows which place it is loading.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indicators.import_limits import (
    MAX_LISTED_PROBLEMS,
    Problems,
    more_line,
    problems_total,
    table_text_problems,
)
from indicators.measures.table import (
    SNAPSHOT_WIDTH,
    MeasuresTable,
    MeasuresTableError,
    parse_measures_table,
    trend_label,
)
from indicators.models import Indicator
from indicators.periods import PeriodLabelError, parse_period_label

MEASURES_FILE = "measures.json"
DEFAULT_TABLE_FILE = "outcome-measures.tsv"
FORMAT_VERSION = 1
PERCENT_UNIT = "%"

REQUIRED_FIELDS = ("code", "name", "value_type", "polarity")
OPTIONAL_FIELDS = (
    "unit",
    "multiplier",
    "principle",
    "workstreams",
    "display_decimals",
    "source",
    "fingertips_id",
    "definition",
    "numerator",
    "denominator",
    "kind",
    "update_frequency",
    "note",
)
CHOICES = {
    "value_type": Indicator.ValueType.values,
    "polarity": Indicator.Polarity.values,
    "kind": Indicator.Kind.values,
    "update_frequency": Indicator.Frequency.values,
}
# Snapshot column offsets (see indicators.measures.table).
DATE, PLACE, COUNTRY, REGION, TREND = 0, 1, 2, 3, 7
COMPARISON_OFFSETS = {"national": 4, "region": 5, "nearest_neighbours": 6}


class MeasuresLoadError(Exception):
    """The measures could not be loaded; the message lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        total = problems_total(problems)
        noun = "problem" if total == 1 else "problems"
        lines = [f"  - {problem}" for problem in problems[:MAX_LISTED_PROBLEMS]]
        if total > len(lines):
            lines.append(f"  - {more_line(total - len(lines), total)}")
        joined = "\n".join(lines)
        super().__init__(f"{total:,} {noun} in the outcome measures:\n{joined}")


@dataclass(frozen=True)
class MeasuresData:
    table: MeasuresTable
    metadata: Mapping[str, Mapping[str, Any]]  # by published description
    table_path: Path
    source: str
    # True: values already stored keep their source; only new ones get ``source``.
    keep_existing_source: bool = False
    #: When the source published the table (``table.released_on``), if known.
    released_on: dt.date | None = None


def read_text(path: Path) -> str:
    """A UTF-8 text file (BOM optional, no NUL); ValueError naming file and row.

    FileNotFoundError is left to the caller.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        raise ValueError(
            f"{path}: not UTF-8 text (row {row}, byte {error.start}: "
            f"0x{data[error.start]:02x}; the file looks like Windows-1252, "
            "Latin-1 or UTF-16); save it as UTF-8"
        ) from error
    if "\x00" in text:
        row = text.count("\n", 0, text.index("\x00")) + 1
        raise ValueError(
            f"{path}: row {row} contains NUL characters, so it is not text "
            "(UTF-16?); save it as UTF-8"
        )
    return text


def read_json(path: Path) -> Any:
    """Read a JSON data file; raise ValueError naming the file on any problem."""
    try:
        return json.loads(read_text(path))
    except FileNotFoundError as error:
        raise ValueError(f"{path}: file not found") from error
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})"
        ) from error
    except RecursionError as error:
        raise ValueError(f"{path}: not valid JSON (nested too deeply)") from error


def release_date(text: Any) -> tuple[dt.date | None, str]:
    """``table.released_on`` as a date, and the problem with it ("" if none).

    A full date (``2024-03-15``); when the source gives only the month or the
    year, ``2024-03`` or ``2024`` mean its first day (a reader sees "March 2024"
    or "2024"; see data/README.md). Missing: None.
    """
    if text is None or text == "":
        return None, ""
    if not isinstance(text, str):
        return None, f"expected a date as text (YYYY-MM-DD), not {text!r}"
    for pattern, length in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        if len(text) != length:
            continue
        try:
            return dt.datetime.strptime(text, pattern).date(), ""
        except ValueError:
            break
    return None, f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"


def _check_metadata(
    entry: Any,
    where: str,
    principle_numbers: set[int],
    workstream_slugs: set[str],
) -> list[str]:
    if not isinstance(entry, dict):
        return [f"{where}: expected an object"]
    problems = [
        f"{where}: {key} is missing" for key in REQUIRED_FIELDS if not entry.get(key)
    ]
    unknown = set(entry) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
    problems += [f"{where}: unknown field {key}" for key in sorted(unknown)]
    for key, allowed in CHOICES.items():
        if key in entry and entry[key] not in allowed:
            problems.append(
                f"{where}.{key}: {entry[key]!r} is not one of {', '.join(allowed)}"
            )
    principle = entry.get("principle")
    if principle is not None and principle not in principle_numbers:
        problems.append(f"{where}.principle: no principle {principle!r}")
    for slug in entry.get("workstreams") or []:
        if slug not in workstream_slugs:
            problems.append(f"{where}.workstreams: no workstream {slug!r}")
    return problems


def metadata_check(
    metadata: Mapping[str, Any],
    *,
    source: str,
    principle_numbers: set[int],
    workstream_slugs: set[str],
) -> list[str]:
    """Check measures.json-style entries (keyed by description); list problems."""
    problems = []
    codes: dict[str, str] = {}
    for description, entry in metadata.items():
        where = f'{source}: measures["{description}"]'
        problems += _check_metadata(entry, where, principle_numbers, workstream_slugs)
        code = entry.get("code") if isinstance(entry, dict) else None
        if code in codes:
            problems.append(f"{where}.code: {code!r} is also used by {codes[code]!r}")
        codes.setdefault(code, description)
    return problems


def table_check(
    table: MeasuresTable,
    metadata: Mapping[str, Mapping[str, Any]],
    place_name: str,
    country_name: str,
    metadata_source: str = MEASURES_FILE,
) -> list[str]:
    """Check the table against the place and the metadata; name row and column.

    ``metadata`` is keyed by published description; ``metadata_source`` names
    where a missing entry should have been given.
    """
    problems = []
    for index, expected in ((3, place_name), (4, country_name)):
        if table.columns[index] != expected:
            problems.append(
                f"row 1, {table.column_name(index)}: expected the area name "
                f'"{expected}" from the programme'
            )
    for row in table.rows:
        meta = metadata.get(row.description)
        if meta is None:
            problems.append(
                f"row {row.row_number}, {table.column_name(1)}: "
                f'"{row.description}" has no entry in {metadata_source}'
            )
            continue
        if meta.get("principle") != row.principle:
            problems.append(
                f"row {row.row_number}, {table.column_name(0)}: the table puts "
                f"this measure under {row.group}, {metadata_source} under principle "
                f"{meta.get('principle')}"
            )
        for snapshot in row.snapshots:
            start = 2 + (snapshot.number - 1) * SNAPSHOT_WIDTH

            def where(offset: int, row=row, start=start) -> str:
                return f"row {row.row_number}, {table.column_name(start + offset)}"

            try:
                parse_period_label(snapshot.period_label)
            except PeriodLabelError as error:
                problems.append(f"{where(DATE)}: {error}")
            cells = ((PLACE, snapshot.place), (COUNTRY, snapshot.country))
            for offset, cell in (*cells, (REGION, snapshot.region)):
                unit = str(meta.get("unit") or "")
                if cell.is_percent and not unit.startswith(PERCENT_UNIT):
                    problems.append(
                        f'{where(offset)}: "{cell.text}" is a percentage but the '
                        f"measure's unit is {meta.get('unit')!r}"
                    )
            if snapshot.trend_text:
                try:
                    trend_label(snapshot.trend_text, meta["polarity"])
                except ValueError as error:
                    problems.append(f"{where(TREND)}: {error}")
    return problems


def measures_read(
    *,
    directory: Path,
    place_name: str,
    country_name: str,
    principle_numbers: set[int],
    workstream_slugs: set[str],
) -> MeasuresData:
    """Read and check ``measures.json`` and its table; write nothing.

    Raise MeasuresLoadError listing every problem, each naming its file and,
    for the table, its row and column.
    """
    meta_path = directory / MEASURES_FILE
    try:
        document = read_json(meta_path)
    except ValueError as error:
        raise MeasuresLoadError([str(error)]) from error
    if not isinstance(document, dict) or not isinstance(document.get("measures"), dict):
        raise MeasuresLoadError([f"{meta_path}: expected an object with measures"])
    problems = []
    if document.get("format_version") != FORMAT_VERSION:
        problems.append(f"{meta_path}: format_version must be {FORMAT_VERSION}")
    metadata = document["measures"]
    problems += metadata_check(
        metadata,
        source=str(meta_path),
        principle_numbers=principle_numbers,
        workstream_slugs=workstream_slugs,
    )
    table_info = document.get("table") or {}
    if not isinstance(table_info, dict):
        problems.append(f"{meta_path}: table: expected an object")
        table_info = {}
    released_on, problem = release_date(table_info.get("released_on"))
    if problem:
        problems.append(f"{meta_path}: table.released_on: {problem}")
    table_path = directory / table_info.get("file", DEFAULT_TABLE_FILE)
    try:
        text = read_text(table_path)
        too_big = table_text_problems(text)
        if too_big:
            raise MeasuresLoadError(
                Problems([*problems, *(f"{table_path}: {p}" for p in too_big)])
            )
        table = parse_measures_table(text, source=str(table_path))
    except FileNotFoundError:
        raise MeasuresLoadError([*problems, f"{table_path}: file not found"]) from None
    except MeasuresTableError as error:
        problems += [f"{table_path}: {problem}" for problem in error.problems]
        raise MeasuresLoadError(Problems(problems)) from error
    except ValueError as error:
        raise MeasuresLoadError([*problems, str(error)]) from error
    if problems:
        raise MeasuresLoadError(problems)
    table_problems = table_check(table, metadata, place_name, country_name)
    problems = [f"{table_path}: {problem}" for problem in table_problems]
    published = {row.description for row in table.rows}
    problems += [
        f'{meta_path}: measures["{description}"]: not in {table_path.name}'
        for description in metadata
        if description not in published
    ]
    if problems:
        raise MeasuresLoadError(problems)
    return MeasuresData(
        table,
        metadata,
        table_path,
        table_info.get("source", ""),
        released_on=released_on,
    )
