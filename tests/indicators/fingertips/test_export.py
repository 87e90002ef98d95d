"""Exporting in Fingertips' layout: round trip, effective judgements, injection."""

import csv
import io

import pytest
from openpyxl import load_workbook

from indicators.fingertips.exporter import (
    HEADER,
    cell_neutralise,
    fingertips_csv_write,
    fingertips_export_rows,
    fingertips_xlsx_write,
)
from indicators.models import (
    Area,
    Assessment,
    ImportRun,
    Indicator,
    IndicatorValue,
    Method,
    Period,
    Trend,
)
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TrendFactory,
)
from tests.indicators.fingertips.helpers import SAMPLE, run_import

pytestmark = pytest.mark.django_db


def _csv_text(queryset=None) -> str:
    stream = io.StringIO(newline="")
    rows = fingertips_export_rows(queryset=queryset or IndicatorValue.objects.all())
    fingertips_csv_write(rows=rows, stream=stream)
    return stream.getvalue()


def _csv_rows(queryset=None) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_csv_text(queryset), newline="")))


def _snapshot() -> dict:
    """Everything an import stores, keyed by natural keys (no primary keys)."""
    values = {}
    for v in IndicatorValue.objects.select_related(
        "indicator", "area", "period"
    ).prefetch_related("assessments__benchmark_area", "trends"):
        key = (
            v.indicator.fingertips_id,
            v.area.code,
            v.period.label,
            v.sex,
            v.age,
            v.category_type,
            v.category,
        )
        values[key] = (
            (v.value, v.lower95, v.upper95, v.lower998, v.upper998),
            (v.count, v.denominator, v.value_note, v.source),
            sorted(
                (
                    a.benchmark,
                    a.result,
                    a.level,
                    a.published_text,
                    a.benchmark_area.code if a.benchmark_area else None,
                )
                for a in v.assessments.all()
                if a.method == Method.PUBLISHED
            ),
            sorted(
                (t.label, t.published_text)
                for t in v.trends.all()
                if t.method == Method.PUBLISHED
            ),
        )
    return {
        "values": values,
        "areas": sorted(
            (a.code, a.name, a.area_type, a.parent.code if a.parent else None)
            for a in Area.objects.select_related("parent")
        ),
        "periods": sorted(
            Period.objects.values_list(
                "label", "kind", "starts_on", "ends_on", "sort_key"
            )
        ),
        "indicators": sorted(
            Indicator.objects.values_list(
                "code", "name", "fingertips_id", "value_type", "polarity"
            )
        ),
    }


def _empty_the_database() -> None:
    for model in (
        Trend,
        Assessment,
        IndicatorValue,
        Area,
        Period,
        Indicator,
        ImportRun,
    ):
        model.objects.all().delete()


def test_export_then_import_into_an_empty_database_gives_the_same_values():
    run_import(SAMPLE.read_bytes())
    Assessment.objects.exclude(method=Method.PUBLISHED).delete()
    Trend.objects.exclude(method=Method.PUBLISHED).delete()
    before = _snapshot()
    exported = _csv_text().encode("utf-8")

    _empty_the_database()
    result = run_import(exported, "exported.csv")

    assert result.ok, result.error_messages()
    assert result.values_created == 90
    assert (result.assessments_created, result.trends_created) == (125, 16)
    after = _snapshot()
    assert after["values"] == before["values"]
    assert after == before


def test_export_rows_carry_the_fingertips_columns():
    run_import(SAMPLE.read_bytes())

    rows = _csv_rows(IndicatorValue.objects.filter(area__code="E06000032"))

    assert list(rows[0]) == list(HEADER)
    assert len(rows) == 20  # 2 sexes x 5 + 5 + 5
    row = next(
        r
        for r in rows
        if r["Indicator ID"] == "93701" and r["Time period"] == "2022/23"
    )
    assert row == {
        "Indicator ID": "93701",
        "Indicator Name": "Children in absolute low income families (under 16s)",
        "Parent Code": "E12000006",
        "Parent Name": "East of England region",
        "Area Code": "E06000032",
        "Area Name": "Luton",
        "Area Type": "Local authority",
        "Sex": "Persons",
        "Age": "<16 yrs",
        "Category Type": "",
        "Category": "",
        "Time period": "2022/23",
        "Value": "23.5",
        "Lower CI 95.0 limit": "23.1",
        "Upper CI 95.0 limit": "23.9",
        "Lower CI 99.8 limit": "22.86",
        "Upper CI 99.8 limit": "24.14",
        "Count": "13160",
        "Denominator": "56000",
        "Value note": "",
        "Recent Trend": "Increasing",
        "Compared to England value or percentiles": "Higher",
        "Compared to Region value or percentiles": "Higher",
        "Time period Sortable": "20220000",  # as in Fingertips' own files
        "New data": "",
        "Compared to goal": "",
    }


