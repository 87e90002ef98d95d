"""Check every row of a Fingertips file and turn it into typed values.

Nothing here touches the database. Every problem is collected (never just the
first), each with its line number and column name, so an officer can fix the
file in one go. The rules are the database's own check constraints on
:class:`indicators.models.IndicatorValue` (limits in order, the value inside its
interval, counts not negative, denominators positive, a category needs a
category type) plus what the columns must hold: numbers, known period labels and
Fingertips' own comparison and trend words.
The rules on a row's numbers are in :mod:`indicators.fingertips.number_checks`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from indicators.fingertips import columns as c
from indicators.fingertips.columns import Layout, layout_from_header
from indicators.fingertips.errors import RowError
from indicators.fingertips.number_checks import numbers_check
from indicators.fingertips.reader import ProgressCallback, Records
from indicators.fingertips.vocabulary import (
    Comparison,
    VocabularyError,
    area_type_map,
    comparison_parse,
    trend_parse,
)
from indicators.models import Area, Indicator, IndicatorValue, Period
from indicators.periods import PeriodLabelError, parse_period_label
from marmot.whole_numbers import whole_number


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# Longest text each column may hold: the model fields' max_length.
MAX_LENGTHS = {
    c.INDICATOR_NAME: _max_length(Indicator, "name"),
    c.PARENT_CODE: _max_length(Area, "code"),
    c.PARENT_NAME: _max_length(Area, "name"),
    c.AREA_CODE: _max_length(Area, "code"),
    c.AREA_NAME: _max_length(Area, "name"),
    c.SEX: _max_length(IndicatorValue, "sex"),
    c.AGE: _max_length(IndicatorValue, "age"),
    c.CATEGORY_TYPE: _max_length(IndicatorValue, "category_type"),
    c.CATEGORY: _max_length(IndicatorValue, "category"),
    c.TIME_PERIOD: _max_length(Period, "label"),
    c.VALUE_NOTE: _max_length(IndicatorValue, "value_note"),
}
REQUIRED_TEXT = (c.INDICATOR_NAME, c.AREA_CODE, c.AREA_NAME, c.TIME_PERIOD)


@dataclass(slots=True)
class ParsedRow:
    """One valid row, typed. Text is stripped; blank numbers are ``None``."""

    line: int
    indicator_fid: int
    indicator_name: str
    parent_code: str
    parent_name: str
    area_code: str
    area_name: str
    area_type: str
    sex: str
    age: str
    category_type: str
    category: str
    period_label: str
    value: float | None
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    count: float | None
    denominator: float | None
    value_note: str
    trend: str | None
    trend_text: str
    national: Comparison | None
    parent_comparison: Comparison | None

    @property
    def key(self) -> tuple:
        return (
            self.indicator_fid,
            self.area_code,
            self.period_label,
            self.sex,
            self.age,
            self.category_type,
            self.category,
        )


@dataclass
class ValidatedFile:
    """The layout, the valid rows, every problem, and the periods they use."""

    layout: Layout | None
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    periods: dict = field(default_factory=dict)  # label -> ParsedPeriod
    rows_read: int = 0  # records read, valid or not


class _PeriodCache:
    """Parse each distinct period label once; the label is kept as published."""

    def __init__(self) -> None:
        self.parsed: dict = {}
        self._seen: dict[str, str | None] = {}

    def error_for(self, label: str) -> str | None:
        """None if the label parses, else the parser's message."""
        if label not in self._seen:
            try:
                self.parsed[label] = parse_period_label(label)
                self._seen[label] = None
            except PeriodLabelError as exc:
                self._seen[label] = str(exc)
        return self._seen[label]


_NUMERIC = (
    c.VALUE,
    c.LOWER95,
    c.UPPER95,
    c.LOWER998,
    c.UPPER998,
    c.COUNT,
    c.DENOMINATOR,
)


