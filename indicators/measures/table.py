"""Parse a place's published outcome-measure table (tab-separated). Pure Python.

Layout, one measure per line (header = row 1):

- column 1: the principle group, "Overarching" or 1–8, written on the group's
  first line and carried down;
- column 2: the measure description exactly as published (a trailing "**" is part
  of it);
- then one or more snapshots of eight columns each: "Date of measure", the
  place's value, the country's value, the region's value, "Comparison to
  <country>", "Comparison to Region", "Comparison to NN" and "Trend".

Blank lines (separators) are skipped but still counted, so row numbers are the
file's line numbers. Every problem is collected; :class:`MeasuresTableError`
lists them all, each naming its row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marmot.whole_numbers import whole_number

SNAPSHOT_WIDTH = 8
# The published header puts "Measure description" over the group column and
# leaves the description's column blank, so these two are named here.
LEADING_COLUMNS = ("Principle group", "Measure description")
GROUP_OVERARCHING = "Overarching"
BENCHMARKS = ("national", "region", "nearest_neighbours")

MISSING_TEXTS = {"", "-", "\u2013", "n/a"}  # blank, hyphen, en dash, N/a

# Published RAG letters → Assessment.Result values.
COMPARISON_RESULTS = {
    "g": "better",
    "a": "similar",
    "r": "worse",
    "n/a": "not_compared",
}

# Published trend words → Trend.Label for each polarity. The words say whether
# the measure got better or worse, not which way its values moved, so neither
# do the labels ("Getting better", "Getting worse"): a direction would be ours,
# and the series may contradict it or (one period) not show it. Only the words
# for measures without a polarity name a direction, and then only that.
_CHANGE = "No significant change"
_CANNOT = "Cannot be calculated"
_ALL = ("high_is_good", "low_is_good", "no_judgement")
_JUDGED = ("high_is_good", "low_is_good")
TREND_LABELS = {
    "comparable": dict.fromkeys(_ALL, _CHANGE),
    "n/a": dict.fromkeys(_ALL, _CANNOT),
    "significantly improving": dict.fromkeys(_JUDGED, "Getting better"),
    "significantly worse": dict.fromkeys(_JUDGED, "Getting worse"),
    "significantly increasing": dict.fromkeys(("no_judgement",), "Increasing"),
    "significantly decreasing": dict.fromkeys(("no_judgement",), "Decreasing"),
}

_NUMBER = re.compile(
    r"^(?P<number>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)"
    r"\s*(?P<percent>%)?"
    r"(?:\s+(?P<suffix>[A-Za-z][A-Za-z ]*))?$"
)


class MeasuresTableError(ValueError):
    """Every problem found in a table, each naming its row and column."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source}: {len(problems)} {noun}:\n{lines}")


@dataclass(frozen=True)
class ValueCell:
    """A value cell: the number (None when not published) and the text as shown."""

    text: str
    value: float | None
    is_percent: bool = False
    suffix: str = ""


@dataclass(frozen=True)
class Comparison:
    benchmark: str  # national, region or nearest_neighbours
    text: str  # as published, e.g. "R" or "N/a"
    result: str  # an Assessment.Result value


@dataclass(frozen=True)
class Snapshot:
    number: int  # 1-based, left to right
    period_label: str
    place: ValueCell
    country: ValueCell
    region: ValueCell
    comparisons: tuple[Comparison, ...]
    trend_text: str  # as published; "" when blank

    def same_figures_as(self, other: Snapshot) -> bool:
        """Whether two snapshots publish the same values, comparisons and trend."""
        return (
            [c.value for c in (self.place, self.country, self.region)]
            == [c.value for c in (other.place, other.country, other.region)]
            and [c.result for c in self.comparisons]
            == [c.result for c in other.comparisons]
            and self.trend_text.casefold() == other.trend_text.casefold()
        )


@dataclass(frozen=True)
class MeasureRow:
    row_number: int
    group: str  # "Overarching" or "1".."8"
    principle: int | None
    description: str
    snapshots: tuple[Snapshot, ...]

    @property
    def distinct_snapshots(self) -> tuple[Snapshot, ...]:
        """The snapshots, leaving out any that repeats an earlier one's period."""
        seen: set[str] = set()
        kept = []
        for snapshot in self.snapshots:
            if snapshot.period_label not in seen:
                seen.add(snapshot.period_label)
                kept.append(snapshot)
        return tuple(kept)


@dataclass(frozen=True)
class MeasuresTable:
    source: str
    place_name: str
    country_name: str
    region_name: str
    columns: tuple[str, ...]  # the header, for naming columns in messages
    rows: tuple[MeasureRow, ...]

    def column_name(self, index: int) -> str:
        return describe_column(self.columns, index)