def test_effective_judgements_manual_then_published_then_computed():
    computed_only = AssessmentFactory(
        method=Method.COMPUTED, result="better", level=99.8, published_text=""
    ).value
    published = AssessmentFactory(method=Method.PUBLISHED, result="worse").value
    AssessmentFactory(value=published, method=Method.COMPUTED, result="similar")
    manual = AssessmentFactory(
        method=Method.MANUAL, result="similar", reason="Data error", published_text=""
    ).value
    AssessmentFactory(value=manual, method=Method.COMPUTED, result="worse")
    AssessmentFactory(value=manual, method=Method.PUBLISHED, result="better")
    TrendFactory(value=computed_only, method=Method.COMPUTED, label="Increasing")
    TrendFactory(value=published, method=Method.PUBLISHED, label="Decreasing")
    TrendFactory(value=published, method=Method.COMPUTED, label="Increasing")

    by_id = {
        value.pk: _csv_rows(IndicatorValue.objects.filter(pk=value.pk))[0]
        for value in (computed_only, published, manual)
    }

    column = "Compared to England value or percentiles"
    assert by_id[computed_only.pk][column] == "Better 99.8%"
    # The council's "R" is not a Fingertips word: the result is written instead.
    assert by_id[published.pk][column] == "Worse"
    assert by_id[manual.pk][column] == "Similar"
    assert by_id[computed_only.pk]["Recent Trend"] == "Increasing"
    assert by_id[published.pk]["Recent Trend"] == "Decreasing"
    assert by_id[manual.pk]["Recent Trend"] == ""
    assert by_id[published.pk]["Indicator ID"] == ""  # no Fingertips id


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1582", "'+44 1582"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Luton", "Luton"),
        ("", ""),
        (" =1", " =1"),
    ],
)
def test_cell_neutralise(text, safe):
    assert cell_neutralise(text) == safe


def _hostile_value():
    return IndicatorValueFactory(
        indicator=IndicatorFactory(name='=HYPERLINK("http://evil","x")'),
        area=AreaFactory(code="E06000999", name="+Area"),
        period=PeriodFactory(label="2022"),
        sex="-",
        age="@age",
        category_type="\tType",
        category="\rCategory",
        value=-3.5,
        lower95=-4.0,
        upper95=-3.0,
        count=None,
        denominator=None,
        value_note="=cmd|' /C calc'!A0",
    )


def test_csv_export_neutralises_formulas_but_not_negative_numbers():
    _hostile_value()

    (row,) = _csv_rows()

    assert row["Indicator Name"] == '\'=HYPERLINK("http://evil","x")'
    assert row["Area Name"] == "'+Area"
    assert (row["Sex"], row["Age"]) == ("'-", "'@age")
    assert (row["Category Type"], row["Category"]) == ("'\tType", "'\rCategory")
    assert row["Value note"] == "'=cmd|' /C calc'!A0"
    assert (row["Value"], row["Lower CI 95.0 limit"], row["Upper CI 95.0 limit"]) == (
        "-3.5",
        "-4",
        "-3",
    )


def test_xlsx_export_neutralises_formulas_and_keeps_numbers_numeric():
    _hostile_value()
    stream = io.BytesIO()

    written = fingertips_xlsx_write(
        rows=fingertips_export_rows(queryset=IndicatorValue.objects.all()),
        stream=stream,
    )

    assert written == 1
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    header, row = list(sheet.iter_rows(values_only=False))
    assert [cell.value for cell in header] == list(HEADER)
    cells = dict(zip(HEADER, row, strict=True))
    assert cells["Indicator Name"].value == '\'=HYPERLINK("http://evil","x")'
    assert cells["Indicator Name"].data_type == "s"
    assert cells["Value note"].value == "'=cmd|' /C calc'!A0"
    assert cells["Sex"].value == "'-" and cells["Age"].value == "'@age"
    assert cells["Category Type"].value == "'\tType"
    assert (cells["Value"].value, cells["Value"].data_type) == (-3.5, "n")
    assert cells["Lower CI 95.0 limit"].value == -4
    assert cells["Count"].value is None
    assert cells["Time period Sortable"].value == 20220000
    assert not any(cell.data_type == "f" for cell in row)
