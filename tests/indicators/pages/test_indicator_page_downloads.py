"""The indicator page's downloads: every value as CSV or XLSX, formulas neutralised."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from indicators.models import Area
from tests.indicators.factories import AreaFactory, IndicatorValueFactory
from tests.indicators.pages.fixtures import QUINTILE_TYPE, QUINTILES, measure_build

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, indicator, fmt):
    return client.get(reverse("indicator-download", args=[indicator.code, fmt]))


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def measure(db):
    return measure_build(periods=3, wards=2, quintiles=5)


@pytest.fixture
def hostile(db):
    """A measure whose text cells look like spreadsheet formulas."""
    indicator, place = measure_build(periods=1, wards=0, quintiles=0)
    area = AreaFactory(code="=1+1", name='=HYPERLINK("http://evil.example","click")')
    IndicatorValueFactory(
        indicator=indicator,
        area=area,
        period=place.area.values.first().period,
        category_type="@SUM(A1)",
        category="+cmd|' /C calc'!A0",
        value_note="-2+3",
        value=-3.5,
        lower95=-4.0,
        upper95=-3.0,
    )
    return indicator


def test_csv_has_the_right_type_and_file_name(client, measure):
    indicator, _ = measure
    response = download(client, indicator, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{indicator.code}-{today}.csv"'
    )


def test_csv_has_every_value_with_limits_counts_and_breakdowns(client, measure):
    indicator, place = measure
    rows = csv_rows(download(client, indicator, "csv"))
    # 4 areas x 3 periods, 2 wards x 3 periods, 5 quintiles x 3 periods
    assert len(rows) == 12 + 6 + 15
    latest = next(
        r
        for r in rows
        if r["Area code"] == place.area.code
        and r["Period"] == "2017"
        and not r["Breakdown type"]
    )
    assert latest["Indicator code"] == indicator.code
    assert latest["Area name"] == "Testtown"
    assert latest["Area type"] == "Local authority"
    assert (latest["Value"], latest["Lower 95% limit"], latest["Upper 95% limit"]) == (
        "22",
        "20.5",
        "23.5",
    )
    assert (latest["Count"], latest["Denominator"]) == ("400", "1000")
    assert latest["Unit"] == "%"
    quintiles = {r["Breakdown"] for r in rows if r["Breakdown type"] == QUINTILE_TYPE}
    assert quintiles == set(QUINTILES)
    wards = [r for r in rows if r["Area type"] == "Ward"]
    assert len(wards) == 6


def test_csv_gives_the_comparison_shown_and_how_it_was_made(client, measure):
    indicator, place = measure
    rows = csv_rows(download(client, indicator, "csv"))
    latest = next(
        r
        for r in rows
        if r["Area code"] == place.area.code
        and r["Period"] == "2017"
        and not r["Breakdown type"]
    )
    assert latest["Compared with national"] == "Similar to England"
    assert latest["How compared with national"] == "Computed at 95% confidence"
    assert latest["Compared with region"] == "Similar to North Region"
    assert latest["How compared with region"] == "Published as “A”"
    assert latest["Compared with nearest neighbours"] == (
        "Better than nearest neighbours"
    )
    assert latest["How compared with nearest neighbours"] == "Set by hand"
    assert latest["Compared with target"] == "Worse than the target"
    assert latest["Trend"] == "Increasing and getting worse"
    assert latest["How the trend was assessed"] == "Computed"


def test_csv_neutralises_formulas_but_not_negative_numbers(client, hostile):
    rows = csv_rows(download(client, hostile, "csv"))
    row = next(r for r in rows if r["Breakdown type"])
    assert row["Area code"] == "'=1+1"
    assert row["Area name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["Breakdown type"] == "'@SUM(A1)"
    assert row["Breakdown"] == "'+cmd|' /C calc'!A0"
    assert row["Value note"] == "'-2+3"
    assert (row["Value"], row["Lower 95% limit"]) == ("-3.5", "-4")


def test_xlsx_has_the_right_type_name_and_rows(client, measure):
    indicator, place = measure
    response = download(client, indicator, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].endswith(f'-{timezone.localdate()}.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:6] == (
        "Indicator code",
        "Indicator",
        "Area code",
        "Area name",
        "Area type",
        "Period",
    )
    assert len(rows) == 1 + 12 + 6 + 15
    latest = next(
        dict(zip(header, r, strict=True))
        for r in rows[1:]
        if r[2] == place.area.code and r[5] == "2017" and not r[8]
    )
    assert latest["Value"] == 22.0 and latest["Upper 95% limit"] == 23.5
    assert latest["Compared with national"] == "Similar to England"


def test_xlsx_stores_formula_like_text_as_text(client, hostile):
    response = download(client, hostile, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[8].value)
    cells = dict(zip(header, row, strict=True))
    for name in ("Area code", "Area name", "Breakdown type", "Breakdown", "Value note"):
        assert cells[name].data_type == "s", name
        assert cells[name].value.startswith("'"), name
    assert cells["Area name"].value == '\'=HYPERLINK("http://evil.example","click")'
    assert cells["Value"].data_type == "n" and cells["Value"].value == -3.5
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


def test_ward_areas_are_typed_in_the_download(client, measure):
    indicator, _ = measure
    rows = csv_rows(download(client, indicator, "csv"))
    assert {r["Area type"] for r in rows} == {
        label
        for value, label in Area.Type.choices
        if value in ("local_authority", "country", "region", "comparator_group", "ward")
    }


def test_unknown_format_is_not_found(client, measure):
    indicator, _ = measure
    assert download(client, indicator, "json").status_code == 404