def describe_column(columns: tuple[str, ...], index: int) -> str:
    """Name a 0-based column as people see it: number, header and snapshot."""
    if index < len(LEADING_COLUMNS):
        header = LEADING_COLUMNS[index]
    else:
        header = columns[index] if index < len(columns) else ""
    name = f'column {index + 1} "{header}"' if header else f"column {index + 1}"
    if index >= 2:
        name += f" (snapshot {(index - 2) // SNAPSHOT_WIDTH + 1})"
    return name


def parse_value_cell(text: str) -> ValueCell:
    """Parse a value cell such as "85.40%", "10.5% households", "0.05" or "-".

    Raise ValueError if the cell is neither a number nor a "not published" mark
    ("-", "N/a" or blank).
    """
    stripped = text.strip()
    if stripped.casefold() in MISSING_TEXTS:
        return ValueCell(text=stripped, value=None)
    match = _NUMBER.match(stripped)
    if not match:
        raise ValueError(f'"{stripped}" is not a number')
    return ValueCell(
        text=stripped,
        value=float(match["number"].replace(",", "")),
        is_percent=bool(match["percent"]),
        suffix=(match["suffix"] or "").strip(),
    )


def parse_comparison(text: str) -> str | None:
    """The Assessment result for a published letter (G/A/R/N/a); None if blank."""
    stripped = text.strip()
    if not stripped:
        return None
    result = COMPARISON_RESULTS.get(stripped.casefold())
    if result is None:
        raise ValueError(f'"{stripped}" is not a comparison (G, A, R or N/a)')
    return result


def trend_label(text: str, polarity: str) -> str:
    """The trend label for published trend words and a polarity.

    The label says what the words say: "Significantly improving" is "Getting
    better" and "Significantly worse" is "Getting worse" whatever the polarity
    (never "Decreasing and …": the words give no direction); "Comparable" is
    "No significant change" and "N/a" is "Cannot be calculated". Polarity only
    decides which words make sense: "improving" and "worse" need a measure with
    a polarity, "increasing" and "decreasing" one without.
    """
    key = " ".join(text.split()).casefold()
    if key not in TREND_LABELS:
        known = ", ".join(f'"{word.capitalize()}"' for word in TREND_LABELS)
        raise ValueError(f'"{text.strip()}" is not a trend we know ({known})')
    label = TREND_LABELS[key].get(polarity)
    if label is None:
        raise ValueError(
            f'"{text.strip()}" makes no sense for a measure with polarity {polarity}'
        )
    return label


SNAPSHOT_COLUMNS = (
    "date of measure, the three areas' values, the three comparisons, trend"
)
HEADER_MISSING = "row 1: the file is empty; its first row should be the column headings"


def header_width_problem(found: int) -> str:
    """What is wrong with a header row of ``found`` columns, and what to fix."""
    widths = ", ".join(str(2 + SNAPSHOT_WIDTH * n) for n in (1, 2, 3))
    return (
        f"row 1 (the column headings) has {found} column{'s' if found != 1 else ''}; "
        "the table should have 2 columns (principle group, measure description) "
        f"and then {SNAPSHOT_WIDTH} columns for each snapshot ({SNAPSHOT_COLUMNS}), "
        f"so {widths} … columns in all. Check that this is the outcome-measure "
        "table, saved as tab-separated (.tsv) or comma-separated (.csv) text"
    )


def row_width_problem(row_number: int, found: int, expected: int) -> str:
    return (
        f"row {row_number} has {found} columns but the column headings have "
        f"{expected}: a cell in this row has a tab or comma too many or too few"
    )


def _parse_header(cells: list[str], problems: list[str]) -> tuple[str, str, str]:
    width = len(cells) - 2
    if width < SNAPSHOT_WIDTH or width % SNAPSHOT_WIDTH:
        problems.append(header_width_problem(len(cells)))
        return "", "", ""
    columns = tuple(cells)
    names = (cells[3].strip(), cells[4].strip(), cells[5].strip())
    for start in range(2, len(cells), SNAPSHOT_WIDTH):
        block = [cell.strip() for cell in cells[start : start + SNAPSHOT_WIDTH]]
        expected = {0: "Date of measure", 7: "Trend"}
        for offset, text in expected.items():
            if block[offset].casefold() != text.casefold():
                problems.append(
                    f"row 1, {describe_column(columns, start + offset)}: "
                    f'the heading should be "{text}" (each snapshot\'s '
                    f"{SNAPSHOT_WIDTH} columns run {SNAPSHOT_COLUMNS})"
                )
        for offset in (4, 5, 6):
            if not block[offset].casefold().startswith("comparison to"):
                problems.append(
                    f"row 1, {describe_column(columns, start + offset)}: "
                    'the heading should start with "Comparison to", e.g. '
                    '"Comparison to England"'
                )
        if tuple(block[1:4]) != names:
            problems.append(
                f"row 1, {describe_column(columns, start + 1)}: this snapshot's "
                "headings name other areas than the first snapshot's "
                f"({', '.join(names)}); every snapshot gives the same three areas "
                "in the same order"
            )
    return names


