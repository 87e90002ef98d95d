"""The compare-areas funnel plot: geometry and words, no database.

Rules (as the Fingertips funnel-plot tool and PHEindicatormethods' funnels):

* each area is a point: its count's denominator (population, or expected
  events for a ratio) across, its value up;
* the benchmark (England's value, else the areas' pooled average) is a
  dashed horizontal line, labelled; around it, the 95% control limits are
  solid lines and the 99.8% limits dotted lines;
* proportions get Wilson limits
  (:func:`indicators.statistics.funnels.proportion_control_limit`), crude
  rates and ratios Poisson limits (:func:`~indicators.statistics.funnels
  .poisson_funnel`), tabulated along :func:`~indicators.statistics.funnels
  .funnel_axis`; whether a point lies outside them is decided by
  :func:`~indicators.statistics.funnels.proportion_point_significance` and
  :func:`~indicators.statistics.funnels.ratio_point_significance`;
* the place's point is a larger outlined diamond labelled "(this area)", so it
  is told apart without colour; every point outside the limits is named in
  words (:func:`funnel_sentences`) and the table gives every area's position.

The limit lines leave the plot where the funnel widens past the values shown;
the template clips them to the plot area.
"""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from indicators.charts.line import marker_path
from indicators.charts.scales import (
    LinearScale,
    coordinate,
    format_tick,
    nice_ticks,
    padded,
    step_decimals,
)
from indicators.statistics.confidence import Z95, Z998
from indicators.statistics.funnels import (
    TAIL95,
    TAIL998,
    FunnelSignificance,
    funnel_axis,
    poisson_funnel,
    proportion_control_limit,
    proportion_point_significance,
    ratio_point_significance,
)

WIDTH = 640
HEIGHT = 400
MARGIN_LEFT = 72
MARGIN_RIGHT = 24
MARGIN_TOP = 36
MARGIN_BOTTOM = 60
MARKER_SIZE = 5.0
PLACE_MARKER_SIZE = 7.0
PLACE_SUFFIX = " (this area)"
#: Share of the x axis added beyond the largest denominator.
X_PAD_SHARE = 0.05

F = FunnelSignificance
#: Where a point lies, in words, for the sentences and the table.
POSITION_WORDS: dict[FunnelSignificance, str] = {
    F.HIGH_998: "above the upper 99.8% limit",
    F.HIGH_95: "above the upper 95% limit (inside the 99.8% limits)",
    F.LOW_998: "below the lower 99.8% limit",
    F.LOW_95: "below the lower 95% limit (inside the 99.8% limits)",
    F.NOT_SIGNIFICANT: "inside the 95% limits",
}
#: Most striking first, for the sentences.
OUTSIDE_ORDER = (F.HIGH_998, F.LOW_998, F.HIGH_95, F.LOW_95)


class FunnelMethod(enum.StrEnum):
    """How the limits are drawn: Wilson for proportions, Poisson otherwise."""

    PROPORTION = "proportion"
    POISSON = "poisson"  # crude rates (events per population) and ratios (O/E)


@dataclass(frozen=True)
class FunnelData:
    """One area's input: its value, its count and denominator."""

    name: str
    value: float
    count: float
    denominator: float
    is_place: bool = False


@dataclass(frozen=True)
class FunnelTick:
    position: str
    label: str


@dataclass(frozen=True)
class FunnelPoint:
    name: str
    label: str
    value: float
    count: float
    denominator: float
    is_place: bool
    significance: FunnelSignificance
    position_words: str
    x: str
    y: str
    marker: str
    label_x: str
    label_y: str
    label_anchor: str


@dataclass(frozen=True)
class FunnelChart:
    width: int
    height: int
    plot_left: str
    plot_right: str
    plot_top: str
    plot_bottom: str
    plot_width: str
    plot_height: str
    x_ticks: tuple[FunnelTick, ...]
    y_ticks: tuple[FunnelTick, ...]
    x_tick_end: str
    x_tick_label_y: str
    y_tick_label_x: str
    x_label: str
    x_label_x: str
    x_label_y: str
    y_label: str
    points: tuple[FunnelPoint, ...]
    upper95: str
    lower95: str
    upper998: str
    lower998: str
    benchmark: float
    benchmark_y: str
    benchmark_label: str
    benchmark_label_y: str

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def outside(self) -> tuple[FunnelPoint, ...]:
        return tuple(p for p in self.points if p.significance in OUTSIDE_ORDER)