class _RowChecker:
    """Validates one row at a time, appending problems to ``errors``.

    Written for speed (a 100,000-row file is checked in about a second): cells
    are read by position and the vocabulary parsers are memoised.
    """

    def __init__(self, layout: Layout, errors: list[RowError]) -> None:
        self.layout = layout
        self.errors = errors
        self.periods = _PeriodCache()
        index = layout.index
        self._at = index
        self._numeric = tuple((name, index[name]) for name in _NUMERIC)
        self._required = tuple((name, index[name]) for name in REQUIRED_TEXT)
        self._lengths = tuple(
            (name, index[name], limit) for name, limit in MAX_LENGTHS.items()
        )

    def check(self, line: int, fields: list[str]) -> ParsedRow | None:
        at = self._at
        t = list(map(str.strip, fields))
        errors: list[RowError] = []

        raw_id = t[at[c.INDICATOR_ID]]
        fid = whole_number(raw_id) or 0
        if not fid:
            errors.append(
                RowError(
                    line, c.INDICATOR_ID, f"{raw_id!r} is not a Fingertips indicator id"
                )
            )
        for name, i in self._required:
            if not t[i]:
                errors.append(RowError(line, name, "is blank"))
        for name, i, limit in self._lengths:
            if len(t[i]) > limit:
                errors.append(
                    RowError(
                        line, name, f"is {len(t[i])} characters long (at most {limit})"
                    )
                )
        if t[at[c.CATEGORY]] and not t[at[c.CATEGORY_TYPE]]:
            errors.append(
                RowError(line, c.CATEGORY_TYPE, "is blank but Category is not")
            )

        numbers: list[float | None] = []
        for name, i in self._numeric:
            raw = t[i]
            if not raw:
                numbers.append(None)
                continue
            try:
                number = float(raw)
            except ValueError:
                number = math.nan
            if math.isfinite(number):
                numbers.append(number)
            else:
                numbers.append(None)
                errors.append(RowError(line, name, f"{raw!r} is not a number"))
        value, lower95, upper95, lower998, upper998, count, denominator = numbers
        # The usual row (limits in order around the value, count >= 0,
        # denominator > 0) passes these comparisons; anything else is checked
        # rule by rule for its messages.
        if not (
            value is not None
            and lower95 is not None
            and upper95 is not None
            and lower998 is not None
            and upper998 is not None
            and lower95 <= value <= upper95
            and lower998 <= value <= upper998
            and (count is None or count >= 0)
            and (denominator is None or denominator > 0)
        ):
            numbers_check(dict(zip(_NUMERIC, numbers, strict=True)), line, errors)

        sortable = t[at[c.TIME_PERIOD_SORTABLE]]
        if sortable and whole_number(sortable) is None:
            errors.append(
                RowError(
                    line, c.TIME_PERIOD_SORTABLE, f"{sortable!r} is not a whole number"
                )
            )
        period_label = t[at[c.TIME_PERIOD]]
        if period_label:
            message = self.periods.error_for(period_label)
            if message:
                errors.append(RowError(line, c.TIME_PERIOD, message))

        national = self._comparison(
            t[at[c.COMPARED_TO_ENGLAND]], c.COMPARED_TO_ENGLAND, line, errors
        )
        parent = None
        if self.layout.parent_index is not None:
            parent = self._comparison(
                t[self.layout.parent_index], self.layout.parent_header, line, errors
            )
        trend_text = t[at[c.RECENT_TREND]]
        trend = None
        trend, problem = _trend(trend_text)
        if problem:
            errors.append(RowError(line, c.RECENT_TREND, problem))

        if errors:
            self.errors.extend(errors)
            return None
        return ParsedRow(
            line,
            fid,
            t[at[c.INDICATOR_NAME]],
            t[at[c.PARENT_CODE]],
            t[at[c.PARENT_NAME]],
            t[at[c.AREA_CODE]],
            t[at[c.AREA_NAME]],
            area_type_map(t[at[c.AREA_TYPE]]),
            t[at[c.SEX]],
            t[at[c.AGE]],
            t[at[c.CATEGORY_TYPE]],
            t[at[c.CATEGORY]],
            period_label,
            value,
            lower95,
            upper95,
            lower998,
            upper998,
            count,
            denominator,
            t[at[c.VALUE_NOTE]],
            trend,
            " ".join(trend_text.split()) if trend else "",
            national,
            parent,
        )

    @staticmethod
    def _comparison(
        raw: str, name: str, line: int, errors: list[RowError]
    ) -> Comparison | None:
        comparison, problem = _comparison(raw)
        if problem:
            errors.append(RowError(line, name, problem))
        return comparison


def _remembered(parse):
    """``parse`` returning (result, problem): its words and its refusals are
    both remembered (a file of bad rows repeats the same few bad words, and
    building each refusal's message costs more than the check)."""
    seen: dict[str, tuple] = {}

    def parsed(text: str) -> tuple:
        answer = seen.get(text)
        if answer is None:
            try:
                answer = (parse(text), "")
            except VocabularyError as exc:
                answer = (None, str(exc))
            if len(seen) > 10_000:
                seen.clear()
            seen[text] = answer
        return answer

    return parsed


_trend = _remembered(trend_parse)
_comparison = _remembered(comparison_parse)


def _check_across_rows(rows: list[ParsedRow], errors: list[RowError]) -> None:
    """Duplicate keys, and areas described two ways."""
    first_line: dict[tuple, int] = {}
    areas: dict[str, tuple[str, str, int]] = {}
    for row in rows:
        key = row.key
        if key in first_line:
            errors.append(
                RowError(
                    row.line,
                    None,
                    f"duplicates line {first_line[key]}: same Indicator ID, Area "
                    "Code, Time period, Sex, Age, Category Type and Category",
                )
            )
        else:
            first_line[key] = row.line
        seen = areas.setdefault(
            row.area_code, (row.area_type, row.parent_code, row.line)
        )
        if seen[0] != row.area_type:
            errors.append(
                RowError(
                    row.line,
                    c.AREA_TYPE,
                    f"area {row.area_code} is a {row.area_type} here but a "
                    f"{seen[0]} on line {seen[2]}",
                )
            )
        elif seen[1] != row.parent_code:
            errors.append(
                RowError(
                    row.line,
                    c.PARENT_CODE,
                    f"area {row.area_code} has parent {row.parent_code or '(none)'} "
                    f"here but {seen[1] or '(none)'} on line {seen[2]}",
                )
            )


def file_validate(
    records: Records, *, progress: ProgressCallback | None = None
) -> ValidatedFile:
    """Check the header and every record as it is read; collect the problems
    (the first :data:`~indicators.import_limits.MAX_LISTED_PROBLEMS` of them,
    and their count) in ``records.errors``."""
    errors = records.errors
    if not records.header:
        return ValidatedFile(layout=None, errors=errors)
    layout, header_problems = layout_from_header(records.header)
    for problem in header_problems:
        errors.append(RowError(records.header_line, problem.column, problem.message))
    if layout is None:
        return ValidatedFile(layout=None, errors=errors)
    checker = _RowChecker(layout, errors)
    rows: list[ParsedRow] = []
    read = 0
    for line, fields in records.rows:
        read += 1
        row = checker.check(line, fields)
        if row is not None:
            rows.append(row)
    if progress:
        progress("check", read, read)
    if not read and not errors:
        errors.append(RowError(None, None, "the file has a header but no data rows"))
    _check_across_rows(rows, errors)
    return ValidatedFile(
        layout=layout,
        rows=rows,
        errors=errors,
        periods=checker.periods.parsed,
        rows_read=read,
    )
