"""The template's "Raw figures" and "Age bands" sheets: values to calculate.

Officers may give the figures a value is made from instead of (or as well as)
the published value (issue 19):

* "Raw figures": one row per value - numerator and denominator, or mean,
  standard deviation and sample size;
* "Age bands": one row per age band; the rows for the same measure, area and
  period make one calculation (a DSR, a standardised ratio or a life
  expectancy).

:func:`raw_sheets_read` reads both sheets (bounded like the Measures sheet;
formulas, dates, text and numbers out of range in a figure's cell are
problems), :func:`raw_figures_check` calculates each value with
:func:`indicators.statistics.calculate.calculate_value` (no database writes)
and checks a value the Measures sheet also publishes agrees with it at the
measure's display decimals. :func:`raw_figures_write` then writes the values
the Measures sheet does not publish through
:func:`indicators.services.indicator_value_calculate`; those it does publish
are written by :func:`indicators.measures.writing.measures_write` with the
published text kept and the calculated limits and method.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from indicators import services
from indicators.import_limits import MEASURES_MAX_CELL_CHARS, Problems
from indicators.measures.reading import (
    COUNTRY,
    PLACE,
    REGION,
    MeasuresLoadError,
)
from indicators.measures.sources import (
    SourceError,
    SourceTable,
    cell_text,
    unreadable_number_cells,
)
from indicators.measures.table import SNAPSHOT_WIDTH, MeasuresTable
from indicators.measures.xlsx_check import WorkbookRefused, xlsx_check
from indicators.models import Area, Indicator, IndicatorValue
from indicators.periods import PeriodLabelError, parse_period_label
from indicators.statistics import calculate
from indicators.statistics.calculate import (
    AgeBand,
    Calculated,
    FigureError,
    calculate_value,
)

RAW_SHEET = "Raw figures"
AGE_SHEET = "Age bands"
MEASURE = "Measure description or code"
AREA = "Area code"
PERIOD = "Period"
#: Headings the measure's column may have (folded).
MEASURE_HEADINGS = {"measure description or code", "measure description", "code"}
KEY_COLUMNS = (MEASURE, AREA, PERIOD)
#: Figure heading -> calculate_value keyword.
RAW_FIGURES = {
    "Numerator": "numerator",
    "Denominator": "denominator",
    "Mean": "mean",
    "Standard deviation": "standard_deviation",
    "Sample size": "sample_size",
}
#: Figure heading -> AgeBand field.
BAND_FIGURES = {
    "Start age": "start_age",
    "Count": "count",
    "Population": "population",
    "Standard population": "standard_population",
    "Reference count": "reference_count",
    "Reference population": "reference_population",
}
RAW_COLUMNS = (*KEY_COLUMNS, *RAW_FIGURES)
AGE_COLUMNS = (*KEY_COLUMNS, *BAND_FIGURES)
#: The figures each value type needs on each sheet, by heading: the one
#: table is ``statistics.calculate`` FIGURES and BAND_FIGURES.
_RAW_HEADINGS = {name: heading for heading, name in RAW_FIGURES.items()}
_BAND_HEADINGS = {name: heading for heading, name in BAND_FIGURES.items()}
RAW_NEEDS = {
    value_type: tuple(_RAW_HEADINGS[name] for name in names)
    for value_type, names in calculate.FIGURES.items()
}
BAND_NEEDS = {
    value_type: tuple(_BAND_HEADINGS[name] for name in names)
    for value_type, names in calculate.BAND_FIGURES.items()
}
MAX_FIGURE = calculate.MAXIMUM_FIGURE
_DECIMAL = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[-+]?\.\d+$")
_QUOTED = 40


def needs_text(value_type: str) -> str:
    """Which figures a value type needs, for notes and messages."""
    parts = []
    if value_type in RAW_NEEDS:
        parts.append(f'{", ".join(RAW_NEEDS[value_type])} on "{RAW_SHEET}"')
    if value_type in BAND_NEEDS:
        parts.append(
            f'{", ".join(BAND_NEEDS[value_type])} for each band on "{AGE_SHEET}"'
        )
    return " or ".join(parts) or "nothing: enter the published value"


@dataclass(frozen=True)
class FigureRow:
    """One row of either sheet, its cells read and checked."""

    sheet: str
    row_number: int
    measure: str
    area_code: str
    period: str
    figures: dict[str, float]  # heading -> number, for the cells filled in
    letters: dict[str, str]  # heading -> column letter
    spoilt: bool = False  # a cell has a problem (listed when read)

    def where(self, heading: str = MEASURE) -> str:
        letter = self.letters.get(heading)
        column = f', column {letter} "{heading}"' if letter else ""
        return f'sheet "{self.sheet}", row {self.row_number}{column}'


@dataclass
class RawSheets:
    """The rows of both sheets (blank rows left out) and the problems reading them."""

    raw: list[FigureRow] = field(default_factory=list)
    bands: list[FigureRow] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    def __bool__(self) -> bool:
        return bool(self.raw or self.bands)


@dataclass(frozen=True)
class Calculation:
    """One value calculated from its rows, ready to write."""

    code: str
    description: str  # on the Measures sheet of this file; "" if not there
    area: Area
    period_label: str
    result: Calculated
    figures: dict[str, Any]  # indicator_value_calculate's keywords
    rows: tuple[FigureRow, ...]

    @property
    def where(self) -> str:
        return self.rows[0].where()


# Reading ------------------------------------------------------------------


def _quoted(text: str) -> str:
    text = str(text)
    return f'"{text[:_QUOTED]}…"' if len(text) > _QUOTED else f'"{text}"'


def _is_formula(cell) -> bool:
    value = cell.value
    return (
        getattr(cell, "data_type", "") == "f"
        or (isinstance(value, str) and value.startswith("="))
        or type(value).__name__ in ("ArrayFormula", "DataTableFormula")
    )


def _number(cell) -> tuple[float | None, str]:
    """A figure's cell as a number (None when blank), and the problem ("" if none)."""
    value = cell.value
    if _is_formula(cell):
        return None, "a formula; type the number itself (formulas are not read)"
    if value is None:
        return None, ""
    if isinstance(value, bool):
        return None, f"{value} is not a number"
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return None, (
            f"a date or time ({cell_text(cell) or value}), not a number; format "
            "the cell as a number"
        )
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None, ""
        if len(text) > MEASURES_MAX_CELL_CHARS or not _DECIMAL.match(text):
            return None, f"{_quoted(text)} is not a number"
        value = float(text.replace(",", ""))
    if not isinstance(value, int | float):
        return None, f"{_quoted(value)} is not a number"
    try:
        value = float(value)
    except OverflowError:
        return None, f"the number is beyond {MAX_FIGURE:,.0f}"
    if not math.isfinite(value):
        return None, "not a finite number"
    if abs(value) > MAX_FIGURE:
        return None, f"{value:g} is beyond {MAX_FIGURE:,.0f}"
    return value, ""


