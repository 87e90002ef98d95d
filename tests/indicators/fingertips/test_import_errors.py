"""Bad files are rejected whole, with every problem by line and column."""

import pytest

from indicators.models import ImportRun
from tests.indicators.factories import IndicatorFactory
from tests.indicators.fingertips.helpers import (
    SAMPLE,
    csv_bytes,
    data_row_counts,
    run_import,
    sample_header,
    sample_rows,
)

pytestmark = pytest.mark.django_db

ENGLAND_COLUMN = "Compared to England value or percentiles"
NOTHING = {
    "Indicator": 0,
    "Area": 0,
    "Period": 0,
    "IndicatorValue": 0,
    "Assessment": 0,
    "Trend": 0,
}


def _rejected(data: bytes) -> list[str]:
    """Import ``data``, check nothing but a failed run was written, return errors."""
    result = run_import(data, "bad.csv")
    assert not result.ok
    assert data_row_counts() == NOTHING
    run = ImportRun.objects.get()
    assert (run.status, run.file_name, run.values_created) == ("failed", "bad.csv", 0)
    assert (
        run.errors == [e.as_dict() for e in result.errors][:200]
        or len(result.errors) > 200
    )
    assert result.run_id == run.pk
    return result.error_messages()


def _with(changes: dict[int, dict[str, str]]) -> bytes:
    """The sample with some cells changed: {row index: {column: text}}."""
    rows = sample_rows()
    for index, cells in changes.items():
        rows[index].update(cells)
    return csv_bytes(rows)


def test_a_misspelt_column_is_reported_with_the_missing_one():
    header = sample_header()
    header[12] = "Valeu"

    errors = _rejected(csv_bytes(sample_rows(), header))

    assert errors == [
        "line 1, column 'Valeu': unexpected column (column 13): not one of the "
        "columns of Fingertips' all_data/csv download; check that the file is "
        "that download, saved as CSV with commas, or remove the column",
        "line 1, column 'Value': required column is missing: Fingertips' "
        "all_data/csv download has it; add it back, or download the file again",
    ]


def test_a_missing_column_is_reported():
    header = [name for name in sample_header() if name != "Denominator"]

    errors = _rejected(csv_bytes(sample_rows(), header))

    assert errors == [
        "line 1, column 'Denominator': required column is missing: Fingertips' "
        "all_data/csv download has it; add it back, or download the file again"
    ]


def test_a_missing_parent_comparison_column_is_reported():
    header = [
        name
        for name in sample_header()
        if name != "Compared to Region value or percentiles"
    ]

    (error,) = _rejected(csv_bytes(sample_rows(), header))

    assert "the parent-comparison column is missing" in error
    assert error.startswith(
        "line 1, column 'Compared to <parent> value or percentiles'"
    )


def test_non_numeric_values_are_reported_by_line_and_column():
    errors = _rejected(_with({0: {"Value": "79.8x"}, 5: {"Count": "n/a"}}))

    assert errors == [
        "line 2, column 'Value': '79.8x' is not a number",
        "line 7, column 'Count': 'n/a' is not a number",
    ]


def test_not_a_number_and_infinity_are_rejected():
    errors = _rejected(_with({0: {"Value": "NaN"}, 1: {"Upper CI 95.0 limit": "inf"}}))

    assert errors == [
        "line 2, column 'Value': 'NaN' is not a number",
        "line 3, column 'Upper CI 95.0 limit': 'inf' is not a number",
    ]


def test_a_value_outside_its_interval_and_crossed_limits_are_rejected():
    errors = _rejected(
        _with(
            {
                0: {"Value": "80.50"},  # 95% limits are 79.70 to 79.90
                1: {"Lower CI 95.0 limit": "81.00"},  # above the upper limit
                2: {"Lower CI 99.8 limit": "79.55"},  # value 79.50 below it
            }
        )
    )

    assert errors == [
        "line 2, column 'Value': value 80.5 is outside its 95% confidence interval "
        "(79.7 to 79.9)",
        "line 2, column 'Value': value 80.5 is outside its 99.8% confidence "
        "interval (79.64 to 79.96)",
        "line 3, column 'Lower CI 95.0 limit': lower 95% limit 81 is above the "
        "upper limit 80",
        "line 4, column 'Value': value 79.5 is outside its 99.8% confidence "
        "interval (79.55 to 79.66)",
    ]


def test_an_unknown_period_label_is_rejected():
    errors = _rejected(_with({3: {"Time period": "2020 to 2022"}}))

    assert len(errors) == 1
    assert errors[0].startswith(
        "line 5, column 'Time period': Period label \"2020 to 2022\" is not a "
        "period label we know."
    )


def test_a_windows_1252_file_is_rejected_line_by_line():
    rows = sample_rows()
    rows[1]["Area Name"] = "Englánd"
    rows[4]["Value note"] = "£ per head"

    errors = _rejected(csv_bytes(rows, encoding="cp1252"))

    assert len(errors) == 2
    assert errors[0].startswith("line 3: byte 0xe1 at character ")
    assert "is not UTF-8" in errors[0] and "save it as 'CSV UTF-8'" in errors[0]
    assert errors[1].startswith("line 6: byte 0xa3 at character ")


def test_a_utf16_file_is_rejected():
    errors = _rejected(SAMPLE.read_text(encoding="utf-8-sig").encode("utf-16"))

    assert errors == [
        "file: the file is UTF-16, not UTF-8: save it as 'CSV UTF-8' and import it "
        "again"
    ]


