"""The indicator page's downloads: every value of one indicator, CSV or XLSX.

One row per value (every area, period and breakdown) with its limits, count,
denominator, the value as every page shows it (:mod:`indicators.formatting`)
beside the number, the cell as the source published it, its source and release
date, and, for each benchmark, the judgement the site shows (ADR 0009) and how
it was made, then the trend. Four queries: the place (for benchmark
names), values (with area and period), assessments, trends.

Text cells a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) get a leading ``'``, as the Fingertips
exporter does (:func:`indicators.fingertips.exporter.cell_neutralise`); numbers
stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from indicators.fingertips.exporter import cell_neutralise
from indicators.formatting import indicator_value, unit_of
from indicators.models import Assessment, Indicator, IndicatorValue, Trend
from indicators.page_selectors.indicator_format import (
    BENCHMARK_NAMES,
    BENCHMARK_ORDER,
    method_words,
    result_words,
)
from indicators.selectors import assessments_effective, place_get, trend_effective

TEXT, NUMBER = "text", "number"
_NAMED_BY_AREA = (Assessment.Benchmark.NATIONAL, Assessment.Benchmark.REGION)
_BENCHMARK_HEADINGS = {
    Assessment.Benchmark.NATIONAL: "national",
    Assessment.Benchmark.REGION: "region",
    Assessment.Benchmark.NEAREST_NEIGHBOURS: "nearest neighbours",
    Assessment.Benchmark.TARGET: "target",
}
COLUMNS: list[tuple[str, str]] = [
    ("Indicator code", TEXT),
    ("Indicator", TEXT),
    ("Area code", TEXT),
    ("Area name", TEXT),
    ("Area type", TEXT),
    ("Period", TEXT),
    ("Sex", TEXT),
    ("Age", TEXT),
    ("Breakdown type", TEXT),
    ("Breakdown", TEXT),
    ("Value", NUMBER),
    ("Value as shown", TEXT),
    ("Lower 95% limit", NUMBER),
    ("Upper 95% limit", NUMBER),
    ("Lower 99.8% limit", NUMBER),
    ("Upper 99.8% limit", NUMBER),
    ("Count", NUMBER),
    ("Denominator", NUMBER),
    ("Unit", TEXT),
    ("Value note", TEXT),
    ("Value as published", TEXT),
    ("Source", TEXT),
    ("Release date", TEXT),
]
for _benchmark in BENCHMARK_ORDER:
    COLUMNS.append((f"Compared with {_BENCHMARK_HEADINGS[_benchmark]}", TEXT))
    COLUMNS.append((f"How compared with {_BENCHMARK_HEADINGS[_benchmark]}", TEXT))
COLUMNS += [("Trend", TEXT), ("How the trend was assessed", TEXT)]
HEADER = [name for name, _ in COLUMNS]
_NUMBERS = frozenset(i for i, (_, kind) in enumerate(COLUMNS) if kind == NUMBER)

Row = list[object]


def download_values(indicator: Indicator):
    """The indicator's values in a stable order (three queries when read)."""
    return (
        IndicatorValue.objects.filter(indicator=indicator)
        .select_related("area", "period")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("benchmark_area").order_by(
                    "pk"
                ),
            ),
            Prefetch("trends", queryset=Trend.objects.order_by("pk")),
        )
        .order_by(
            "sex",
            "age",
            "category_type",
            "category",
            "area__area_type",
            "area__code",
            "period__sort_key",
            "period__ends_on",
            "pk",
        )
    )


def benchmark_labels() -> dict[str, str]:
    """How results name each benchmark, as on the page: the place's country and
    region by name, the others generically (one query)."""
    labels = dict(BENCHMARK_NAMES)
    place = place_get()
    if place is not None:
        labels[Assessment.Benchmark.NATIONAL] = place.country.name
        labels[Assessment.Benchmark.REGION] = place.region.name
    return labels


def _judgement_cells(value: IndicatorValue, labels: dict[str, str]) -> list[str]:
    shown = assessments_effective(value.assessments.all())
    cells: list[str] = []
    for benchmark in BENCHMARK_ORDER:
        row = shown.get(benchmark)
        if row is None:
            cells += ["", ""]
            continue
        name = labels[benchmark]
        if row.benchmark_area and benchmark in _NAMED_BY_AREA:
            name = row.benchmark_area.name
        cells += [result_words(row.result, name), method_words(row)]
    trend = trend_effective(value.trends.all())
    cells += [trend.label, method_words(trend)] if trend else ["", ""]
    return cells


def download_rows(indicator: Indicator) -> Iterator[Row]:
    """One row per value, in :data:`HEADER` order; numbers stay numbers."""
    labels = benchmark_labels()
    for value in download_values(indicator):
        area, period = value.area, value.period
        yield [
            indicator.code,
            indicator.name,
            area.code,
            area.name,
            area.get_area_type_display(),
            period.label,
            value.sex,
            value.age,
            value.category_type,
            value.category,
            value.value,
            indicator_value(value.value, indicator, blank=""),
            value.lower95,
            value.upper95,
            value.lower998,
            value.upper998,
            value.count,
            value.denominator,
            unit_of(indicator),
            value.value_note,
            value.published_text,
            value.source,
            value.release_date.isoformat() if value.release_date else "",
            *_judgement_cells(value, labels),
        ]


def _number_text(number) -> str:
    if number is None:
        return ""
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number) if isinstance(number, float) else str(number)


def download_csv(indicator: Indicator) -> str:
    """The values as CSV text (formulas neutralised)."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(HEADER)
    for row in download_rows(indicator):
        writer.writerow(
            [
                _number_text(cell)
                if i in _NUMBERS
                else cell_neutralise("" if cell is None else str(cell))
                for i, cell in enumerate(row)
            ]
        )
    return stream.getvalue()


def _xlsx_cell(i: int, cell):
    if i in _NUMBERS:
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if cell is None else str(cell))
    return cell_neutralise(text) if text else None


def download_xlsx(indicator: Indicator) -> bytes:
    """The values as one XLSX sheet: numbers numeric, text never a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Values")
    sheet.append(HEADER)
    for row in download_rows(indicator):
        sheet.append([_xlsx_cell(i, cell) for i, cell in enumerate(row)])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
