"""The indicator chart's geometry (indicators.charts): pure, no database."""

import re

import pytest

from indicators.charts import (
    DODGE,
    INSET,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    LinearScale,
    SeriesData,
    chart_summary,
    coordinate,
    label_every,
    line_chart,
    marker_path,
    nice_step,
    nice_ticks,
    padded,
    series_summary,
)


def fmt(value: float) -> str:
    return f"{value:.1f}%"


def numbers(path: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]


# --- scales and ticks --------------------------------------------------------


def test_linear_scale_maps_domain_onto_range_including_inverted_ranges():
    y = LinearScale((0, 100), (300, 100))
    assert y(0) == 300
    assert y(100) == 100
    assert y(25) == 250


def test_flat_domain_maps_to_the_middle_of_the_range():
    assert LinearScale((5, 5), (0, 200))(5) == 100


@pytest.mark.parametrize(
    ("span", "max_ticks", "step"),
    [(10, 5, 2), (10, 10, 1), (7, 6, 2), (100, 4, 50), (0.03, 6, 0.005), (1, 1, 1)],
)
def test_nice_step_is_one_two_or_five_times_a_power_of_ten(span, max_ticks, step):
    assert nice_step(span, max_ticks) == pytest.approx(step)


def test_nice_step_refuses_an_empty_span():
    with pytest.raises(ValueError):
        nice_step(0)


def test_nice_ticks_cover_the_range_with_even_nice_steps():
    ticks = nice_ticks(78.1, 83.8)
    assert ticks == [78, 79, 80, 81, 82, 83, 84]
    assert ticks[0] <= 78.1 and ticks[-1] >= 83.8


def test_nice_ticks_of_small_numbers_have_no_float_noise():
    assert nice_ticks(0.0012, 0.0031) == [0.001, 0.0015, 0.002, 0.0025, 0.003, 0.0035]


def test_nice_ticks_span_negative_and_positive_values():
    ticks = nice_ticks(-5, 5)
    assert 0 in ticks and ticks[0] <= -5 and ticks[-1] >= 5


def test_nice_ticks_widen_a_single_value_around_it():
    assert nice_ticks(40, 40) == [36, 38, 40, 42, 44]
    assert nice_ticks(0, 0)[0] == 0 and nice_ticks(0, 0)[-1] == 1


def test_padding_never_goes_below_zero_for_values_that_do_not():
    assert padded(0, 10) == (0.0, 10.5)
    assert padded(-10, 10) == (-11, 11)
    assert padded(50, 60) == (49.5, 60.5)


def test_labels_are_thinned_when_they_would_overlap_and_the_last_is_kept():
    assert label_every(5, 4, 500) == 1
    every = label_every(30, 7, 500)
    assert every > 1
    chart = line_chart(
        [f"{2000 + i}/{(i + 1) % 100:02d}" for i in range(30)],
        [SeriesData("A", [float(i) for i in range(30)])],
    )
    labelled = [t for t in chart.x_ticks if t.label]
    assert len(chart.x_ticks) == 30
    assert len(labelled) < 30
    assert chart.x_ticks[-1].label == "2029/30"


def test_coordinates_are_rounded_to_a_tenth_without_trailing_zero():
    assert coordinate(12.0) == "12"
    assert coordinate(12.345) == "12.3"
    assert coordinate(-0.01) == "0"


# --- the chart -----------------------------------------------------------------


def two_series():
    return [
        SeriesData("Place", [40.0, 42.0, 45.0], [38.0, 40.0, 43.0], [42.0, 44.0, 47.0]),
        SeriesData("England", [30.0, 31.0, 32.0]),
    ]


def test_values_are_placed_by_the_y_scale_and_categories_evenly_on_x():
    chart = line_chart(["2015", "2016", "2017"], two_series())
    low, high = chart.y_domain
    assert low <= 30 and high >= 47
    y_scale = LinearScale(chart.y_domain, (360 - MARGIN_BOTTOM, MARGIN_TOP))
    place = chart.series[0]
    assert [float(p.y) for p in place.points] == [
        pytest.approx(y_scale(v), abs=0.05) for v in (40, 42, 45)
    ]
    x_ticks = [float(t.position) for t in chart.x_ticks]
    assert x_ticks[0] == MARGIN_LEFT + INSET
    assert x_ticks[-1] == 640 - MARGIN_RIGHT - INSET
    assert x_ticks[1] - x_ticks[0] == pytest.approx(x_ticks[2] - x_ticks[1])
    # series are shifted apart so their whiskers do not overlap
    england = chart.series[1]
    assert float(england.points[0].x) - float(place.points[0].x) == DODGE


def test_y_ticks_are_labelled_and_run_bottom_to_top():
    chart = line_chart(["2015", "2016", "2017"], two_series())
    positions = [float(t.position) for t in chart.y_ticks]
    assert positions == sorted(positions, reverse=True)
    assert positions[0] == 360 - MARGIN_BOTTOM
    assert positions[-1] == MARGIN_TOP
    assert all(t.label for t in chart.y_ticks)


