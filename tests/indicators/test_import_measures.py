"""import_measures and measures_template: the outcome-measure table import."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from openpyxl import load_workbook

from indicators.assessment import indicator_values_changed
from indicators.measures.importing import measures_import
from indicators.models import Assessment, ImportRun, Indicator, IndicatorValue, Trend
from tests.indicators.measures_helpers import (
    NEW_ROW_DESCRIPTION,
    PLACE_DIR,
    TABLE,
    counts,
    edit_xlsx,
    run,
    table_lines,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def header_index(sheet, name: str) -> int:
    return next(c.column for c in sheet[1] if c.value == name)


def test_published_table_imports_into_a_database_with_the_place(tmp_path, place_only):
    metadata = PLACE_DIR / "measures.json"
    output = run("import_measures", str(TABLE), "--measures", str(metadata))
    assert "27 measures read" in output
    assert Indicator.objects.count() == 27
    assert IndicatorValue.objects.filter(area=place_only.area).exists()
    assert Assessment.objects.filter(method="published").exists()
    assert Trend.objects.filter(method="published").exists()
    run_row = ImportRun.objects.get()
    assert run_row.kind == ImportRun.Kind.MEASURES_TABLE
    assert run_row.status == ImportRun.Status.SUCCEEDED
    assert run_row.rows_read == 27
    assert run_row.values_created == IndicatorValue.objects.count()
    assert len(run_row.sha256) == 64


def test_reimporting_the_published_table_changes_nothing(place_loaded):
    before = counts()
    output = run("import_measures", str(TABLE))
    assert "0 created, 0 updated" in output
    assert counts() == before
    assert ImportRun.objects.get().values_unchanged > 0


def test_changed_value_is_updated_and_assessments_recomputed(place_loaded, monkeypatch):
    calls = []

    def recorded(*, indicator_ids):
        calls.append(list(indicator_ids))
        return indicator_values_changed(indicator_ids=indicator_ids)

    monkeypatch.setattr(
        "indicators.measures.importing.indicator_values_changed", recorded
    )
    lines = table_lines()
    cells = lines[1].split("\t")
    cells[11] = "76.5"  # snapshot 2, the place's value
    result = measures_import(
        file="\n".join([lines[0], "\t".join(cells), *lines[2:]]).encode(),
        file_name="table.tsv",
    )
    assert result.ok, result.errors
    assert (result.values_created, result.values_updated) == (0, 1)
    indicator = Indicator.objects.get(published_name=cells[1])
    assert indicator.pk in calls[0]
    assert (
        IndicatorValue.objects.get(
            indicator=indicator, area=place_loaded.area, period__label=cells[10]
        ).value
        == 76.5
    )


def test_tsv_with_a_bad_cell_is_rejected_with_row_and_column(place_loaded):
    lines = table_lines()
    cells = lines[2].split("\t")
    cells[3] = "eighty"
    lines[2] = "\t".join(cells)
    before = counts()
    with pytest.raises(CommandError) as error:
        path = Path(settings.BASE_DIR) / "var" / "bad-table-test.tsv"
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            run("import_measures", str(path))
        finally:
            path.unlink()
    message = str(error.value)
    assert 'row 3, column 4 "' in message
    assert '"eighty" is not a number' in message
    assert counts() == before
    failed = ImportRun.objects.get()
    assert failed.status == ImportRun.Status.FAILED
    assert failed.errors[0]["line"] == 3


def test_unknown_measure_without_metadata_is_rejected(place_loaded):
    lines = table_lines()
    cells = lines[1].split("\t")
    cells[1] = NEW_ROW_DESCRIPTION
    result = measures_import(
        file="\n".join([*lines, "\t".join(cells)]).encode(), file_name="t.tsv"
    )
    assert not result.ok
    assert any(
        f'"{NEW_ROW_DESCRIPTION}" has no entry in the database' in e
        for e in result.errors
    )


def test_template_round_trip_changes_nothing(place_loaded):
    data = xlsx_bytes()
    before = counts()
    result = measures_import(file=data, file_name="template.xlsx")
    assert result.ok, result.errors
    assert (result.indicators_created, result.values_created) == (0, 0)
    assert result.values_updated == 0
    assert result.rows_read == 27
    assert counts() == before


def test_template_has_lists_notes_and_instructions(place_loaded, tmp_path):
    output = tmp_path / "template.xlsx"
    assert "27 measures" in run("measures_template", "-o", str(output))
    workbook = load_workbook(output)
    assert workbook.sheetnames == [
        "Measures",
        "Raw figures",
        "Age bands",
        "Instructions",
    ]
    sheet = workbook["Measures"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Principle group", "Measure description", "Date of measure"]
    assert header[3] == place_loaded.name
    assert header[-7:] == [
        "Code",
        "Name",
        "Value type",
        "Unit",
        "Multiplier",
        "Polarity",
        "Principle number",
    ]
    assert sheet["A1"].comment is not None
    formulas = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any(f == '"G,A,R,N/a"' for f in formulas)
    assert any("high_is_good" in f for f in formulas)
    assert any("Significantly improving" in f for f in formulas)
    assert sheet.max_row == 28


def test_xlsx_with_a_bad_cell_is_rejected_with_sheet_row_and_column(place_loaded):
    def spoil(sheet):
        sheet.cell(row=4, column=4).value = "lots"

    before = counts()
    result = measures_import(file=edit_xlsx(xlsx_bytes(), spoil), file_name="t.xlsx")
    assert not result.ok
    assert any(
        e.startswith('sheet "Measures", row 4, column D "') and '"lots"' in e
        for e in result.errors
    )
    assert counts() == before


def test_xlsx_new_measure_needs_metadata_columns(place_loaded):
    def add_row(sheet, code):
        copy = [c.value for c in sheet[2]]
        copy[1] = NEW_ROW_DESCRIPTION
        copy[header_index(sheet, "Code") - 1] = code
        copy[header_index(sheet, "Polarity") - 1] = None
        sheet.append(copy)

    data = edit_xlsx(xlsx_bytes(), lambda s: add_row(s, "walking-to-work"))
    result = measures_import(file=data, file_name="t.xlsx")
    assert not result.ok
    assert any(
        e.startswith('sheet "Measures", row 29, column ') and '"Polarity"' in e
        for e in result.errors
    )

    def add_complete_row(sheet):
        add_row(sheet, "walking-to-work")
        sheet.cell(
            row=29, column=header_index(sheet, "Polarity")
        ).value = "high_is_good"

    before = Indicator.objects.count()
    data = edit_xlsx(xlsx_bytes(), add_complete_row)
    result = measures_import(file=data, file_name="t.xlsx")
    assert result.ok, result.errors
    assert result.indicators_created == 1
    assert Indicator.objects.count() == before + 1
    new = Indicator.objects.get(code="walking-to-work")
    assert new.published_name == NEW_ROW_DESCRIPTION
    assert new.polarity == "high_is_good"


def test_dry_run_writes_nothing(place_only):
    metadata = json.loads((PLACE_DIR / "measures.json").read_text())
    result = measures_import(
        file=TABLE.read_bytes(),
        file_name=TABLE.name,
        metadata=metadata,
        dry_run=True,
    )
    assert result.ok and result.values_created > 0
    assert Indicator.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_wrong_kind_of_file_is_refused(place_loaded):
    result = measures_import(file=b"x", file_name="table.pdf")
    assert not result.ok
    assert ".tsv or .csv" in result.errors[0]


def test_csv_layout_imports_like_the_tsv(place_loaded):
    csv_text = "\n".join(
        ",".join(f'"{cell}"' for cell in line.split("\t")) for line in table_lines()
    )
    result = measures_import(file=csv_text.encode(), file_name="table.csv")
    assert result.ok, result.errors
    assert (result.values_created, result.values_updated) == (0, 0)