# --- Limits and significance (compositions of indicators.statistics.funnels) -------


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def limit_lines(
    method: FunnelMethod,
    *,
    average: float,
    multiplier: float,
    axis_maximum: float,
) -> dict[str, list[tuple[float, float]]]:
    """The four control limits as (denominator, value) points, up to ``axis_maximum``.

    ``average`` is the benchmark per unit (a proportion 0-1, events per head,
    or observed / expected); values are times ``multiplier``. Proportions are
    tabulated at the reference's 100 denominators (:func:`funnel_axis`); Poisson
    limits at its 100 event counts, each limit met at the denominator
    poisson_funnel / average (as ``calculate_funnel_limits``), so each line has
    its own denominators.
    """
    lines: dict[str, list[tuple[float, float]]] = {
        "lower95": [],
        "upper95": [],
        "lower998": [],
        "upper998": [],
    }
    if method is FunnelMethod.PROPORTION:
        for n in funnel_axis(0.0, axis_maximum, ratio=False):
            if n > axis_maximum * (1 + X_PAD_SHARE):
                break
            for name, z, side in (
                ("lower95", Z95, "low"),
                ("upper95", Z95, "high"),
                ("lower998", Z998, "low"),
                ("upper998", Z998, "high"),
            ):
                limit = proportion_control_limit(
                    n, average, z=z, side=side, multiplier=multiplier
                )
                if math.isfinite(limit):
                    limit = min(max(limit, 0.0), float(multiplier))
                    lines[name].append((n, limit))
        return lines
    for name, line in _poisson_lines(average, axis_maximum).items():
        lines[name] = [(d, rate * multiplier) for d, rate in line]
    return lines


@functools.lru_cache(maxsize=128)
def _poisson_lines(
    average: float, axis_maximum: float
) -> dict[str, tuple[tuple[float, float], ...]]:
    """Poisson limits (denominator, rate per unit), kept: some thousands of
    bisection steps, the same for every view of a measure's period."""
    lines: dict[str, list[tuple[float, float]]] = {
        "lower95": [],
        "upper95": [],
        "lower998": [],
        "upper998": [],
    }
    events_maximum = math.ceil(axis_maximum * average)
    for events in funnel_axis(0.0, max(events_maximum, 1.0), ratio=False):
        for name, p, side in (
            ("lower95", TAIL95, "high"),
            ("upper95", TAIL95, "low"),
            ("lower998", TAIL998, "high"),
            ("upper998", TAIL998, "low"),
        ):
            mean = poisson_funnel(events, p, side)
            denominator = mean / average
            if denominator <= axis_maximum * (1 + X_PAD_SHARE) and mean > 0:
                lines[name].append((denominator, events / denominator))
    return {name: tuple(line) for name, line in lines.items()}


def point_significance(
    method: FunnelMethod, data: FunnelData, *, average: float
) -> FunnelSignificance:
    """Where an area lies against the funnel around ``average`` (per unit)."""
    if method is FunnelMethod.PROPORTION:
        return proportion_point_significance(
            data.count, data.denominator, average=average
        )
    return ratio_point_significance(data.count, data.denominator, average=average)


# --- Geometry ----------------------------------------------------------------------


def _path(points: Sequence[tuple[float, float]], x, y) -> str:
    if len(points) < 2:
        return ""
    return "M" + "L".join(
        f"{coordinate(x(a))} {coordinate(y(b))}" for a, b in sorted(points)
    )


def _limit_at(line: Sequence[tuple[float, float]], denominator: float) -> float | None:
    """The limit at the tabulated denominator nearest ``denominator``."""
    if not line:
        return None
    return min(line, key=lambda row: abs(row[0] - denominator))[1]


