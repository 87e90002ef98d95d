"""The published outcome-measure table parser (pure: no database)."""

from pathlib import Path

import pytest
from django.conf import settings

from indicators.measures.table import (
    MeasuresTableError,
    parse_comparison,
    parse_measures_table,
    parse_value_cell,
    trend_label,
)
from indicators.models import Assessment, Trend

HEADER = (
    "Measure description\t\tDate of measure\tTestshire\tEngland\tRegion\t"
    "Comparison to England\tComparison to Region\tComparison to NN\tTrend\t"
    "Date of measure\tTestshire\tEngland\tRegion\tComparison to England\t"
    "Comparison to Region\tComparison to NN\tTrend"
)


def line(*cells: str) -> str:
    return "\t".join(cells)


GOOD_ROW = line(
    "1",
    "Widgets per household**",
    "2021/22",
    "85.40%",
    "81.10%",
    "-",
    "G",
    "N/a",
    "A",
    "Comparable",
    "2022/23",
    "85.7%",
    "79.2%",
    "84.7%",
    "G",
    "A",
    "G",
    "Significantly improving",
)


def table_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


@pytest.mark.parametrize(
    ("text", "value", "is_percent", "suffix"),
    [
        ("85.40%", 85.4, True, ""),
        ("85.7%", 85.7, True, ""),
        ("19%", 19.0, True, ""),
        ("10.5% households", 10.5, True, "households"),
        ("0.05", 0.05, False, ""),
        ("46.00", 46.0, False, ""),
        ("-0.01", -0.01, False, ""),
        ("0", 0.0, False, ""),
        ("1,234.5", 1234.5, False, ""),
        (" 77.0 ", 77.0, False, ""),
        ("-", None, False, ""),
        ("N/a", None, False, ""),
        ("", None, False, ""),
    ],
)
def test_parse_value_cell(text, value, is_percent, suffix):
    cell = parse_value_cell(text)

    assert cell.value == value
    assert cell.text == text.strip()
    assert cell.is_percent is is_percent
    assert cell.suffix == suffix


@pytest.mark.parametrize("text", ["abc", "85.4%%", "12a", "1.2.3", "% 12", "G"])
def test_parse_value_cell_rejects_text_that_is_not_a_number(text):
    with pytest.raises(ValueError, match="is not a number"):
        parse_value_cell(text)


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("G", "better"),
        ("A", "similar"),
        ("R", "worse"),
        ("N/a", "not_compared"),
        ("n/A", "not_compared"),
        ("", None),
    ],
)
def test_parse_comparison(text, result):
    assert parse_comparison(text) == result
    if result is not None:
        assert result in Assessment.Result.values


def test_parse_comparison_rejects_other_letters():
    with pytest.raises(ValueError, match='"X" is not a comparison'):
        parse_comparison("X")


@pytest.mark.parametrize(
    ("text", "polarity", "label"),
    [
        ("Comparable", "high_is_good", "No significant change"),
        ("Comparable", "low_is_good", "No significant change"),
        ("N/a", "low_is_good", "Cannot be calculated"),
        # The words say better or worse, never which way the values moved.
        ("Significantly improving", "high_is_good", Trend.Label.GETTING_BETTER),
        ("Significantly improving", "low_is_good", Trend.Label.GETTING_BETTER),
        ("Significantly worse", "high_is_good", Trend.Label.GETTING_WORSE),
        ("Significantly worse", "low_is_good", Trend.Label.GETTING_WORSE),
        ("Significantly increasing", "no_judgement", Trend.Label.INCREASING),
        ("Significantly decreasing", "no_judgement", Trend.Label.DECREASING),
        ("significantly  worse", "low_is_good", Trend.Label.GETTING_WORSE),
    ],
)
def test_trend_label(text, polarity, label):
    assert trend_label(text, polarity) == label
    assert label in Trend.Label.values


def test_trend_label_refuses_a_judgement_without_polarity():
    with pytest.raises(ValueError, match="polarity no_judgement"):
        trend_label("Significantly improving", "no_judgement")


def test_parse_a_row_with_its_snapshots():
    table = parse_measures_table(table_text(GOOD_ROW), source="t.tsv")

    assert (table.place_name, table.country_name, table.region_name) == (
        "Testshire",
        "England",
        "Region",
    )
    (row,) = table.rows
    assert (row.row_number, row.group, row.principle) == (2, "1", 1)
    assert row.description == "Widgets per household**"
    first, second = row.snapshots
    assert first.period_label == "2021/22"
    assert (first.place.value, first.place.text) == (85.4, "85.40%")
    assert first.region.value is None
    assert [(c.benchmark, c.text, c.result) for c in first.comparisons] == [
        ("national", "G", "better"),
        ("region", "N/a", "not_compared"),
        ("nearest_neighbours", "A", "similar"),
    ]
    assert first.trend_text == "Comparable"
    assert second.trend_text == "Significantly improving"
    assert second.number == 2


def test_group_is_carried_down_and_blank_lines_are_skipped_but_counted():
    second = GOOD_ROW.replace("1\tWidgets", "\tGadgets")
    third = GOOD_ROW.replace("1\tWidgets", "Overarching\tLife")

    table = parse_measures_table(table_text(GOOD_ROW, "", "\t" * 17, second, third))

    assert [(r.row_number, r.group, r.principle) for r in table.rows] == [
        (2, "1", 1),
        (5, "1", 1),
        (6, "Overarching", None),
    ]


