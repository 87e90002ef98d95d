"""The indicator chart's geometry: where lines, markers and whiskers go.

See :mod:`indicators.charts` for the rules.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from indicators.charts.scales import (
    LinearScale,
    coordinate,
    format_tick,
    label_every,
    nice_ticks,
    padded,
    step_decimals,
)

WIDTH = 640
HEIGHT = 360
MARGIN_LEFT = 72
MARGIN_RIGHT = 16
MARGIN_TOP = 36
MARGIN_BOTTOM = 56
#: Space between the y axis and the first (or last) category.
INSET = 24
MARKER_SIZE = 5.0
CAP_HALF_WIDTH = 5.0
#: Each series is shifted this far from its neighbour so whiskers do not overlap.
DODGE = 4.0

#: (colour, dash pattern, marker shape) for the first, second... series.
STYLES: tuple[tuple[str, str, str], ...] = (
    ("#1d70b8", "", "circle"),
    ("#0b0c0c", "8 4", "square"),
    ("#4c2c92", "2 4", "triangle"),
    ("#505a5f", "12 4 3 4", "diamond"),
)
DASH_WORDS = {
    "": "solid line",
    "8 4": "dashed line",
    "2 4": "dotted line",
    "12 4 3 4": "dash-dot line",
}
SHAPE_WORDS = {
    "circle": "circles",
    "square": "squares",
    "triangle": "triangles",
    "diamond": "diamonds",
}


def marker_path(shape: str, x: float, y: float, size: float = MARKER_SIZE) -> str:
    """An SVG path for a marker of ``shape`` centred on (x, y)."""
    c = coordinate
    if shape == "square":
        s = size * 0.9
        return f"M{c(x - s)} {c(y - s)}H{c(x + s)}V{c(y + s)}H{c(x - s)}Z"
    if shape == "triangle":
        s = size * 1.2
        return f"M{c(x)} {c(y - s)}L{c(x + s)} {c(y + s * 0.8)}H{c(x - s)}Z"
    if shape == "diamond":
        s = size * 1.25
        return (
            f"M{c(x)} {c(y - s)}L{c(x + s)} {c(y)}L{c(x)} {c(y + s)}L{c(x - s)} {c(y)}Z"
        )
    # circle: two arcs
    return (
        f"M{c(x - size)} {c(y)}A{c(size)} {c(size)} 0 1 0 {c(x + size)} {c(y)}"
        f"A{c(size)} {c(size)} 0 1 0 {c(x - size)} {c(y)}Z"
    )


@dataclass(frozen=True)
class SeriesData:
    """One line's input: a value (or None) per category, and optional limits."""

    name: str
    values: Sequence[float | None]
    lower: Sequence[float | None] = ()
    upper: Sequence[float | None] = ()


@dataclass(frozen=True)
class Tick:
    position: str
    label: str  # "" for an unlabelled tick


@dataclass(frozen=True)
class Point:
    category: str
    value: float
    x: str
    y: str
    marker: str


@dataclass(frozen=True)
class Whisker:
    category: str
    lower: float
    upper: float
    path: str


@dataclass(frozen=True)
class PlottedSeries:
    name: str
    colour: str
    dash: str
    shape: str
    path: str  # "" when no two neighbouring values exist
    points: tuple[Point, ...]
    whiskers: tuple[Whisker, ...]
    legend_marker: str
    legend_line: str = "M2 10H38"

    @property
    def style_words(self) -> str:
        """The line and marker in words, for the legend: "dashed line, squares"."""
        return f"{DASH_WORDS[self.dash]}, {SHAPE_WORDS[self.shape]}"


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot_left: str
    plot_right: str
    plot_top: str
    plot_bottom: str
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    series: tuple[PlottedSeries, ...]
    y_label: str = ""
    x_label: str = ""
    y_domain: tuple[float, float] = (0.0, 1.0)
    x_label_x: str = field(default="0")
    x_label_y: str = field(default="0")
    y_tick_label_x: str = field(default="0")
    x_tick_end: str = field(default="0")
    x_tick_label_y: str = field(default="0")

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def value_at(sequence: Sequence[float | None], index: int) -> float | None:
    value = sequence[index] if index < len(sequence) else None
    return value if value is not None and math.isfinite(value) else None