def funnel_chart(
    data: Sequence[FunnelData],
    *,
    method: FunnelMethod,
    average: float,
    multiplier: float,
    format_value: Callable[[float], str],
    benchmark_name: str = "England",
    x_label: str = "Denominator",
    y_label: str = "",
) -> FunnelChart | None:
    """The geometry of the funnel plot of ``data`` (None with nothing to draw).

    ``average`` is the benchmark per unit (England's value / multiplier);
    the benchmark line is drawn at ``average * multiplier``.
    """
    usable = [
        d
        for d in data
        if _finite(d.value)
        and _finite(d.count)
        and d.count >= 0
        and _finite(d.denominator)
        and d.denominator > 0
    ]
    if not usable or not (_finite(average) and average > 0):
        return None
    if method is FunnelMethod.PROPORTION and not average < 1:
        return None
    benchmark = average * multiplier
    x_ticks_values = nice_ticks(
        0.0, max(d.denominator for d in usable) * (1 + X_PAD_SHARE), max_ticks=5
    )
    x_max = x_ticks_values[-1]
    lines = limit_lines(
        method, average=average, multiplier=multiplier, axis_maximum=x_max
    )
    numbers = [d.value for d in usable] + [benchmark]
    smallest = min(d.denominator for d in usable)
    for name in ("lower998", "upper998"):
        limit = _limit_at(lines[name], smallest)
        if limit is not None:
            numbers.append(limit)
    y_ticks_values = nice_ticks(*padded(min(numbers), max(numbers)), max_ticks=5)
    x_decimals = step_decimals(x_ticks_values[1] - x_ticks_values[0])
    y_decimals = step_decimals(y_ticks_values[1] - y_ticks_values[0])
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM
    x = LinearScale((x_ticks_values[0], x_max), (left, right))
    y = LinearScale((y_ticks_values[0], y_ticks_values[-1]), (bottom, top))
    average_per_unit = average
    points = []
    for d in sorted(usable, key=lambda d: (d.is_place, d.denominator, d.name)):
        px, py = x(d.denominator), y(d.value)
        significance = point_significance(method, d, average=average_per_unit)
        size = PLACE_MARKER_SIZE if d.is_place else MARKER_SIZE
        anchor = "end" if px > (left + right) / 2 else "start"
        points.append(
            FunnelPoint(
                name=d.name,
                label=d.name + (PLACE_SUFFIX if d.is_place else ""),
                value=d.value,
                count=d.count,
                denominator=d.denominator,
                is_place=d.is_place,
                significance=significance,
                position_words=POSITION_WORDS[significance],
                x=coordinate(px),
                y=coordinate(py),
                marker=marker_path("diamond" if d.is_place else "circle", px, py, size),
                label_x=coordinate(px - 12 if anchor == "end" else px + 12),
                label_y=coordinate(py - 10),
                label_anchor=anchor,
            )
        )
    by = y(benchmark)
    return FunnelChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=coordinate(left),
        plot_right=coordinate(right),
        plot_top=coordinate(top),
        plot_bottom=coordinate(bottom),
        plot_width=coordinate(right - left),
        plot_height=coordinate(bottom - top),
        x_ticks=tuple(
            FunnelTick(coordinate(x(t)), format_tick(t, x_decimals))
            for t in x_ticks_values
        ),
        y_ticks=tuple(
            FunnelTick(coordinate(y(t)), format_tick(t, y_decimals))
            for t in y_ticks_values
        ),
        x_tick_end=coordinate(bottom + 6),
        x_tick_label_y=coordinate(bottom + 22),
        y_tick_label_x=coordinate(left - 8),
        x_label=x_label,
        x_label_x=coordinate((left + right) / 2),
        x_label_y=coordinate(HEIGHT - 12),
        y_label=y_label,
        points=tuple(points),
        upper95=_path(lines["upper95"], x, y),
        lower95=_path(lines["lower95"], x, y),
        upper998=_path(lines["upper998"], x, y),
        lower998=_path(lines["lower998"], x, y),
        benchmark=benchmark,
        benchmark_y=coordinate(by),
        benchmark_label=f"{benchmark_name} {format_value(benchmark)}",
        benchmark_label_y=coordinate(by - 6),
    )


# --- Words -------------------------------------------------------------------------


def funnel_sentences(chart: FunnelChart) -> list[str]:
    """One sentence per area outside the 95% limits, most striking first:
    "Testtown lies below the lower 99.8% limit." (or that all lie inside)."""
    order = {s: i for i, s in enumerate(OUTSIDE_ORDER)}
    outside = sorted(chart.outside, key=lambda p: (order[p.significance], p.name))
    if not outside:
        total = len(chart.points)
        if total == 1:
            return ["The one area lies inside the 95% limits."]
        return [f"All {total} areas lie inside the 95% limits."]
    return [f"{p.name} lies {p.position_words}." for p in outside]


def funnel_summary(place: str, chart: FunnelChart, *, period: str) -> str:
    """The chart in words: how many areas, the place's position, how many outside."""
    total = len(chart.points)
    parts = [f"In {period}, {total} areas are plotted around {chart.benchmark_label}."]
    own = next((p for p in chart.points if p.is_place), None)
    if own is not None:
        parts.append(f"{place} lies {own.position_words}.")
    counts = [
        sum(1 for p in chart.points if p.significance in group)
        for group in ((F.HIGH_95, F.HIGH_998), (F.LOW_95, F.LOW_998))
    ]
    above, below = counts
    parts.append(
        f"{above} {'area lies' if above == 1 else 'areas lie'} above the upper 95% "
        f"limit and {below} below the lower 95% limit."
    )
    return " ".join(parts)
