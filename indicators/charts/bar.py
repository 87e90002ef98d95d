"""A bar chart of the place and its nearest neighbours: geometry and words, no database.

Rules (as Fingertips' "compare areas" chart):

* one horizontal bar per area, highest value first, labelled with the area's
  name on the left and its value at the bar's end;
* the bars start at zero (or at the lowest value, when values are negative);
  the axis covers every value, confidence limit and the benchmark, padded and
  widened to "nice" ticks (:mod:`indicators.charts.scales`);
* a whisker shows the 95% confidence interval where both limits exist;
* the benchmark (England) is a dashed vertical line, labelled;
* the place's bar is hatched and outlined and its label ends "(this area)", so it
  is told apart without colour.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from indicators.charts.scales import (
    LinearScale,
    coordinate,
    format_tick,
    nice_ticks,
    padded,
    step_decimals,
)

WIDTH = 640
LABEL_WIDTH = 210
MARGIN_RIGHT = 56
MARGIN_TOP = 32
MARGIN_BOTTOM = 40
ROW_HEIGHT = 30
BAR_HEIGHT = 18
CAP_HALF_HEIGHT = 5.0
PLACE_SUFFIX = " (this area)"


@dataclass(frozen=True)
class BarData:
    """One area's input: its value, limits and whether it is the place."""

    name: str
    value: float
    lower: float | None = None
    upper: float | None = None
    is_place: bool = False


@dataclass(frozen=True)
class Bar:
    name: str
    label: str
    value: float
    value_text: str
    is_place: bool
    x: str
    y: str
    width: str
    height: str
    label_y: str
    value_x: str
    whisker: str  # "" without both limits


@dataclass(frozen=True)
class BarTick:
    position: str
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: str
    plot_right: str
    plot_top: str
    plot_bottom: str
    label_x: str
    bars: tuple[Bar, ...]
    ticks: tuple[BarTick, ...]
    tick_label_y: str
    benchmark_x: str = ""
    benchmark_label: str = ""

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def bar_chart(
    bars: Sequence[BarData],
    *,
    format_value: Callable[[float], str],
    benchmark: float | None = None,
    benchmark_name: str = "England",
) -> BarChart | None:
    """The geometry of the bar chart of ``bars`` (None with nothing to draw)."""
    usable = sorted(
        (b for b in bars if _finite(b.value)), key=lambda b: (-b.value, b.name)
    )
    if not usable:
        return None
    numbers = [0.0]
    for b in usable:
        numbers += [n for n in (b.value, b.lower, b.upper) if _finite(n)]
    if _finite(benchmark):
        numbers.append(benchmark)
    ticks = nice_ticks(*padded(min(numbers), max(numbers)), max_ticks=5)
    decimals = step_decimals(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    left, right = LABEL_WIDTH, WIDTH - MARGIN_RIGHT
    top = MARGIN_TOP
    bottom = top + ROW_HEIGHT * len(usable)
    x = LinearScale((ticks[0], ticks[-1]), (left, right))
    base = x(max(ticks[0], 0.0))
    plotted = []
    for i, b in enumerate(usable):
        middle = top + ROW_HEIGHT * i + ROW_HEIGHT / 2
        start, end = sorted((base, x(b.value)))
        whisker = ""
        if _finite(b.lower) and _finite(b.upper):
            lo, hi = x(b.lower), x(b.upper)
            c, h = coordinate, CAP_HALF_HEIGHT
            whisker = (
                f"M{c(lo)} {c(middle)}H{c(hi)}"
                f"M{c(lo)} {c(middle - h)}V{c(middle + h)}"
                f"M{c(hi)} {c(middle - h)}V{c(middle + h)}"
            )
        ends = [end] + ([x(b.upper)] if _finite(b.upper) else [])
        plotted.append(
            Bar(
                name=b.name,
                label=b.name + (PLACE_SUFFIX if b.is_place else ""),
                value=b.value,
                value_text=format_value(b.value),
                is_place=b.is_place,
                x=coordinate(start),
                y=coordinate(middle - BAR_HEIGHT / 2),
                width=coordinate(max(end - start, 1.0)),
                height=coordinate(BAR_HEIGHT),
                label_y=coordinate(middle),
                value_x=coordinate(max(ends) + 6),
                whisker=whisker,
            )
        )
    return BarChart(
        width=WIDTH,
        height=int(bottom + MARGIN_BOTTOM),
        plot_left=coordinate(left),
        plot_right=coordinate(right),
        plot_top=coordinate(top),
        plot_bottom=coordinate(bottom),
        label_x=coordinate(left - 8),
        bars=tuple(plotted),
        ticks=tuple(BarTick(coordinate(x(t)), format_tick(t, decimals)) for t in ticks),
        tick_label_y=coordinate(bottom + 20),
        benchmark_x=coordinate(x(benchmark)) if _finite(benchmark) else "",
        benchmark_label=(
            f"{benchmark_name} {format_value(benchmark)}" if _finite(benchmark) else ""
        ),
    )


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st…"""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _count(n: int, words: str) -> str:
    noun = "neighbour is" if n == 1 else "neighbours are"
    return f"{n} {noun} {words}"


def bar_summary(
    place: str,
    bars: Sequence[BarData],
    comparisons: dict[str, str],
    *,
    period: str,
    benchmark_text: str = "",
) -> str:
    """The chart in words: the place's rank, and the neighbours against England.

    ``comparisons`` maps each neighbour's name to its comparison with England
    ("better", "similar", "worse", "higher", "lower" or "not_compared").
    """
    usable = sorted((b for b in bars if _finite(b.value)), key=lambda b: -b.value)
    total = len(usable)
    parts = []
    rank = next((i for i, b in enumerate(usable, 1) if b.is_place), None)
    if rank is not None:
        where = "highest" if rank == 1 else f"{ordinal(rank)} highest"
        parts.append(f"In {period}, {place} is {where} of {total} areas.")
    counts: dict[str, int] = {}
    for b in usable:
        if not b.is_place:
            result = comparisons.get(b.name, "not_compared")
            counts[result] = counts.get(result, 0) + 1
    words = [
        ("better", "significantly better"),
        ("worse", "significantly worse"),
        ("higher", "significantly higher"),
        ("lower", "significantly lower"),
        ("similar", "similar"),
        ("not_compared", "not compared (no confidence interval)"),
    ]
    clauses = [_count(counts[key], text) for key, text in words if counts.get(key)]
    if clauses:
        against = f"England ({benchmark_text})" if benchmark_text else "England"
        parts.append(f"Compared with {against}: " + "; ".join(clauses) + ".")
    return " ".join(parts)