def _x_positions(count: int, left: float, right: float) -> list[float]:
    if count == 1:
        return [(left + right) / 2]
    start, end = left + INSET, right - INSET
    return [start + i * (end - start) / (count - 1) for i in range(count)]


def _y_bounds(series: Sequence[SeriesData], count: int) -> tuple[float, float] | None:
    numbers = [
        number
        for s in series
        for i in range(count)
        for number in (
            value_at(s.values, i),
            value_at(s.lower, i),
            value_at(s.upper, i),
        )
        if number is not None
    ]
    return (min(numbers), max(numbers)) if numbers else None


def _line_path(xy: Sequence[tuple[float, float] | None]) -> str:
    parts: list[str] = []
    run: list[tuple[float, float]] = []
    for point in [*xy, None]:
        if point is not None:
            run.append(point)
            continue
        if len(run) >= 2:
            parts.append(
                "M" + "L".join(f"{coordinate(x)} {coordinate(y)}" for x, y in run)
            )
        run = []
    return "".join(parts)


def _whisker_path(x: float, y_low: float, y_high: float) -> str:
    c, h = coordinate, CAP_HALF_WIDTH
    return (
        f"M{c(x)} {c(y_low)}V{c(y_high)}"
        f"M{c(x - h)} {c(y_low)}H{c(x + h)}M{c(x - h)} {c(y_high)}H{c(x + h)}"
    )


def line_chart(
    categories: Sequence[str],
    series: Sequence[SeriesData],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    y_label: str = "",
    x_label: str = "",
    max_y_ticks: int = 6,
) -> LineChart | None:
    """The geometry of a line chart of ``series`` over ``categories``.

    None when there is nothing to draw (no categories or no value at all).
    """
    count = len(categories)
    bounds = _y_bounds(series, count) if count else None
    if bounds is None:
        return None
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM
    ticks = nice_ticks(*padded(*bounds), max_ticks=max_y_ticks)
    decimals = step_decimals(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    y = LinearScale((ticks[0], ticks[-1]), (bottom, top))
    xs = _x_positions(count, left, right)
    every = label_every(count, max(len(c) for c in categories), right - left)
    x_ticks = tuple(
        Tick(coordinate(x), label if (count - 1 - i) % every == 0 else "")
        for i, (x, label) in enumerate(zip(xs, categories, strict=True))
    )
    y_ticks = tuple(Tick(coordinate(y(t)), format_tick(t, decimals)) for t in ticks)
    plotted = []
    for index, data in enumerate(series):
        colour, dash, shape = STYLES[index % len(STYLES)]
        shift = (index - (len(series) - 1) / 2) * DODGE
        xy: list[tuple[float, float] | None] = []
        points, whiskers = [], []
        for i, category in enumerate(categories):
            value = value_at(data.values, i)
            if value is None:
                xy.append(None)
                continue
            px, py = xs[i] + shift, y(value)
            xy.append((px, py))
            marker = marker_path(shape, px, py)
            points.append(
                Point(category, value, coordinate(px), coordinate(py), marker)
            )
            low, high = value_at(data.lower, i), value_at(data.upper, i)
            if low is not None and high is not None:
                whiskers.append(
                    Whisker(category, low, high, _whisker_path(px, y(low), y(high)))
                )
        plotted.append(
            PlottedSeries(
                name=data.name,
                colour=colour,
                dash=dash,
                shape=shape,
                path=_line_path(xy),
                points=tuple(points),
                whiskers=tuple(whiskers),
                legend_marker=marker_path(shape, 20, 10),
            )
        )
    return LineChart(
        width=width,
        height=height,
        plot_left=coordinate(left),
        plot_right=coordinate(right),
        plot_top=coordinate(top),
        plot_bottom=coordinate(bottom),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        series=tuple(plotted),
        y_label=y_label,
        x_label=x_label,
        y_domain=(ticks[0], ticks[-1]),
        x_label_x=coordinate((left + right) / 2),
        x_label_y=coordinate(height - 8),
        y_tick_label_x=coordinate(left - 8),
        x_tick_end=coordinate(bottom + 6),
        x_tick_label_y=coordinate(bottom + 22),
    )