def test_the_published_table_parses():
    path = Path(settings.BASE_DIR) / "data/places/luton/outcome-measures.tsv"

    table = parse_measures_table(path.read_text(encoding="utf-8"))

    assert len(table.rows) == 27
    assert table.place_name == "Luton"
    assert [row.principle for row in table.rows[:5]] == [None, None, None, None, 1]
    assert {row.principle for row in table.rows} == {None, 1, 2, 3, 4, 5, 6, 8}
    assert "Average Progress 8 score**" in {row.description for row in table.rows}
    healthy = table.rows[2]
    assert healthy.description == "Healthy life expectancy, Male (Years)"
    assert len(healthy.snapshots) == 2
    assert [s.period_label for s in healthy.distinct_snapshots] == ["2018-20"]
    mis = table.rows[15]
    assert mis.snapshots[0].place.text == "10.5% households"
    assert mis.snapshots[0].place.value == 10.5
    assert mis.snapshots[0].country.value is None


def test_all_problems_are_collected_with_row_and_column():
    bad_value = GOOD_ROW.replace("85.40%", "abc")
    bad_letter = GOOD_ROW.replace("\tG\tA\tG\t", "\tG\tX\tG\t").replace(
        "Widgets", "Gadgets"
    )
    bad_trend = GOOD_ROW.replace("Comparable", "Better").replace("Widgets", "Sprockets")

    with pytest.raises(MeasuresTableError) as raised:
        parse_measures_table(
            table_text(bad_value, "", bad_letter, bad_trend), source="place/t.tsv"
        )

    assert raised.value.problems == [
        'row 2, column 4 "Testshire" (snapshot 1): "abc" is not a number',
        'row 4, column 16 "Comparison to Region" (snapshot 2): "X" is not a '
        "comparison (G, A, R or N/a)",
        'row 5, column 10 "Trend" (snapshot 1): "Better" is not a trend we know '
        '("Comparable", "N/a", "Significantly improving", "Significantly worse", '
        '"Significantly increasing", "Significantly decreasing")',
    ]
    assert str(raised.value).startswith("place/t.tsv: 3 problems:")


def test_rows_must_be_complete_and_grouped():
    short = "\t".join(GOOD_ROW.split("\t")[:10])
    no_group = GOOD_ROW.replace("1\tWidgets", "\tWidgets")
    bad_group = GOOD_ROW.replace("1\tWidgets", "9\tWidgets")
    blank_date = GOOD_ROW.replace("2021/22", " ")

    for row, problem in [
        (short, "row 2 has 10 columns but the column headings have 18"),
        (no_group, 'row 2, column 1 "Principle group": the first measure has no'),
        (bad_group, 'row 2, column 1 "Principle group": "9" is not a principle'),
        (blank_date, 'row 2, column 3 "Date of measure" (snapshot 1): the date'),
    ]:
        with pytest.raises(MeasuresTableError) as raised:
            parse_measures_table(table_text(row))
        assert raised.value.problems[0].startswith(problem)


def test_duplicate_descriptions_are_rejected():
    again = GOOD_ROW.replace("1\t", "\t", 1)

    with pytest.raises(MeasuresTableError) as raised:
        parse_measures_table(table_text(GOOD_ROW, again))

    assert raised.value.problems == [
        'row 3, column 2 "Measure description": "Widgets per household**" is '
        "already on row 2"
    ]


def test_snapshots_of_the_same_period_must_agree():
    same = GOOD_ROW.replace("2022/23", "2021/22")

    with pytest.raises(MeasuresTableError) as raised:
        parse_measures_table(table_text(same))

    assert raised.value.problems == [
        "row 2: snapshots 1 and 2 are both for 2021/22 but give different "
        "figures; correct one of them, or remove the repeated snapshot"
    ]


def test_snapshots_of_the_same_period_that_agree_are_kept_once():
    cells = GOOD_ROW.split("\t")
    repeated = "\t".join(cells[:10] + cells[2:10])

    (row,) = parse_measures_table(table_text(repeated)).rows

    assert len(row.snapshots) == 2
    assert len(row.distinct_snapshots) == 1


def test_comparisons_without_a_value_are_rejected():
    row = GOOD_ROW.replace("85.40%", "-")

    with pytest.raises(
        MeasuresTableError,
        match="there is a comparison or a trend but no value; add the value",
    ):
        parse_measures_table(table_text(row))


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (HEADER.replace("\tTrend\tDate", "\tTrends\tDate"), 'column 10 "Trends"'),
        (
            HEADER.replace("Comparison to NN", "NN", 1),
            'the heading should start with "Comparison to"',
        ),
        (
            "\t".join(HEADER.split("\t")[:12]),
            "row 1 (the column headings) has 12 columns; the table should have 2",
        ),
    ],
)
def test_header_is_checked(header, problem):
    with pytest.raises(MeasuresTableError) as raised:
        parse_measures_table(header + "\n" + GOOD_ROW)
    assert problem in str(raised.value)
    assert "row 1" in str(raised.value)
