"""The template's Raw figures and Age bands sheets: values calculated on import.

Officers give numerators and denominators (or counts and populations by age
band); the import calculates the value and its limits by the measure's value
type (issue 19). Checked through the admin upload and ``import_measures``, the
paths officers take.
"""

import datetime as dt
import io
import math
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from indicators.measures.importing import measures_import
from indicators.models import ImportRun, IndicatorValue
from tests.indicators.fixtures import MEASURES_URL, staff_with
from tests.indicators.measures_helpers import counts, xlsx_bytes
from tests.indicators.statistics.reference_figures import (
    DSR_COUNTS,
    DSR_POPS,
    ESP,
    LE_AGES,
    LE_DEATHS,
    LE_POPS,
)

pytestmark = pytest.mark.django_db

CLAIMANTS = "claimant-count"  # a proportion, x100, 1 decimal; 2024: "6.0%"
SELF_HARM = "self-harm-admissions-10-24"  # a DSR per 100,000
Z95 = 1.959963984540054
Z998 = 3.090232306167813


def wilson(numerator: float, denominator: float, z: float) -> tuple[float, float]:
    """The Wilson score interval in closed form, as a percentage."""
    p, n = numerator / denominator, denominator
    centre = 2 * n * p + z * z
    spread = z * math.sqrt(z * z + 4 * n * p * (1 - p))
    scale = 100 / (2 * (n + z * z))
    return (centre - spread) * scale, (centre + spread) * scale


