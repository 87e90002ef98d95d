"""The 23rd column: its name varies with the parent area type."""

import pytest

from indicators.models import Area, Assessment
from tests.indicators.fingertips.helpers import (
    REGION_COLUMN,
    csv_bytes,
    run_import,
    sample_header,
    sample_rows,
)

pytestmark = pytest.mark.django_db


def _header_with(parent_column: str) -> list[str]:
    return [parent_column if n == REGION_COLUMN else n for n in sample_header()]


@pytest.mark.parametrize(
    "parent_column",
    [
        "Compared to Region value or percentiles",
        "compared to region value or percentiles",
        "Compared to Regions (statistical) value or percentiles",
        "Compared to parent value or percentiles",
        "Compared to percentiles",
    ],
)
def test_region_like_parent_columns_are_stored_as_region_assessments(parent_column):
    result = run_import(csv_bytes(sample_rows(), _header_with(parent_column)))

    assert result.ok, result.error_messages()
    region = Assessment.objects.filter(benchmark="region")
    assert region.count() == 40
    assert set(region.values_list("benchmark_area__code", flat=True)) == {"E12000006"}
    worst = region.get(
        value__indicator__fingertips_id=92443,
        value__area__code="E06000032",
        value__period__label="2022",
    )
    assert (worst.result, worst.level, worst.published_text) == ("worse", 99.8, "Worst")
    assert not [note for note in result.notes if "parent" in note]


def test_column_not_used_stores_no_region_assessments():
    rows = sample_rows()
    for row in rows:
        row[REGION_COLUMN] = ""

    result = run_import(csv_bytes(rows, _header_with("Column not used")))

    assert result.ok, result.error_messages()
    assert not Assessment.objects.filter(benchmark="region").exists()
    assert Assessment.objects.filter(benchmark="national").count() == 85


def test_a_parent_that_is_not_a_region_is_not_stored_and_is_noted():
    header = _header_with(
        "Compared to Counties & UAs (from Apr 2023) value or percentiles"
    )

    result = run_import(csv_bytes(sample_rows(), header))

    assert result.ok, result.error_messages()
    assert not Assessment.objects.filter(benchmark="region").exists()
    assert (
        "'Compared to Counties & UAs (from Apr 2023) value or percentiles' was not "
        "stored: published comparisons are kept against England and regions only."
    ) in result.notes
    # The region's own rows in the file still make it a region.
    assert Area.objects.get(code="E12000006").area_type == "region"


def test_a_generic_parent_column_needs_the_parent_to_be_a_region():
    rows = [r for r in sample_rows() if r["Area Code"] == "E06000032"]
    header = _header_with("Compared to parent value or percentiles")

    result = run_import(csv_bytes(rows, header))

    assert result.ok
    assert Area.objects.get(code="E12000006").area_type == "other"
    assert not Assessment.objects.filter(benchmark="region").exists()
    assert (
        "20 parent comparison(s) were not stored: the parent area is not a region."
    ) in result.notes


def test_a_second_parent_column_is_rejected():
    header = [*sample_header(), "Column not used"]
    rows = sample_rows()

    result = run_import(csv_bytes(rows, header, columns=[*sample_header(), "x"]))

    assert not result.ok
    assert result.error_messages() == [
        "line 1, column 'Compared to <parent> value or percentiles': more than one "
        "parent-comparison column: Compared to Region value or percentiles, "
        "Column not used"
    ]