def _text(cell) -> tuple[str, str]:
    """A key cell as text, and the problem ("" if none)."""
    if _is_formula(cell):
        return "", "a formula; type the text itself (formulas are not read)"
    value = cell.value
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return "", (
            f"a date ({cell_text(cell)}); type the text, e.g. 2022 or 2021/22, "
            "in a cell formatted as text"
        )
    if isinstance(value, str) and len(value) > MEASURES_MAX_CELL_CHARS:
        return "", (
            f"the cell is {len(value):,} characters long; at most "
            f"{MEASURES_MAX_CELL_CHARS:,} are read"
        )
    return cell_text(cell), ""


def _headings(
    sheet: str, header: list, expected: tuple[str, ...], problems: Problems
) -> dict[int, str] | None:
    """Column index -> expected heading; None (and problems) if the header is wrong."""
    by_folded = {name.casefold(): name for name in expected}
    at: dict[int, str] = {}
    for index, cell in enumerate(header):
        text, _ = _text(cell)
        folded = text.strip().casefold()
        if not folded:
            continue
        name = MEASURE if folded in MEASURE_HEADINGS else by_folded.get(folded)
        letter = get_column_letter(index + 1)
        if name is None:
            problems.append(
                f'sheet "{sheet}", row 1, column {letter}: unknown column heading '
                f"{_quoted(text)}; expected {', '.join(expected)}"
            )
        elif name in at.values():
            problems.append(
                f'sheet "{sheet}", row 1, column {letter}: "{name}" appears twice'
            )
        else:
            at[index] = name
    missing = [name for name in KEY_COLUMNS if name not in at.values()]
    if missing:
        problems.append(
            f'sheet "{sheet}", row 1 (the column headings): no '
            f"{', '.join(missing)} column; keep the template's headings"
        )
    return None if missing else at


