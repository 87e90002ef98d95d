"""Sparkline geometry and number formatting: pure functions, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.sparkline import coordinate, format_number, format_value, sparkline


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (42.0, 1, "42.0"),
        (36.149, 1, "36.1"),
        (0.25, 1, "0.3"),  # an exact half rounds away from zero, as toFixed does
        (-0.25, 1, "-0.3"),
        (2.5, 0, "3"),
        (-0.04, 1, "0.0"),  # never "-0.0"
        (12345.678, 2, "12,345.68"),
        (1234567.0, 0, "1,234,567"),
    ],
)
def test_format_number(value, decimals, text):
    assert format_number(value, decimals) == text


def test_format_value_puts_the_unit_after_the_number():
    assert format_value(42.04, 1, "%") == "42.0%"
    assert format_value(7.25, 2, "per 1,000") == "7.25 per 1,000"
    assert format_value(77.0, 1, "years") == "77.0 years"
    assert format_value(3.0, 0, "") == "3"
    assert format_value(None, 1, "%") == "No value"


def test_coordinate_rounds_halves_up_to_one_place():
    assert coordinate(4) == "4.0"
    assert coordinate(12.25) == "12.3"
    assert coordinate(12.249) == "12.2"
    assert coordinate(196.0) == "196.0"


def test_rising_series_spans_the_box_lowest_at_the_bottom():
    line = sparkline(
        [("2015/16", 36.1), ("2016/17", 37.0), ("2022/23", 39.4)], unit="%"
    )
    assert line.view_box == "0 0 200 40"
    assert [(p.x, p.y) for p in line.points] == [
        ("4.0", "36.0"),
        ("100.0", "27.3"),  # 4 + (39.4 - 37.0) / 3.3 * 32
        ("196.0", "4.0"),
    ]
    assert line.path == "M4.0 36.0 L100.0 27.3 L196.0 4.0"
    assert [(d.x, d.y) for d in line.dots] == [("196.0", "4.0")]  # the latest
    assert (line.minimum, line.maximum) == (36.1, 39.4)
    assert line.summary == "Rising from 36.1% in 2015/16 to 39.4% in 2022/23"


def test_falling_and_level_series_say_so():
    assert (
        sparkline([("2021", 10.0), ("2022", 8.0)], decimals=0).summary
        == "Falling from 10 in 2021 to 8 in 2022"
    )
    level = sparkline([("2021", 5.01), ("2022", 4.99), ("2023", 5.0)], decimals=1)
    assert level.summary == "Level at 5.0 from 2021 to 2023"


def test_flat_series_is_drawn_across_the_middle():
    line = sparkline([("2021", 5.0), ("2022", 5.0)])
    assert line.path == "M4.0 20.0 L196.0 20.0"


def test_a_missing_value_breaks_the_line_and_is_named():
    line = sparkline(
        [("2019", 1.0), ("2020", None), ("2021", 2.0), ("2022", 3.0)], decimals=0
    )
    assert [p.y for p in line.points] == ["36.0", None, "20.0", "4.0"]
    assert line.path == "M4.0 36.0 M132.0 20.0 L196.0 4.0"
    # The first value stands alone, so it gets a dot; so does the latest.
    assert [d.label for d in line.dots] == ["2019", "2022"]
    assert line.summary == "Rising from 1 in 2019 to 3 in 2022; no value for 2020"


def test_a_single_point_sits_in_the_middle():
    line = sparkline([("2023", 42.0)], unit="%")
    assert [(p.x, p.y) for p in line.points] == [("100.0", "20.0")]
    assert line.path == "M100.0 20.0"
    assert [d.label for d in line.dots] == ["2023"]
    assert line.summary == "One value: 42.0% in 2023"


def test_no_values_draws_nothing():
    for series in ([], [("2022", None), ("2023", None)]):
        line = sparkline(series)
        assert line.path == ""
        assert line.dots == ()
        assert line.minimum is None and line.maximum is None
    assert sparkline([]).summary == "No values to show"
    assert sparkline([("2022", None)]).summary == "No values to show"


values = st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))


@given(st.lists(values, max_size=30))
def test_every_point_is_inside_the_box(series):
    line = sparkline([(str(2000 + i), v) for i, v in enumerate(series)])
    for point in line.points:
        assert 0 <= float(point.x) <= line.width
        if point.value is None:
            assert point.y is None
        else:
            assert 4 <= float(point.y) <= line.height - 4
    present = [p for p in line.points if p.y is not None]
    assert line.path.count("M") + line.path.count("L") == len(present)
    if present:
        assert line.dots[-1] == present[-1]
