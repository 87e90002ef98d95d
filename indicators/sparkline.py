"""Sparklines for the KPI dashboard: pure functions.

A sparkline is a measure's series (oldest first) drawn as a small line in a fixed
box. Periods are spaced evenly by position (a missing value keeps its place and
breaks the line); the lowest value sits at the bottom of the box and the highest
at the top, a level series in the middle. Each run of consecutive values is one
stroke of the path; a value alone between gaps, and the latest value, get a dot.

Numbers and units in the summary come from :mod:`indicators.formatting`, the
one rule for every page, download and API display field.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.formatting import format_number, format_value

WIDTH = 200
HEIGHT = 40
PAD = 4


def coordinate(value: float) -> str:
    """A non-negative coordinate to one decimal place, halves up: "12.5"."""
    tenths = math.floor(value * 10 + 0.5)
    return f"{tenths // 10}.{tenths % 10}"


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None
    x: str
    y: str | None  # None: no value for this period


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    points: tuple[Point, ...]
    path: str
    dots: tuple[Point, ...]
    minimum: float | None
    maximum: float | None
    summary: str

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _summary(
    points: Sequence[tuple[str, float | None]], decimals: int, unit: str
) -> str:
    present = [(label, value) for label, value in points if value is not None]
    if not present:
        return "No values to show"
    (first_label, first), (last_label, last) = present[0], present[-1]
    if len(present) == 1:
        text = f"One value: {format_value(last, decimals, unit)} in {last_label}"
    else:
        start = float(format_number(first, decimals).replace(",", ""))
        end = float(format_number(last, decimals).replace(",", ""))
        if start == end:
            text = (
                f"Level at {format_value(last, decimals, unit)} "
                f"from {first_label} to {last_label}"
            )
        else:
            text = (
                f"{'Rising' if end > start else 'Falling'} from "
                f"{format_value(first, decimals, unit)} in {first_label} to "
                f"{format_value(last, decimals, unit)} in {last_label}"
            )
    missing = [label for label, value in points if value is None]
    if missing:
        text += f"; no value for {', '.join(missing)}"
    return text


def sparkline(
    series: Sequence[tuple[str, float | None]],
    *,
    decimals: int = 1,
    unit: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
    pad: int = PAD,
) -> Sparkline:
    """The sparkline of ``series``: (period label, value or None), oldest first."""
    count = len(series)
    values = [value for _label, value in series if value is not None]
    low = min(values, default=None)
    high = max(values, default=None)
    points = []
    for index, (label, value) in enumerate(series):
        x = width / 2 if count == 1 else pad + index * (width - 2 * pad) / (count - 1)
        y = None
        if value is not None:
            if high == low:
                y = coordinate(height / 2)
            else:
                y = coordinate(pad + (high - value) * (height - 2 * pad) / (high - low))
        points.append(Point(label, value, coordinate(x), y))

    drawn = [index for index, point in enumerate(points) if point.y is not None]
    strokes = []
    dots = []
    for index in drawn:
        point = points[index]
        before = points[index - 1].y if index > 0 else None
        after = points[index + 1].y if index + 1 < count else None
        strokes.append(f"{'M' if before is None else 'L'}{point.x} {point.y}")
        if (before is None and after is None) or index == drawn[-1]:
            dots.append(point)
    return Sparkline(
        width=width,
        height=height,
        points=tuple(points),
        path=" ".join(strokes),
        dots=tuple(dots),
        minimum=low,
        maximum=high,
        summary=_summary(series, decimals, unit),
    )
