"""Geometry of the indicator page's line chart: pure functions, no database.

The template draws the SVG from what :func:`line_chart` returns, so everything
that can be wrong with a chart (scales, ticks, where a line breaks, where a
whisker goes) is decided and tested here.

The package: :mod:`~indicators.charts.scales` (scales and "nice" ticks),
:mod:`~indicators.charts.line` (the chart) and :mod:`~indicators.charts.summary`
(the chart in words).

Rules:

* The x axis is by **category** (period labels, oldest first), evenly spaced;
  a single category sits in the middle of the plot.
* The y axis covers every value and confidence limit, padded by 5% of their
  span (not below zero for values that are not) and widened to "nice" tick
  steps (1, 2 or 5 times a power of ten). A single value, or all values the
  same, gets a range around it.
* A series' **line** joins values in neighbouring categories; a category with
  no value breaks the line (a run of one value is a marker alone). Every value
  gets a **marker** whose shape, like the line's dash pattern, differs between
  series, so no series is told apart by colour alone.
* A **whisker** (the 95% confidence interval) is drawn where both limits exist.
  Series are shifted a few pixels apart (:data:`DODGE`) so that whiskers at the
  same category do not hide each other.
* At most four series (:data:`STYLES`): the place and three benchmarks.
* Coordinates are strings rounded to 0.1 px, ready for SVG attributes.
"""

from indicators.charts.line import (
    CAP_HALF_WIDTH,
    DODGE,
    HEIGHT,
    INSET,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    STYLES,
    WIDTH,
    LineChart,
    PlottedSeries,
    Point,
    SeriesData,
    Tick,
    Whisker,
    line_chart,
    marker_path,
)
from indicators.charts.scales import (
    LinearScale,
    coordinate,
    format_tick,
    label_every,
    nice_step,
    nice_ticks,
    padded,
    step_decimals,
)
from indicators.charts.summary import chart_summary, possessive, series_summary

__all__ = [
    "CAP_HALF_WIDTH",
    "DODGE",
    "HEIGHT",
    "INSET",
    "MARGIN_BOTTOM",
    "MARGIN_LEFT",
    "MARGIN_RIGHT",
    "MARGIN_TOP",
    "STYLES",
    "WIDTH",
    "LineChart",
    "LinearScale",
    "PlottedSeries",
    "Point",
    "SeriesData",
    "Tick",
    "Whisker",
    "chart_summary",
    "coordinate",
    "format_tick",
    "label_every",
    "line_chart",
    "marker_path",
    "nice_step",
    "nice_ticks",
    "padded",
    "possessive",
    "series_summary",
    "step_decimals",
]
