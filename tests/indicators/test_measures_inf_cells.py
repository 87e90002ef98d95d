"""A Measures-sheet (or Raw figures) cell whose stored number is ``inf``,
``nan`` or thousands of digits is a listed problem naming its sheet, row and
column, through the admin upload; nothing is written (it was a 500)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.measures.importing import measures_import
from indicators.measures.sources import unreadable_number_cells
from indicators.models import ImportRun
from tests.indicators.fixtures import MEASURES_URL, staff_with
from tests.indicators.measures_helpers import counts, xlsx_bytes
from tests.xlsx_raw_cells import PLACEHOLDER, with_raw_number

pytestmark = pytest.mark.django_db


def _template_with(sheet: str, ref: str, raw: str) -> bytes:
    workbook = load_workbook(io.BytesIO(xlsx_bytes()))
    workbook[sheet][ref] = PLACEHOLDER
    stream = io.BytesIO()
    workbook.save(stream)
    return with_raw_number(stream.getvalue(), raw)


@pytest.mark.parametrize("raw", ["inf", "nan", "Infinity", "1" + "0" * 5001])
def test_the_admin_upload_lists_the_cell(client, place_loaded, raw):
    client.force_login(
        staff_with("add_indicatorvalue", "view_importrun", "view_indicatorvalue")
    )
    before = counts()
    response = client.post(
        reverse(MEASURES_URL),
        {"file": SimpleUploadedFile("t.xlsx", _template_with("Measures", "F4", raw))},
    )
    assert response.status_code in (200, 400)
    problems = [str(p) for p in response.context["problems"]]
    assert any(
        p.startswith('sheet "Measures", row 4, column F: ')
        and ("is not a number" in p or "too many to be a number" in p)
        for p in problems
    ), problems
    assert counts() == before
    assert not ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED).exists()


def test_raw_figures_name_the_column_too(place_loaded):
    data = _template_with("Raw figures", "D2", "inf")
    result = measures_import(file=data, file_name="t.xlsx")
    assert not result.ok
    assert any(
        p.startswith('sheet "Raw figures", row 2, column D: ') for p in result.errors
    ), result.errors


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("inf", '"inf" is not a number'),
        ("NaN", '"NaN" is not a number'),
        ("1" + "0" * 5001, "has 5,002 digits, too many to be a number"),
        ("1e400", ""),  # openpyxl reads inf: each reader refuses it
        ("1" + "0" * 400, ""),
        ("-12.5e3", ""),
        ("7", ""),
    ],
)
def test_unreadable_number_cells(raw, problem):
    found = unreadable_number_cells(_template_with("Measures", "C9", raw), "Measures")
    if problem:
        assert [(c.row, c.column) for c in found] == [(9, "C")]
        assert problem in found[0].problem
    else:
        assert found == []