def _sheet_rows(
    sheet: str, rows: Iterable, expected: tuple[str, ...], problems: Problems
) -> list[FigureRow]:
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        return []
    at = _headings(sheet, list(header), expected, problems)
    read = []
    for row_number, cells in enumerate(rows, start=2):
        cells = list(cells)
        if at is None or all(_blank(c) for c in cells):
            continue
        letters = {name: get_column_letter(i + 1) for i, name in at.items()}
        keys, figures, spoilt = {}, {}, False
        for index, name in at.items():
            if index >= len(cells):
                continue
            cell = cells[index]
            where = f'sheet "{sheet}", row {row_number}, column {letters[name]}'
            if name in KEY_COLUMNS:
                keys[name], problem = _text(cell)
            else:
                number, problem = _number(cell)
                if number is not None:
                    figures[name] = number
            if problem:
                spoilt = True
                problems.append(f'{where} "{name}": {problem}')
        # Cells beyond the headings hold nothing the import reads.
        for index, cell in enumerate(cells):
            if index not in at and not _blank(cell):
                spoilt = True
                problems.append(
                    f'sheet "{sheet}", row {row_number}, column '
                    f"{get_column_letter(index + 1)}: a cell with no column heading"
                )
        read.append(
            FigureRow(
                sheet=sheet,
                row_number=row_number,
                measure=keys.get(MEASURE, "").strip(),
                area_code=keys.get(AREA, "").strip(),
                period=keys.get(PERIOD, "").strip(),
                figures=figures,
                letters=letters,
                spoilt=spoilt,
            )
        )
    return read


def _blank(cell) -> bool:
    value = getattr(cell, "value", None)
    return value is None or (isinstance(value, str) and not value.strip())


def _counting(rows: Iterable, seen: list[int]) -> Iterable:
    """``rows``, counting in ``seen[0]`` the rows read."""
    for row in rows:
        seen[0] += 1
        yield row


def raw_sheets_read(data: bytes) -> RawSheets:
    """Read the Raw figures and Age bands sheets of an XLSX template.

    Absent or blank sheets give nothing. A workbook beyond a limit raises
    :class:`~indicators.measures.sources.SourceError`; problems in cells are
    listed in ``problems``, each naming its sheet, row and column.
    """
    result = RawSheets()
    extents = {}
    try:
        for sheet, expected in ((RAW_SHEET, RAW_COLUMNS), (AGE_SHEET, AGE_COLUMNS)):
            extent = xlsx_check(data, sheet)
            if extent is not None and extent.rows and extent.columns:
                extents[sheet] = (extent, expected)
    except WorkbookRefused as error:
        raise SourceError([str(error)]) from error
    if not extents:
        return result
    try:
        # Not data_only: a formula is a problem, not its cached result.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise SourceError([f"not an XLSX workbook we can read ({error})"]) from error
    try:
        for sheet, (extent, expected) in extents.items():
            unreadable = unreadable_number_cells(data, sheet)
            if unreadable:
                result.problems.extend(
                    f'sheet "{sheet}", row {cell.row}, column {cell.column}: '
                    f"{cell.problem}; type a plain number"
                    for cell in unreadable
                )
                continue
            rows = workbook[sheet].iter_rows(
                min_row=1, max_row=extent.rows, min_col=1, max_col=extent.columns
            )
            seen = [0]
            try:
                read = _sheet_rows(
                    sheet, _counting(rows, seen), expected, result.problems
                )
            except (ValueError, TypeError, ArithmeticError) as error:
                # openpyxl cannot cast a cell, e.g. <v>NaN</v> in a number cell.
                result.problems.append(
                    f'sheet "{sheet}", row {seen[0] + 1}: a cell we cannot read '
                    f"({str(error)[:100]}); type plain numbers and text"
                )
                continue
            if sheet == RAW_SHEET:
                result.raw = read
            else:
                result.bands = read
    finally:
        workbook.close()
    return result


