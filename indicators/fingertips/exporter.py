"""Export values in Fingertips' data CSV layout, as CSV or XLSX, streaming.

:func:`fingertips_export_rows` turns a queryset of values into rows in the 26
columns of a Fingertips ``all_data/csv`` file (the file our importer reads), so
an export can be re-imported. The comparison and trend columns carry our
*effective* judgement for each value: one set by hand (an officer's override,
with a reason) if any, else the published one when there is one, else the
computed one (``Assessment.method``). Unlike the site's display rule
(:mod:`indicators.selectors`, where a computed opinion beats a published one),
published wins here, so that an export of imported data says what Fingertips
said. The parent column is "Compared to Region value or percentiles".

Values of indicators without a Fingertips id are exported with a blank
"Indicator ID"; such rows cannot be imported again.

Both writers neutralise spreadsheet formula injection: a text cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``.
Numeric columns hold numbers (negative ones too) and are never prefixed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from indicators.fingertips import columns as c
from indicators.fingertips.vocabulary import (
    AREA_TYPE_EXPORT_LABELS,
    VocabularyError,
    comparison_parse,
    comparison_text,
)
from indicators.models import Assessment, IndicatorValue, Method, Trend
from indicators.periods import fingertips_sortable

HEADER = c.EXPORT_HEADER
NUMERIC_COLUMNS = frozenset(
    {
        c.INDICATOR_ID,
        c.VALUE,
        c.LOWER95,
        c.UPPER95,
        c.LOWER998,
        c.UPPER998,
        c.COUNT,
        c.DENOMINATOR,
        c.TIME_PERIOD_SORTABLE,
    }
)
_NUMERIC_POSITIONS = frozenset(
    i for i, name in enumerate(HEADER) if name in NUMERIC_COLUMNS
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Which judgement counts when a value has several (Assessment.method).
METHOD_PRECEDENCE = (Method.MANUAL, Method.PUBLISHED, Method.COMPUTED)
_CHUNK = 2000

Row = list[object]


def cell_neutralise(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula."""
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _effective(items: Iterable, **match):
    chosen = {}
    for item in items:
        if all(getattr(item, k) == v for k, v in match.items()):
            chosen.setdefault(item.method, item)
    for method in METHOD_PRECEDENCE:
        if method in chosen:
            return chosen[method]
    return None


def _comparison_cell(assessment: Assessment | None) -> str:
    if assessment is None:
        return ""
    text = assessment.published_text
    if assessment.method == Method.PUBLISHED and text:
        try:
            parsed = comparison_parse(text)
        except VocabularyError:
            parsed = None
        if parsed is not None and parsed.result == assessment.result:
            return text
    return comparison_text(result=assessment.result, level=assessment.level)


def _row(value: IndicatorValue) -> Row:
    indicator, area, period = value.indicator, value.area, value.period
    parent = area.parent
    assessments = list(value.assessments.all())
    national = _effective(assessments, benchmark=Assessment.Benchmark.NATIONAL)
    region = _effective(assessments, benchmark=Assessment.Benchmark.REGION)
    trend = _effective(value.trends.all())
    by_name = {
        c.INDICATOR_ID: indicator.fingertips_id,
        c.INDICATOR_NAME: indicator.published_name or indicator.name,
        c.PARENT_CODE: parent.code if parent else "",
        c.PARENT_NAME: parent.name if parent else "",
        c.AREA_CODE: area.code,
        c.AREA_NAME: area.name,
        c.AREA_TYPE: AREA_TYPE_EXPORT_LABELS.get(area.area_type, "Other"),
        c.SEX: value.sex,
        c.AGE: value.age,
        c.CATEGORY_TYPE: value.category_type,
        c.CATEGORY: value.category,
        c.TIME_PERIOD: period.label,
        c.VALUE: value.value,
        c.LOWER95: value.lower95,
        c.UPPER95: value.upper95,
        c.LOWER998: value.lower998,
        c.UPPER998: value.upper998,
        c.COUNT: value.count,
        c.DENOMINATOR: value.denominator,
        c.VALUE_NOTE: value.value_note,
        c.RECENT_TREND: trend.label if trend else "",
        c.COMPARED_TO_ENGLAND: _comparison_cell(national),
        c.REGION_COLUMN: _comparison_cell(region),
        c.TIME_PERIOD_SORTABLE: fingertips_sortable(period.label, period.starts_on),
        c.NEW_DATA: "",
        c.COMPARED_TO_GOAL: "",
    }
    return [by_name[name] for name in HEADER]


def fingertips_export_rows(*, queryset: QuerySet[IndicatorValue]) -> Iterator[Row]:
    """Rows (lists in :data:`HEADER` order) for every value in ``queryset``.

    Numbers stay numbers (``None`` when blank), text stays raw; the writers
    format and neutralise. Rows come ordered by indicator, breakdown, area and
    period, fetched in chunks, so any number of values can be exported in
    constant memory. "Time period Sortable" is Fingertips' own form
    (``YYYYQQMM`` of the start, :func:`indicators.periods.fingertips_sortable`);
    rows come in our reader order (``Period.sort_key``).
    """
    judgements = [Assessment.Benchmark.NATIONAL, Assessment.Benchmark.REGION]
    values = (
        queryset.select_related("indicator", "area", "area__parent", "period")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.filter(benchmark__in=judgements),
            ),
            Prefetch("trends", queryset=Trend.objects.all()),
        )
        .order_by(
            "indicator__fingertips_id",
            "indicator__code",
            "sex",
            "age",
            "category_type",
            "category",
            "area__code",
            "period__sort_key",
            "period__ends_on",
        )
    )
    for value in values.iterator(chunk_size=_CHUNK):
        yield _row(value)


def _number_text(number) -> str:
    if number is None:
        return ""
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number) if isinstance(number, float) else str(number)


def _csv_cells(row: Row) -> list[str]:
    return [
        _number_text(cell)
        if i in _NUMERIC_POSITIONS
        else cell_neutralise("" if cell is None else str(cell))
        for i, cell in enumerate(row)
    ]


def fingertips_csv_write(*, rows: Iterable[Row], stream: TextIO) -> int:
    """Write the header and ``rows`` as CSV to a text stream; return the row count.

    Open files with ``newline=""`` (the csv module writes ``\\r\\n`` itself).
    """
    writer = csv.writer(stream)
    writer.writerow(HEADER)
    written = 0
    for row in rows:
        writer.writerow(_csv_cells(row))
        written += 1
    return written


def _xlsx_cell(i: int, cell):
    if i in _NUMERIC_POSITIONS:
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if cell is None else str(cell))
    return cell_neutralise(text) if text else None


def fingertips_xlsx_write(*, rows: Iterable[Row], stream: BinaryIO) -> int:
    """Write the header and ``rows`` as one XLSX sheet; return the row count.

    Uses openpyxl's write-only mode, so rows are streamed to disk, not held.
    Numbers are numeric cells; text is neutralised and never becomes a formula.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Fingertips data")
    sheet.append(list(HEADER))
    written = 0
    for row in rows:
        sheet.append([_xlsx_cell(i, cell) for i, cell in enumerate(row)])
        written += 1
    workbook.save(stream)
    return written


class _Echo:
    """A file-like object whose ``write`` hands the text back (for streaming)."""

    def write(self, text: str) -> str:
        return text


def fingertips_csv_lines(*, rows: Iterable[Row]) -> Iterator[str]:
    """The header and ``rows`` as CSV text, one line at a time, for streaming.

    Cells are formatted and neutralised as :func:`fingertips_csv_write` does.
    """
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for row in rows:
        yield writer.writerow(_csv_cells(row))