def with_figures(raw=(), bands=(), edit=None) -> bytes:
    """The template with rows typed into its Raw figures and Age bands sheets."""
    workbook = load_workbook(io.BytesIO(xlsx_bytes()))
    for name, rows in (("Raw figures", raw), ("Age bands", bands)):
        for number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                workbook[name].cell(row=number, column=column).value = value
    if edit:
        edit(workbook)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def with_sheet_xml(data: bytes, old: str, new: str) -> bytes:
    """The workbook with ``old`` replaced by ``new`` in its sheets' XML."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content.replace(old.encode(), new.encode())
            target.writestr(item, content)
    return out.getvalue()


def stored(code: str, period: str, area) -> IndicatorValue:
    return IndicatorValue.objects.get(
        indicator__code=code,
        period__label=period,
        area=area,
        sex="",
        age="",
        category_type="",
        category="",
    )


def test_template_sheets_have_headings_notes_and_no_rows(place_loaded):
    workbook = load_workbook(io.BytesIO(xlsx_bytes()))
    raw, bands = workbook["Raw figures"], workbook["Age bands"]
    assert [c.value for c in raw[1]] == [
        "Measure description or code",
        "Area code",
        "Period",
        "Numerator",
        "Denominator",
        "Mean",
        "Standard deviation",
        "Sample size",
    ]
    assert [c.value for c in bands[1]][3:] == [
        "Start age",
        "Count",
        "Population",
        "Standard population",
        "Reference count",
        "Reference population",
    ]
    for sheet in (raw, bands):
        assert all(c.comment is not None for c in sheet[1])
        values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
        assert not any(v not in (None, "") for v in values), "an example would import"
    assert "proportion" in raw["D1"].comment.text
    text = "\n".join(c.value or "" for c in workbook["Instructions"]["A"])
    assert "dsr: Count, Population, Standard population" in text
    assert "mean: Mean, Standard deviation, Sample size" in text


def test_proportion_from_raw_figures_through_the_admin_upload(client, place_loaded):
    client.force_login(
        staff_with("add_indicatorvalue", "view_importrun", "view_indicatorvalue")
    )
    data = with_figures(raw=[(CLAIMANTS, None, "2024", 6000, 100_000)])
    response = client.post(
        reverse(MEASURES_URL), {"file": SimpleUploadedFile("t.xlsx", data)}
    )
    assert response.status_code == 302, response.context and response.context.get(
        "problems"
    )
    assert ImportRun.objects.get().status == ImportRun.Status.SUCCEEDED
    value = stored(CLAIMANTS, "2024", place_loaded.area)
    assert value.method == IndicatorValue.Method.WILSON
    assert value.published_text == "6.0%"  # as published, kept
    assert value.value == pytest.approx(6.0)
    lower95, upper95 = wilson(6000, 100_000, Z95)
    lower998, upper998 = wilson(6000, 100_000, Z998)
    assert (value.lower95, value.upper95) == (
        pytest.approx(lower95, rel=1e-9),
        pytest.approx(upper95, rel=1e-9),
    )
    assert (value.lower998, value.upper998) == (
        pytest.approx(lower998, rel=1e-9),
        pytest.approx(upper998, rel=1e-9),
    )
    assert (value.count, value.denominator) == (6000, 100_000)

    # The template downloaded now, imported unchanged, keeps the calculation.
    before = counts()
    result = measures_import(file=xlsx_bytes(), file_name="again.xlsx")
    assert result.ok, result.errors
    assert (result.values_created, result.values_updated) == (0, 0)
    assert counts() == before
    again = stored(CLAIMANTS, "2024", place_loaded.area)
    assert again.method == IndicatorValue.Method.WILSON
    assert again.lower95 == value.lower95


def test_a_value_only_in_raw_figures_is_calculated_by_the_command(
    place_loaded, tmp_path
):
    path = tmp_path / "t.xlsx"
    path.write_bytes(with_figures(raw=[(CLAIMANTS, "", "2019", "50", "1,000")]))
    call_command("import_measures", str(path), stdout=io.StringIO())
    value = stored(CLAIMANTS, "2019", place_loaded.area)
    assert value.value == pytest.approx(5.0)
    assert value.lower95 == pytest.approx(wilson(50, 1000, Z95)[0], rel=1e-9)
    assert value.upper95 == pytest.approx(wilson(50, 1000, Z95)[1], rel=1e-9)
    assert value.method == IndicatorValue.Method.WILSON
    assert value.published_text == ""


def test_dsr_from_age_bands_matches_the_phe_dsr_example(place_loaded):
    england = place_loaded.country
    bands = [
        (SELF_HARM, england.code, "2019/20", None, count, population, standard)
        for count, population, standard in zip(DSR_COUNTS, DSR_POPS, ESP, strict=True)
    ]
    result = measures_import(file=with_figures(bands=bands), file_name="t.xlsx")
    assert result.ok, result.errors
    value = stored(SELF_HARM, "2019/20", area=england)
    assert value.method == IndicatorValue.Method.DOBSON
    assert value.value == pytest.approx(9832.763039564017, rel=1e-6)
    assert value.lower95 == pytest.approx(9232.668299548477, rel=1e-6)
    assert value.upper95 == pytest.approx(10461.620634, rel=1e-6)
    # By hand: sum(count / population * standard) / sum(standard) * 100,000.
    by_hand = (
        sum(c / p * s for c, p, s in zip(DSR_COUNTS, DSR_POPS, ESP, strict=True))
        / sum(ESP)
        * 100_000
    )
    assert value.value == pytest.approx(by_hand)
    assert (value.count, value.denominator) == (sum(DSR_COUNTS), sum(DSR_POPS))


def test_life_expectancy_from_deaths_and_populations_by_age_band(place_loaded):
    # testLifeExpectancy.R df1 -> answer1 at birth: 80.16960813 (79.88268548
    # to 80.45653078; the reference's limits agree to 4 decimal places).
    england = place_loaded.country
    bands = [
        ("life-expectancy-male", england.code, "2019", age, deaths, population)
        for age, deaths, population in zip(LE_AGES, LE_DEATHS, LE_POPS, strict=True)
    ]
    result = measures_import(file=with_figures(bands=bands), file_name="t.xlsx")
    assert result.ok, result.errors
    value = stored("life-expectancy-male", "2019", area=england)
    assert value.method == IndicatorValue.Method.CHIANG_II
    assert value.value == pytest.approx(80.16960813, abs=5e-9)
    assert round(value.lower95, 4) == round(79.88268548, 4)
    assert round(value.upper95, 4) == round(80.45653078, 4)
    assert (value.count, value.denominator) == (sum(LE_DEATHS), sum(LE_POPS))


def test_a_life_table_the_reference_refuses_is_a_problem_naming_why(place_loaded):
    england = place_loaded.country
    bands = [
        ("life-expectancy-male", england.code, "2019", age, 0, 10) for age in LE_AGES
    ]
    result = measures_import(file=with_figures(bands=bands), file_name="t.xlsx")
    assert not result.ok
    assert any("total population is 5,000 or less" in e for e in result.errors)
    assert not IndicatorValue.objects.filter(
        indicator__code="life-expectancy-male", period__label="2019"
    ).exists()


def test_disagreeing_with_the_measures_sheet_is_a_problem(place_loaded):
    before = counts()
    data = with_figures(raw=[(CLAIMANTS, None, "2024", 6100, 100_000)])
    result = measures_import(file=data, file_name="t.xlsx")
    assert not result.ok
    [problem] = result.errors
    assert problem.startswith('sheet "Raw figures", row 2, column A "')
    assert '(6.1) disagrees with "6.0%" on sheet "Measures", row ' in problem
    assert "at 1 decimal place(s)" in problem
    assert counts() == before
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def _formula_and_date(workbook):
    sheet = workbook["Raw figures"]
    sheet["D3"] = "=1+2"
    sheet["D4"].value = dt.date(2024, 1, 5)


BAD = [
    (CLAIMANTS, None, "2024", "lots", 100),  # row 2: text
    (CLAIMANTS, None, "2023", None, 100),  # row 3: a formula (edit)
    (CLAIMANTS, None, "2022", None, 100),  # row 4: a date (edit)
    (CLAIMANTS, None, "2021", 5, 1e20),  # row 5: beyond any population
    (CLAIMANTS, None, "2020", 123456789, 100),  # row 6: infinite (XML edit)
    (CLAIMANTS, None, "2018", 5, 10, 3.5),  # row 7: a mean for a proportion
    (CLAIMANTS, "X99999999", "not a period", 5, 10),  # row 8: area and period
    ("No such measure", None, "2024", 5, 10),  # row 9
    (CLAIMANTS, None, "2017", 20, 10),  # row 10: more than the denominator
    (CLAIMANTS, None, "2017", 2, 10),  # row 11: row 10 again
]


def test_bad_cells_are_problems_by_sheet_row_and_column(place_loaded):
    data = with_figures(
        raw=BAD,
        bands=[(SELF_HARM, None, "2020/21", None, 5, 0, 5000)],
        edit=_formula_and_date,
    )
    data = with_sheet_xml(data, "<v>123456789</v>", "<v>1e400</v>")
    before = counts()
    result = measures_import(file=data, file_name="t.xlsx")
    assert not result.ok
    expected = [
        'sheet "Raw figures", row 2, column D "Numerator": "lots" is not a number',
        'sheet "Raw figures", row 3, column D "Numerator": a formula',
        'sheet "Raw figures", row 4, column D "Numerator": a date or time',
        'sheet "Raw figures", row 5, column E "Denominator": 1e+20 is beyond',
        'sheet "Raw figures", row 6, column D "Numerator": not a finite number',
        'sheet "Raw figures", row 7, column F "Mean": not used for a proportion',
        'sheet "Raw figures", row 8, column B "Area code": no area with the code '
        '"X99999999"',
        'sheet "Raw figures", row 8, column C "Period": ',
        'sheet "Raw figures", row 9, column A "Measure description or code": '
        '"No such measure" is not a measure',
        'sheet "Raw figures", row 10, column D "Numerator": numerator (20) must '
        "not be more than denominator (10)",
        'sheet "Raw figures", row 11, column A "Measure description or code": the '
        "same measure, area and period as row 10",
        'sheet "Age bands", row 2, column F "Population": population must be '
        "greater than zero",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in result.errors), (text, result.errors)
    assert len(result.errors) == len(expected), result.errors
    assert counts() == before
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.values_created == 0


def test_a_sheet_beyond_the_row_limit_is_refused(place_loaded, tmp_path):
    def far(workbook):
        workbook["Age bands"]["A1500"] = SELF_HARM

    path = tmp_path / "t.xlsx"
    path.write_bytes(with_figures(edit=far))
    before = counts()
    with pytest.raises(CommandError) as raised:
        call_command("import_measures", str(path), stdout=io.StringIO())
    assert 'sheet "Age bands" has cells up to column I and row 1,500' in str(
        raised.value
    )
    assert counts() == before


@pytest.mark.parametrize("sheet", ["Raw figures", "Measures"])
def test_nan_in_a_number_cell_is_a_problem_naming_its_row(place_loaded, sheet):
    def nan(workbook):
        workbook[sheet]["D3"] = 123456789

    data = with_sheet_xml(with_figures(edit=nan), "<v>123456789</v>", "<v>NaN</v>")
    before = counts()
    result = measures_import(file=data, file_name="t.xlsx")
    assert not result.ok
    assert any(
        p.startswith(f'sheet "{sheet}", row 3, column D: "NaN" is not a number')
        for p in result.errors
    ), result.errors
    assert counts() == before


def test_a_mean_from_its_summary_figures(place_loaded):
    data = with_figures(raw=[("progress-8", None, "2019/20", None, None, 0.1, 1, 100)])
    result = measures_import(file=data, file_name="t.xlsx")
    assert result.ok, result.errors
    value = stored("progress-8", "2019/20", place_loaded.area)
    assert value.method == IndicatorValue.Method.STUDENT_T
    # Student's t, 99 degrees of freedom: qt(0.975, 99) = 1.984216951508...
    half = 1.9842169515086827 * 1 / math.sqrt(100)
    assert value.value == pytest.approx(0.1)
    assert value.lower95 == pytest.approx(0.1 - half, rel=1e-6)
    assert value.upper95 == pytest.approx(0.1 + half, rel=1e-6)


def test_a_workbook_without_the_new_sheets_imports_as_before(place_loaded):
    def drop(workbook):
        del workbook["Raw figures"]
        del workbook["Age bands"]

    before = counts()
    result = measures_import(file=with_figures(edit=drop), file_name="old.xlsx")
    assert result.ok, result.errors
    assert (result.values_created, result.values_updated) == (0, 0)
    assert counts() == before