# Checking -----------------------------------------------------------------


@dataclass(frozen=True)
class _Measure:
    code: str
    description: str  # on this file's Measures sheet, else ""
    value_type: str
    multiplier: float
    decimals: int


def _measures(
    indicators: Iterable[Indicator], metadata: Mapping[str, Mapping[str, Any]]
) -> dict[str, _Measure]:
    """Every name a row may give a measure by -> the measure."""
    found: dict[str, _Measure] = {}
    for indicator in indicators:
        measure = _Measure(
            indicator.code,
            "",
            indicator.value_type,
            indicator.multiplier,
            indicator.display_decimals,
        )
        found[indicator.code] = measure
        if indicator.published_name:
            found[indicator.published_name] = measure
    for description, meta in metadata.items():
        code = meta.get("code", "")
        measure = _Measure(
            code,
            description,
            meta.get("value_type", ""),
            meta.get("multiplier") or 1,
            meta.get("display_decimals", 1),
        )
        found[description] = found[code] = measure
    # A measure on the Measures sheet by any of its names is the sheet's.
    listed = {m.code: m for m in found.values() if m.description}
    return {name: listed.get(m.code, m) for name, m in found.items()}


def _figure_problem(error: Exception, rows: list[FigureRow]) -> str:
    """A calculate_value refusal placed at its row and column: an age band's
    figure (``FigureError.band``/``figure``) at that band's row, a keyword
    figure (``FigureError.field``) at its column."""
    message = str(error)
    band, figure = getattr(error, "band", None), getattr(error, "figure", None)
    if band is not None and figure in _BAND_HEADINGS and band <= len(rows):
        heading = _BAND_HEADINGS[figure]
        words = f"age band {band} {figure.replace('_', ' ')}"
        rest = message.removeprefix(words).strip()
        return f"{rows[band - 1].where(heading)}: {heading.lower()} {rest}"
    heading = _RAW_HEADINGS.get(getattr(error, "field", None))
    if heading is not None:
        return f"{rows[0].where(heading)}: {message}"
    return f"{rows[0].where()}: {message}"


def _published_cells(
    table: MeasuresTable, source_table: SourceTable, place
) -> dict[tuple[str, int, str], tuple[float, str, str]]:
    """(description, area id, period) -> (value, text, where) on the Measures sheet."""
    cells = {}
    areas = ((PLACE, place.area_id), (COUNTRY, place.country_id))
    areas += ((REGION, place.region_id),)
    for row in table.rows:
        for snapshot in row.distinct_snapshots:
            start = 2 + (snapshot.number - 1) * SNAPSHOT_WIDTH
            values = {PLACE: snapshot.place, COUNTRY: snapshot.country}
            values[REGION] = snapshot.region
            for offset, area_id in areas:
                cell = values[offset]
                if area_id is None or cell.value is None:
                    continue
                where = source_table.where(
                    f"row {row.row_number}, {table.column_name(start + offset)}"
                )
                cells[(row.description, area_id, snapshot.period_label)] = (
                    cell.value,
                    cell.text,
                    where,
                )
    return cells


def _agrees(calculated: float | None, published: float, decimals: int) -> bool:
    if calculated is None:
        return False
    return abs(calculated - published) <= 0.5 * 10.0**-decimals * (1 + 1e-9) + 1e-12