def _parse_group(text: str) -> tuple[str, int | None] | None:
    stripped = text.strip()
    if stripped.casefold() == GROUP_OVERARCHING.casefold():
        return GROUP_OVERARCHING, None
    number = whole_number(stripped)
    if number is not None and 1 <= number <= 8:
        return stripped, number
    return None


def _parse_snapshot(
    cells: list[str], start: int, where, problems: list[str]
) -> Snapshot | None:
    block = cells[start : start + SNAPSHOT_WIDTH]
    count_before = len(problems)
    period_label = block[0].strip()
    if not period_label:
        problems.append(f"{where(start)}: the date of measure is blank")
    values = []
    for offset in (1, 2, 3):
        try:
            values.append(parse_value_cell(block[offset]))
        except ValueError as error:
            problems.append(f"{where(start + offset)}: {error}")
    comparisons = []
    for offset, benchmark in zip((4, 5, 6), BENCHMARKS, strict=True):
        try:
            result = parse_comparison(block[offset])
        except ValueError as error:
            problems.append(f"{where(start + offset)}: {error}")
            continue
        if result is not None:
            comparisons.append(Comparison(benchmark, block[offset].strip(), result))
    trend_text = " ".join(block[7].split())
    if trend_text and trend_text.casefold() not in TREND_LABELS:
        known = ", ".join(f'"{word.capitalize()}"' for word in TREND_LABELS)
        problems.append(
            f'{where(start + 7)}: "{trend_text}" is not a trend we know ({known})'
        )
    if values and values[0].value is None and (comparisons or trend_text):
        published = [c for c in comparisons if c.result != "not_compared"]
        if published or trend_text.casefold() not in ("", "n/a"):
            problems.append(
                f"{where(start + 1)}: there is a comparison or a trend but no "
                "value; add the value, or clear the comparisons and the trend"
            )
    if len(problems) > count_before:
        return None
    place, country, region = values
    return Snapshot(
        number=(start - 2) // SNAPSHOT_WIDTH + 1,
        period_label=period_label,
        place=place,
        country=country,
        region=region,
        comparisons=tuple(comparisons),
        trend_text=trend_text,
    )


def _check_repeated_periods(
    snapshots: list[Snapshot], row_number: int, problems: list[str]
) -> None:
    """Snapshots that give the same period must publish the same figures."""
    first_by_period: dict[str, Snapshot] = {}
    for snapshot in snapshots:
        first = first_by_period.setdefault(snapshot.period_label, snapshot)
        if first is not snapshot and not first.same_figures_as(snapshot):
            problems.append(
                f"row {row_number}: snapshots {first.number} and {snapshot.number} "
                f"are both for {snapshot.period_label} but give different figures; "
                "correct one of them, or remove the repeated snapshot"
            )


def parse_measures_table(text: str, *, source: str = "<table>") -> MeasuresTable:
    """Parse the whole table; raise MeasuresTableError listing every problem."""
    lines = text.lstrip("\ufeff").splitlines()
    problems: list[str] = []
    if not lines or not lines[0].strip():
        raise MeasuresTableError(source, [HEADER_MISSING])
    header = lines[0].split("\t")
    columns = tuple(cell.strip() for cell in header)
    place_name, country_name, region_name = _parse_header(header, problems)
    if problems:
        raise MeasuresTableError(source, problems)

    rows: list[MeasureRow] = []
    seen: dict[str, int] = {}
    group: tuple[str, int | None] | None = None
    for row_number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if not "".join(cells).strip():
            continue

        def where(index: int, row_number: int = row_number) -> str:
            return f"row {row_number}, {describe_column(columns, index)}"

        if len(cells) != len(header):
            problems.append(row_width_problem(row_number, len(cells), len(header)))
            continue
        if cells[0].strip():
            group = _parse_group(cells[0])
            if group is None:
                problems.append(
                    f'{where(0)}: "{cells[0].strip()}" is not a principle group '
                    f'("{GROUP_OVERARCHING}" or 1 to 8)'
                )
                continue
        elif group is None:
            problems.append(f"{where(0)}: the first measure has no principle group")
            continue
        description = cells[1].strip()
        if not description:
            problems.append(f"{where(1)}: the measure description is blank")
            continue
        if description in seen:
            problems.append(
                f'{where(1)}: "{description}" is already on row {seen[description]}'
            )
            continue
        seen[description] = row_number
        snapshots = [
            _parse_snapshot(cells, start, where, problems)
            for start in range(2, len(cells), SNAPSHOT_WIDTH)
        ]
        if None in snapshots:
            continue
        _check_repeated_periods(snapshots, row_number, problems)
        rows.append(
            MeasureRow(row_number, group[0], group[1], description, tuple(snapshots))
        )
    if problems:
        raise MeasuresTableError(source, problems)
    return MeasuresTable(
        source, place_name, country_name, region_name, columns, tuple(rows)
    )