def test_whiskers_run_from_lower_to_upper_limit_with_caps():
    chart = line_chart(["2015", "2016", "2017"], two_series())
    y = LinearScale(chart.y_domain, (360 - MARGIN_BOTTOM, MARGIN_TOP))
    place, england = chart.series
    assert len(place.whiskers) == 3
    assert england.whiskers == ()
    whisker = place.whiskers[0]
    assert (whisker.lower, whisker.upper) == (38.0, 42.0)
    x, y_low, y_high = numbers(whisker.path)[:3]
    assert x == float(place.points[0].x)
    assert y_low == pytest.approx(y(38), abs=0.05)
    assert y_high == pytest.approx(y(42), abs=0.05)
    assert whisker.path.count("M") == 3  # the bar and two caps


def test_a_whisker_needs_both_limits():
    data = SeriesData("P", [40.0, 41.0], [38.0, None], [42.0, 43.0])
    chart = line_chart(["a", "b"], [data])
    assert [w.category for w in chart.series[0].whiskers] == ["a"]


def test_a_missing_value_breaks_the_line_but_keeps_the_other_markers():
    data = SeriesData("P", [40.0, 41.0, None, 43.0, 44.0])
    chart = line_chart(["1", "2", "3", "4", "5"], [data])
    series = chart.series[0]
    assert series.path.count("M") == 2
    assert [p.category for p in series.points] == ["1", "2", "4", "5"]


def test_a_value_alone_between_gaps_is_a_marker_without_a_line():
    data = SeriesData("P", [40.0, None, 42.0, None])
    series = line_chart(["1", "2", "3", "4"], [data]).series[0]
    assert series.path == ""
    assert len(series.points) == 2


def test_a_single_period_sits_in_the_middle_with_a_sensible_range():
    data = SeriesData("P", [40.0], [38.0], [42.0])
    chart = line_chart(["2020"], [data])
    (tick,) = chart.x_ticks
    assert tick.label == "2020"
    assert float(tick.position) == (MARGIN_LEFT + 640 - MARGIN_RIGHT) / 2
    assert chart.series[0].path == ""
    assert len(chart.series[0].points) == 1
    assert len(chart.series[0].whiskers) == 1
    assert chart.y_domain[0] <= 38 and chart.y_domain[1] >= 42


def test_a_single_value_without_limits_still_gets_a_range():
    chart = line_chart(["2020"], [SeriesData("P", [7.0])])
    low, high = chart.y_domain
    assert low < 7 < high


def test_nothing_to_draw_gives_no_chart():
    assert line_chart([], [SeriesData("P", [])]) is None
    assert line_chart(["2020"], [SeriesData("P", [None])]) is None


def test_each_series_has_its_own_dash_and_marker_not_colour_alone():
    data = [SeriesData(name, [1.0, 2.0]) for name in ("A", "B", "C", "D")]
    series = line_chart(["x", "y"], data).series
    assert len({s.dash for s in series}) == 4
    assert len({s.shape for s in series}) == 4
    assert series[0].style_words == "solid line, circles"
    assert series[1].style_words == "dashed line, squares"


@pytest.mark.parametrize("shape", ["circle", "square", "triangle", "diamond"])
def test_markers_are_closed_paths_around_their_centre(shape):
    path = marker_path(shape, 100, 50)
    assert path.startswith("M") and path.endswith("Z")
    start_x, start_y = numbers(path)[:2]
    assert 90 <= start_x <= 100 and 40 <= start_y <= 60


# --- the text summary -------------------------------------------------------


def test_summary_says_how_each_series_moved_from_first_to_last_value():
    text = chart_summary(["2015", "2016", "2017"], two_series(), fmt)
    assert text == (
        "Place's value rose from 40.0% in 2015 to 45.0% in 2017; "
        "England's value rose from 30.0% in 2015 to 32.0% in 2017."
    )


def test_summary_of_a_fall_a_level_series_a_single_value_and_no_value():
    cats = ["2015", "2016"]
    assert series_summary(SeriesData("A", [5.0, 4.0]), cats, fmt) == (
        "A's value fell from 5.0% in 2015 to 4.0% in 2016"
    )
    assert series_summary(SeriesData("A", [5.0, 5.04]), cats, fmt) == (
        "A's value was 5.0% in both 2015 and 2016"
    )
    assert series_summary(SeriesData("A", [None, 5.0]), cats, fmt) == (
        "A's value was 5.0% in 2016"
    )
    assert series_summary(SeriesData("A", [None, None]), cats, fmt) == (
        "A has no values"
    )
    assert series_summary(SeriesData("Wales", [1.0]), ["2015"], fmt).startswith(
        "Wales' value"
    )