def _groups(
    sheets: RawSheets, problems: Problems
) -> list[tuple[str, tuple[str, str, str], list[FigureRow]]]:
    """(sheet, key, rows) per calculation; a key twice is a problem."""
    groups: dict[tuple[str, str, str], tuple[str, list[FigureRow]]] = {}
    for row in sheets.raw:
        key = (row.measure, row.area_code, row.period)
        if key in groups:
            first = groups[key][1][0]
            problems.append(
                f"{row.where()}: the same measure, area and period as row "
                f"{first.row_number}; give each value once"
            )
            continue
        groups[key] = (RAW_SHEET, [row])
    for row in sheets.bands:
        key = (row.measure, row.area_code, row.period)
        sheet, rows = groups.setdefault(key, (AGE_SHEET, []))
        if sheet == RAW_SHEET:
            problems.append(
                f"{row.where()}: this measure, area and period is also on "
                f'sheet "{RAW_SHEET}", row {rows[0].row_number}; give its '
                "figures on one sheet"
            )
            continue
        rows.append(row)
    return [(sheet, key, rows) for key, (sheet, rows) in groups.items() if rows]


def _unused(sheet: str, measure: _Measure, rows: list[FigureRow]) -> list[str]:
    needs = (RAW_NEEDS if sheet == RAW_SHEET else BAND_NEEDS).get(measure.value_type)
    if needs is None:
        return [
            f"{rows[0].where()}: a {measure.value_type.replace('_', ' ')} is "
            f"calculated from {needs_text(measure.value_type)}"
        ]
    problems = []
    for row in rows:
        for heading in row.figures:
            if heading not in needs:
                problems.append(
                    f"{row.where(heading)}: not used for a "
                    f"{measure.value_type.replace('_', ' ')}, which needs "
                    f"{', '.join(needs)}; leave it blank"
                )
    return problems


def _calculate(sheet: str, measure: _Measure, rows: list[FigureRow]):
    """(Calculated, indicator_value_calculate's figures) or raise ValueError."""
    if sheet == RAW_SHEET:
        figures = {RAW_FIGURES[h]: v for h, v in rows[0].figures.items()}
    else:
        if all("Start age" in r.figures for r in rows):
            rows.sort(key=lambda r: r.figures["Start age"])
        bands = []
        for row in rows:
            band = {BAND_FIGURES[h]: v for h, v in row.figures.items()}
            start = band.get("start_age")
            if start is not None:
                if start != int(start) or start < 0 or start > 150:
                    number = len(bands) + 1
                    raise FigureError(
                        f"age band {number} start age must be a whole "
                        f"number of years from 0 to 150, not {start:g}",
                        "age_bands",
                        band=number,
                        figure="start_age",
                    )
                band["start_age"] = int(start)
            band.setdefault("count", None)
            band.setdefault("population", None)
            bands.append(AgeBand(**band))
        figures = {"age_bands": bands}
    result = calculate_value(
        measure.value_type, multiplier=measure.multiplier, **figures
    )
    return result, figures


