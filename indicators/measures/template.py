"""Write the XLSX template officers fill in to update the outcome-measure table.

The "Measures" sheet has the published table's columns (principle group,
description, two snapshots of eight columns) then the metadata columns a new
measure needs. It is pre-filled with the place's measures (indicators with a
published description) and their latest two periods, so officers update rather
than retype; importing it unchanged changes nothing.

The "Raw figures" and "Age bands" sheets (see
:mod:`indicators.measures.raw_figures`) have only their headings, with notes:
a value to calculate from its figures is typed in by the officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import F, Prefetch
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.measures.metadata import indicator_metadata
from indicators.measures.raw_figures import (
    AGE_COLUMNS,
    AGE_SHEET,
    AREA,
    BAND_NEEDS,
    MEASURE,
    PERIOD,
    RAW_COLUMNS,
    RAW_NEEDS,
    RAW_SHEET,
    needs_text,
)
from indicators.measures.sources import (
    INSTRUCTIONS_SHEET,
    LEADING_HEADERS,
    METADATA_COLUMNS,
    SHEET_NAME,
)
from indicators.measures.table import GROUP_OVERARCHING, TREND_LABELS
from indicators.models import Assessment, Indicator, IndicatorValue, Method, Trend
from indicators.selectors import place_get

SNAPSHOTS = 2
COMPARISON_LETTERS = ("G", "A", "R", "N/a")
RESULT_LETTERS = {"better": "G", "similar": "A", "worse": "R", "not_compared": "N/a"}
BENCHMARKS = ("national", "region", "nearest_neighbours")
TREND_WORDS = tuple(word.capitalize() for word in TREND_LABELS)
MAX_ROWS = 500  # data validation reaches this far down
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NOTES = {
    "Principle group": "Overarching, or the principle number 1 to 8.",
    "Measure description": "Exactly as published. A measure already in the "
    "database is matched by this (or by its code) and keeps its metadata.",
    "Date of measure": "The period, e.g. 2022, 2021/22 or 2020-22.",
    "Comparison": "G better, A similar, R worse, N/a not compared; blank if not "
    "published.",
    "Trend": "Comparable, N/a, Significantly improving, Significantly worse, "
    "Significantly increasing or Significantly decreasing.",
    "Code": "New measures only: a unique slug, e.g. school-readiness.",
    "Value type": "New measures only: " + ", ".join(Indicator.ValueType.values),
    "Multiplier": "New measures only: 100 for %, 1000 for per 1,000, else 1.",
    "Polarity": "New measures only: " + ", ".join(Indicator.Polarity.values),
    "Principle number": "Optional; must agree with the principle group.",
}


def _types_needing(needs: dict, heading: str) -> str:
    types = [
        t.replace("_", " ") for t, headings in needs.items() if heading in headings
    ]
    return "Needed for: " + ", ".join(types) + "."


RAW_NOTES = {
    MEASURE: "The measure's description exactly as on the Measures sheet, or its code.",
    AREA: "The area's code, e.g. E06000032; blank for the place.",
    PERIOD: "The period as on the Measures sheet, e.g. 2022 or 2021/22.",
    **{h: _types_needing(RAW_NEEDS, h) for h in RAW_COLUMNS[3:]},
}
RAW_NOTES["Numerator"] += " For a ratio: the observed events."
RAW_NOTES["Denominator"] += " For a ratio: the expected events."
AGE_NOTES = {
    **RAW_NOTES,
    **{h: _types_needing(BAND_NEEDS, h) for h in AGE_COLUMNS[3:]},
}
AGE_NOTES["Count"] += " Deaths for a life expectancy."
AGE_NOTES["Start age"] += " The band's first year of age: 0, 1, 5, 10 ..."
CALCULATED_TYPES = (
    "proportion",
    "crude_rate",
    "count",
    "ratio",
    "mean",
    "dsr",
    "life_expectancy",
)
INSTRUCTIONS = (
    "How to fill in the outcome-measure template",
    "",
    "1. One row per measure on the Measures sheet. Keep the header row as it is.",
    "2. Each row has two snapshots (older on the left, latest on the right) of "
    "eight columns: date of measure, the place's, the country's and the region's "
    "values, the comparisons (G/A/R/N/a) and the trend words.",
    "3. To add a period, move the latest snapshot to the left and fill in the new "
    "one on the right. Leave a snapshot blank to repeat the other one.",
    "4. Values are numbers as published, e.g. 78.1, 85.40% or 1,234; '-' or N/a "
    "for not published.",
    "5. A measure not yet in the database needs Code, Value type, Multiplier and "
    "Polarity (Name defaults to the description). Existing measures ignore the "
    "metadata columns: change them in the admin.",
    "6. Upload the file in the admin (Import runs > Import the outcome-measure "
    "table) or run manage.py import_measures FILE. Every problem is listed by "
    "sheet, row and column, and nothing is saved until the file has none.",
    "",
    "Values calculated from raw figures (optional)",
    "",
    f"7. Instead of (or as well as) a published value, give the figures it is made "
    f"from and the import calculates the value and its 95% and 99.8% confidence "
    f'limits by the measure\'s value type. On the "{RAW_SHEET}" sheet, one row per '
    f'value; on the "{AGE_SHEET}" sheet, one row per age band (the rows with the '
    "same measure, area and period make one value). Each row names the measure "
    "(its description as on the Measures sheet, or its code), the area's code "
    "(blank for the place) and the period. Leave both sheets blank if you have "
    "no raw figures.",
    "8. Which figures each value type needs:",
    *(f"   - {t.replace('_', ' ')}: {needs_text(t)}" for t in CALCULATED_TYPES),
    "   - index: cannot be calculated; enter the published value.",
    "9. Figures are plain numbers typed in (1234 or 1,234.5): no formulas, dates "
    "or text. Leave a figure the value type does not need blank.",
    "10. When the Measures sheet publishes the same value, the value calculated "
    "from the figures must agree with it at the measure's decimal places; the "
    "published text is kept and the calculated limits are saved with it.",
    f'11. Example (do not type it in as it is): on "{RAW_SHEET}", a row '
    "Claimant count | (blank) | 2024 | 6000 | 100000 gives 6.0% with its Wilson "
    f'limits. On "{AGE_SHEET}", rows such as Under 75 mortality | (blank) | 2022 '
    "| 0 | 12 | 15000 | 5000, one per age band, give a directly standardised "
    "rate (count 12, population 15,000 and European standard population 5,000 "
    "for ages 0 to 4).",
)


@dataclass(frozen=True)
class _Cells:
    label: str
    values: list[str]  # place, country, region
    letters: list[str]
    trend: str


def _value_text(value: IndicatorValue | None) -> str:
    if value is None or value.value is None:
        return (value.published_text if value else "") or "-"
    return value.published_text or f"{value.value:g}"


def _snapshots(indicator: Indicator, place, values_by_key) -> list[_Cells]:
    areas = (place.area_id, place.country_id, place.region_id)
    periods = sorted(
        {
            v.period
            for v in values_by_key.values()
            if v.indicator_id == indicator.pk and v.area_id == place.area_id
        },
        key=lambda p: (p.sort_key, p.ends_on),
    )[-SNAPSHOTS:]
    snapshots = []
    for period in periods:
        own = values_by_key[(indicator.pk, place.area_id, period.pk)]
        judged = {
            a.benchmark: a.published_text or RESULT_LETTERS[a.result]
            for a in own.assessments.all()
        }
        trend = next(iter(own.trends.all()), None)
        snapshots.append(
            _Cells(
                label=period.label,
                values=[
                    _value_text(values_by_key.get((indicator.pk, area, period.pk)))
                    for area in areas
                ],
                letters=[judged.get(b, "") for b in BENCHMARKS],
                trend=trend.published_text if trend else "",
            )
        )
    if len(snapshots) == 1:
        snapshots *= SNAPSHOTS
    return snapshots


def _header(place) -> list[str]:
    country = place.country.name if place.country else ""
    block = [
        "Date of measure",
        place.name,
        country,
        "Region",
        f"Comparison to {country}",
        "Comparison to Region",
        "Comparison to NN",
        "Trend",
    ]
    return [*LEADING_HEADERS, *block * SNAPSHOTS, *METADATA_COLUMNS]


def _validate(sheet, header: list[str]) -> None:
    lists = {
        "Value type": Indicator.ValueType.values,
        "Polarity": Indicator.Polarity.values,
        "Trend": TREND_WORDS,
    }
    for index, name in enumerate(header, start=1):
        options = lists.get(name)
        if name.startswith("Comparison to"):
            options = COMPARISON_LETTERS
        if options is None:
            continue
        letter = get_column_letter(index)
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(options) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=name,
            error="Choose one of: " + ", ".join(options),
        )
        rule.add(f"{letter}2:{letter}{MAX_ROWS}")
        sheet.add_data_validation(rule)


def _note(name: str) -> str | None:
    if name.startswith("Comparison to"):
        return NOTES["Comparison"]
    return NOTES.get(name)


def _rows(place):
    indicators = list(
        Indicator.objects.exclude(published_name="")
        .select_related("principle")
        .order_by(F("principle__number").asc(nulls_first=True), "display_order")
    )
    areas = [a for a in (place.area_id, place.country_id, place.region_id) if a]
    values = (
        IndicatorValue.objects.filter(
            indicator__in=indicators,
            area_id__in=areas,
            sex="",
            age="",
            category_type="",
            category="",
        )
        .select_related("period")
        .prefetch_related(
            _published(Assessment, "assessments"), _published(Trend, "trends")
        )
    )
    values_by_key = {(v.indicator_id, v.area_id, v.period_id): v for v in values}
    for indicator in indicators:
        meta = indicator_metadata(indicator)
        principle = meta["principle"]
        group = str(principle) if principle else GROUP_OVERARCHING
        row = [group, indicator.published_name]
        for snapshot in _snapshots(indicator, place, values_by_key):
            row += [snapshot.label, *snapshot.values, *snapshot.letters, snapshot.trend]
        row += [""] * (2 + 8 * SNAPSHOTS - len(row))
        row += [
            "" if meta[key] is None else str(meta[key])
            for key in METADATA_COLUMNS.values()
        ]
        yield row


def _published(model, name):
    return Prefetch(name, queryset=model.objects.filter(method=Method.PUBLISHED))


def _figures_sheet(workbook, title: str, columns, notes) -> None:
    """A sheet of headings with notes, and no rows: the officer types them."""
    sheet = workbook.create_sheet(title)
    sheet.append(list(columns))
    for index, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.comment = Comment(notes[name], "Marmot Tracker")
        sheet.column_dimensions[get_column_letter(index)].width = (
            50 if index == 1 else 16
        )
    sheet.freeze_panes = "A2"
    for letter in ("A", "B", "C"):
        # Text: "2021/22" and codes stay as typed, not dates or numbers.
        for row in range(2, MAX_ROWS + 1):
            sheet[f"{letter}{row}"].number_format = "@"


def measures_template_write(*, stream: BinaryIO) -> int:
    """Write the template to ``stream``; return how many measures it lists."""
    place = place_get()
    if place is None:
        raise ValueError("No place is set up: load the programme first.")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    header = _header(place)
    sheet.append(header)
    for index, name in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        if note := _note(name):
            cell.comment = Comment(note, "Marmot Tracker")
        sheet.column_dimensions[get_column_letter(index)].width = (
            50 if index == 2 else 14
        )
    sheet.freeze_panes = "C2"
    count = 0
    for row in _rows(place):
        sheet.append(row)
        count += 1
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"  # text: "85.40%" and "2020" stay as typed
    _validate(sheet, header)
    _figures_sheet(workbook, RAW_SHEET, RAW_COLUMNS, RAW_NOTES)
    _figures_sheet(workbook, AGE_SHEET, AGE_COLUMNS, AGE_NOTES)
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    for line in INSTRUCTIONS:
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 120
    workbook.save(stream)
    return count
