"""The indicator page's downloads: every value of one indicator, CSV or XLSX.

One row per value (every area, period and breakdown) with its limits, count,
denominator, how it was made ("Method": as published, or calculated here, in
:mod:`indicators.page_selectors.value_methods`' words), the value as every
page shows it (:mod:`indicators.formatting`) beside the number, the cell as
the source published it, its source and release date, and, for each
benchmark, the judgement the site shows (ADR 0009) and how it was made, then
the trend. Four queries: the place (for benchmark
names), values (with area and period), assessments, trends. An output KPI's
download (ADR 32) adds, on each of the place's values, its financial year, the
period's target and the judgement against it, as
:func:`indicators.output_progress.output_progress_years` finds them (two more
queries).

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
from indicators.models import Assessment, Indicator, IndicatorValue, Place, Trend
from indicators.output_progress import PeriodFigure, output_progress_years
from indicators.page_selectors.indicator_format import (
    BENCHMARK_NAMES,
    BENCHMARK_ORDER,
    method_words,
    result_words,
)
from indicators.page_selectors.value_methods import value_method_words
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
    ("Method", TEXT),
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
#: An output KPI's columns after those (ADR 32), on the place's own values.
OUTPUT_COLUMNS: list[tuple[str, str]] = [
    ("Kind", TEXT),
    ("Financial year", TEXT),
    ("Target", NUMBER),
    ("Against target", TEXT),
    ("Against target (code)", TEXT),
]


def columns_for(indicator: Indicator) -> list[tuple[str, str]]:
    if indicator.kind == Indicator.Kind.LOCAL_OUTPUT:
        return COLUMNS + OUTPUT_COLUMNS
    return COLUMNS


def _numbers(columns) -> frozenset[int]:
    return frozenset(i for i, (_, kind) in enumerate(columns) if kind == NUMBER)


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


def benchmark_labels(place: Place | None = None) -> dict[str, str]:
    """How results name each benchmark, as on the page: the place's country and
    region by name, the others generically (one query if ``place`` is not
    given)."""
    labels = dict(BENCHMARK_NAMES)
    place = place or place_get()
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


def _output_figures(indicator: Indicator, place: Place | None):
    """An output KPI's periods (label -> PeriodFigure) in every year it has a
    value or a target in; None for an outcome measure."""
    if indicator.kind != Indicator.Kind.LOCAL_OUTPUT:
        return None
    years = output_progress_years(indicator, area_id=place.area_id if place else None)
    return {f.period.label: f for year in years.values() for f in year.periods}


def _output_cells(indicator, value: IndicatorValue, figures, area_id) -> list:
    """The KPI columns of one value: filled for the place's own values."""
    figure: PeriodFigure | None = None
    whole = not (value.sex or value.age or value.category_type)
    if value.area_id == area_id and whole:
        figure = figures.get(value.period.label)
    if figure is None:
        return [indicator.get_kind_display(), "", None, "", ""]
    judgement = figure.judgement
    return [
        indicator.get_kind_display(),
        figure.period.year_label,
        figure.target,
        judgement.words if judgement else "",
        judgement.status.value if judgement else "",
    ]


def download_rows(indicator: Indicator) -> Iterator[Row]:
    """One row per value, in :func:`columns_for` order; numbers stay numbers."""
    place = place_get()
    labels = benchmark_labels(place)
    figures = _output_figures(indicator, place)
    area_id = place.area_id if place else None
    for value in download_values(indicator):
        kpi = []
        if figures is not None:
            kpi = _output_cells(indicator, value, figures, area_id)
        yield value_row(indicator, value, labels, kpi)


def values_rows(values, *, columns, place: Place | None) -> Iterator[Row]:
    """Rows of values of any indicators (each with ``indicator``, ``area``,
    ``period``, ``assessments`` and ``trends`` loaded), in ``columns`` order:
    :data:`COLUMNS`, and an output KPI's columns when ``columns`` has them
    (blank but the kind for an outcome measure's value). The API's CSV of
    ``values/`` (issue 18); an output KPI's figures are read once each."""
    labels = benchmark_labels(place)
    area_id = place.area_id if place else None
    with_kpi = len(columns) > len(COLUMNS)
    figures: dict[int, dict | None] = {}
    for value in values:
        indicator = value.indicator
        kpi = []
        if with_kpi:
            if indicator.pk not in figures:
                figures[indicator.pk] = _output_figures(indicator, place)
            found = figures[indicator.pk]
            if found is None:
                kpi = [indicator.get_kind_display(), "", None, "", ""]
            else:
                kpi = _output_cells(indicator, value, found, area_id)
        yield value_row(indicator, value, labels, kpi)


def value_row(indicator: Indicator, value: IndicatorValue, labels, kpi) -> Row:
    """One value's row (:data:`COLUMNS`, then ``kpi``'s cells)."""
    area, period = value.area, value.period
    return [
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
        value_method_words(value),
        unit_of(indicator),
        value.value_note,
        value.published_text,
        value.source,
        value.release_date.isoformat() if value.release_date else "",
        *_judgement_cells(value, labels),
        *kpi,
    ]


def _number_text(number) -> str:
    if number is None:
        return ""
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number) if isinstance(number, float) else str(number)


def csv_cells(row: Row, numbers: frozenset[int]) -> list[str]:
    """One row's CSV cells: numbers as numbers, text never a formula."""
    return [
        _number_text(cell)
        if i in numbers
        else cell_neutralise("" if cell is None else str(cell))
        for i, cell in enumerate(row)
    ]


def download_csv(indicator: Indicator) -> str:
    """The values as CSV text (formulas neutralised)."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    columns = columns_for(indicator)
    numbers = _numbers(columns)
    writer.writerow([name for name, _ in columns])
    for row in download_rows(indicator):
        writer.writerow(csv_cells(row, numbers))
    return stream.getvalue()


class _Echo:
    """A file-like object whose ``write`` hands the text back (for streaming)."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows, columns) -> Iterator[str]:
    """The header and ``rows`` as CSV lines, one at a time (for streaming),
    cells as :func:`download_csv` writes them."""
    writer = csv.writer(_Echo())
    numbers = _numbers(columns)
    yield writer.writerow([name for name, _ in columns])
    for row in rows:
        yield writer.writerow(csv_cells(row, numbers))


def _xlsx_cell(i: int, cell, numbers=_NUMBERS):
    if i in numbers:
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if cell is None else str(cell))
    return cell_neutralise(text) if text else None


def download_xlsx(indicator: Indicator) -> bytes:
    """The values as one XLSX sheet: numbers numeric, text never a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Values")
    columns = columns_for(indicator)
    numbers = _numbers(columns)
    sheet.append([name for name, _ in columns])
    for row in download_rows(indicator):
        sheet.append([_xlsx_cell(i, cell, numbers) for i, cell in enumerate(row)])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