def raw_figures_check(
    sheets: RawSheets,
    *,
    indicators: Iterable[Indicator],
    metadata: Mapping[str, Mapping[str, Any]],
    table: MeasuresTable,
    source_table: SourceTable,
    place,
) -> tuple[list[Calculation], Problems]:
    """Calculate every value the sheets give; write nothing.

    ``metadata`` is the Measures sheet's (by published description), so a new
    measure there may be given raw figures too. Each problem names its sheet,
    row and column; a value the Measures sheet publishes as well must agree
    with the calculated one at the measure's display decimals.
    """
    problems = Problems(sheets.problems)
    measures = _measures(indicators, metadata)
    codes = {r.area_code for r in (*sheets.raw, *sheets.bands) if r.area_code}
    areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
    published = _published_cells(table, source_table, place)
    calculations = []
    for sheet, key, rows in _groups(sheets, problems):
        name, area_code, period = key
        first = rows[0]
        found = []
        measure = measures.get(name) or next(
            (m for n, m in measures.items() if n.casefold() == name.casefold()), None
        )
        if not name:
            found.append(f"{first.where()}: blank; give the measure's description")
        elif measure is None:
            found.append(
                f"{first.where()}: {_quoted(name)} is not a measure in the "
                "database or on the Measures sheet (give its description or code)"
            )
        area = areas.get(area_code) if area_code else place.area
        if area is None:
            found.append(
                f"{first.where(AREA)}: no area with the code {_quoted(area_code)} "
                "(leave it blank for the place)"
            )
        if not period:
            found.append(f"{first.where(PERIOD)}: blank; give the period, e.g. 2022")
        else:
            try:
                parse_period_label(period)
            except PeriodLabelError as error:
                found.append(f"{first.where(PERIOD)}: {error}")
        if measure is not None:
            found += _unused(sheet, measure, rows)
        if found or any(r.spoilt for r in rows):
            problems += found  # a spoilt cell's problem is listed already
            continue
        try:
            result, figures = _calculate(sheet, measure, rows)
        except (ValueError, ArithmeticError) as error:
            problems.append(_figure_problem(error, rows))
            continue
        calculation = Calculation(
            code=measure.code,
            description=measure.description,
            area=area,
            period_label=period,
            result=result,
            figures=figures,
            rows=tuple(rows),
        )
        shown = published.get((measure.description, area.pk, period))
        if shown is not None and not _agrees(result.value, shown[0], measure.decimals):
            value = "none" if result.value is None else f"{result.value:g}"
            problems.append(
                f"{calculation.where}: the value calculated from these figures "
                f"({value}) disagrees with {_quoted(shown[1])} on {shown[2]} at "
                f"{measure.decimals} decimal place(s); correct the figures or the "
                "published value"
            )
            continue
        calculations.append(calculation)
    return calculations, problems


def published_calculations(
    calculations: Iterable[Calculation],
) -> dict[tuple[str, int, str], Calculated]:
    """(description, area id, period) -> the calculated value, for measures_write."""
    return {
        (c.description, c.area.pk, c.period_label): c.result
        for c in calculations
        if c.description
    }


# Writing ------------------------------------------------------------------


def raw_figures_write(
    *,
    calculations: Iterable[Calculation],
    written: set[tuple[str, int, str]],
    source: str,
    keep_existing_source: bool,
    counts: dict[str, int],
    report: Callable[[str], None] = lambda message: None,
) -> set[int]:
    """Write the values not already written with the Measures sheet's.

    ``written`` holds the (description, area id, period) keys measures_write
    wrote; ``counts`` gains values created, updated and unchanged. Return the
    ids of the indicators written. Call inside the import's transaction.
    """
    calculations = [
        c
        for c in calculations
        if (c.description, c.area.pk, c.period_label) not in written
    ]
    if not calculations:
        return set()
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in={c.code for c in calculations})
    }
    touched = set()
    for calculation in calculations:
        indicator = indicators[calculation.code]
        try:
            period = services.period_get_or_create(label=calculation.period_label)
            before = (
                IndicatorValue.objects.filter(
                    indicator=indicator,
                    area=calculation.area,
                    period=period,
                    sex="",
                    age="",
                    category_type="",
                    category="",
                )
                .values_list("updated_at", "source")
                .first()
            )
            value = services.indicator_value_calculate(
                indicator=indicator,
                area=calculation.area,
                period=period,
                source=before[1]
                if before is not None and keep_existing_source
                else source,
                **calculation.figures,
            )
        except ValidationError as error:
            messages = " ".join(error.messages)
            raise MeasuresLoadError([f"{calculation.where}: {messages}"]) from error
        touched.add(indicator.pk)
        if before is None:
            counts["values_created"] += 1
        elif before[0] != value.updated_at:
            counts["values_updated"] += 1
        else:
            counts["values_unchanged"] += 1
    report(f"  values calculated from raw figures: {len(calculations)}")
    return touched