def test_duplicate_rows_are_rejected():
    rows = sample_rows()
    rows.append(dict(rows[2]))
    rows.append(dict(rows[2], Value="79.55"))

    errors = _rejected(csv_bytes(rows))

    message = (
        "duplicates line 4: same Indicator ID, Area Code, Time period, Sex, Age, "
        "Category Type and Category"
    )
    assert errors == [f"line 92: {message}", f"line 93: {message}"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "file: the file is empty"),
        (b"\xef\xbb\xbf\r\n\r\n", "file: the file is empty"),
        (None, "file: the file has a header but no data rows"),
    ],
)
def test_an_empty_file_is_rejected(data, expected):
    if data is None:
        data = csv_bytes([])

    assert _rejected(data) == [expected]


def test_negative_counts_and_zero_denominators_are_rejected():
    errors = _rejected(
        _with(
            {
                40: {"Count": "-5"},
                41: {"Denominator": "0"},
                42: {"Denominator": "-10"},
            }
        )
    )

    assert errors == [
        "line 42, column 'Count': count -5 is negative",
        "line 43, column 'Denominator': denominator 0 must be greater than zero",
        "line 44, column 'Denominator': denominator -10 must be greater than zero",
    ]


def test_unknown_comparison_and_trend_words_are_rejected():
    errors = _rejected(
        _with(
            {
                0: {ENGLAND_COLUMN: "Much better"},
                1: {"Compared to Region value or percentiles": "Amber"},
                # ("Getting better" is ours: published words, exported as such.)
                2: {"Recent Trend": "Improving"},
            }
        )
    )

    assert len(errors) == 3
    assert errors[0].startswith(
        f"line 2, column '{ENGLAND_COLUMN}': 'Much better' is not a Fingertips "
        "comparison; expected one of Better, Similar"
    )
    assert errors[1].startswith(
        "line 3, column 'Compared to Region value or percentiles': 'Amber' is not"
    )
    assert errors[2].startswith(
        "line 4, column 'Recent Trend': 'Improving' is not a Fingertips recent "
        "trend; expected one of 'Increasing and getting better'"
    )


def test_bad_ids_blank_required_cells_and_orphan_categories_are_rejected():
    errors = _rejected(
        _with(
            {
                0: {"Indicator ID": "IND-1"},
                1: {"Area Code": ""},
                2: {"Category": "Most deprived decile"},
                3: {"Sex": "Persons and all others too"},
            }
        )
    )

    assert errors == [
        "line 2, column 'Indicator ID': 'IND-1' is not a Fingertips indicator id",
        "line 3, column 'Area Code': is blank",
        "line 4, column 'Category Type': is blank but Category is not",
        "line 5, column 'Sex': is 26 characters long (at most 20)",
    ]


def test_rows_with_the_wrong_number_of_fields_are_rejected():
    data = SAMPLE.read_bytes().replace(
        b"Male,All ages,,,2018 - 20,79.90", b"Male,All ages,,2018 - 20,79.90", 1
    )

    errors = _rejected(data)

    assert errors == ["line 3: has 26 fields but the header has 27"]


def test_an_area_described_two_ways_is_rejected():
    errors = _rejected(_with({1: {"Area Type": "Region"}, 2: {"Parent Code": "E1"}}))

    assert errors == [
        "line 3, column 'Area Type': area E92000001 is a region here but a country "
        "on line 2",
        "line 4, column 'Parent Code': area E92000001 has parent E1 here but (none) "
        "on line 2",
    ]


def test_an_indicator_code_taken_by_another_indicator_is_rejected():
    IndicatorFactory(code="fingertips-92443", fingertips_id=None)
    counts_before = data_row_counts()

    result = run_import(SAMPLE.read_bytes())

    assert not result.ok
    assert result.error_messages() == [
        "line 62, column 'Indicator ID': indicator code 'fingertips-92443' is already "
        "used by an indicator with no Fingertips id: set its Fingertips id to 92443 "
        "to import into it"
    ]
    assert data_row_counts() == counts_before


def test_every_problem_is_listed_at_once():
    errors = _rejected(
        _with(
            {
                0: {"Value": "abc"},
                10: {"Time period": "last year"},
                20: {"Count": "-1", ENGLAND_COLUMN: "Great"},
                89: {"Denominator": "0"},
            }
        )
    )

    assert [e.split(":")[0] for e in errors] == [
        "line 2, column 'Value'",
        "line 12, column 'Time period'",
        "line 22, column 'Compared to England value or percentiles'",
        "line 22, column 'Count'",
        "line 91, column 'Denominator'",
    ]


def test_the_list_of_problems_is_capped():
    rows = sample_rows()
    for row in rows:
        row["Value"] = "x"
        row["Count"] = "y"
        row["Denominator"] = "z"

    result = run_import(csv_bytes(rows))

    # The first 100 are kept, all 270 counted (issue 14: a file of bad rows
    # must not hold every problem in memory).
    assert (len(result.errors), result.error_count) == (100, 270)
    assert "rejected, 270 problem(s)" in result.summary()
    messages = result.error_messages()
    assert len(messages) == 101
    more = "…and 170 more (270 problems in all; the first 100 are listed)"
    assert messages[-1] == more
    run = ImportRun.objects.get()
    assert len(run.errors) == 101
    assert run.errors[-1] == {"line": None, "column": None, "message": more}
    assert run.errors[0] == {
        "line": 2,
        "column": "Count",
        "message": "'y' is not a number",
    }
