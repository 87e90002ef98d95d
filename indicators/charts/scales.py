"""Scales and ticks for the indicator chart: pure arithmetic, no database."""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Share of the values' span added above and below them on the y axis.
PAD_SHARE = 0.05
#: About how wide a character of the 14px tick labels is.
CHAR_WIDTH = 7.5
LABEL_GAP = 12


def coordinate(value: float) -> str:
    """A coordinate to 0.1 px, without a trailing ".0": "12.5", "40"."""
    text = f"{round(value, 1):.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class LinearScale:
    """Maps ``domain`` (low, high) onto ``range`` (start, end); a flat domain
    maps everything to the middle of the range."""

    domain: tuple[float, float]
    range: tuple[float, float]

    def __call__(self, value: float) -> float:
        d0, d1 = self.domain
        r0, r1 = self.range
        if d1 == d0:
            return (r0 + r1) / 2
        return r0 + (value - d0) * (r1 - r0) / (d1 - d0)


def nice_step(span: float, max_ticks: int = 6) -> float:
    """The smallest 1, 2 or 5 x 10^k step giving at most ``max_ticks`` intervals."""
    if span <= 0 or not math.isfinite(span):
        raise ValueError("The span must be a positive finite number")
    rough = span / max(1, max_ticks)
    power = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        step = multiple * power
        if step >= rough * (1 - 1e-9):
            return step
    return 10 * power  # pragma: no cover - the loop always returns


def step_decimals(step: float) -> int:
    """How many decimal places show every tick of ``step`` exactly."""
    if step >= 1:
        return 0
    return max(0, -math.floor(math.log10(step) + 1e-9))


def nice_ticks(low: float, high: float, max_ticks: int = 6) -> list[float]:
    """Evenly spaced "nice" ticks from at or below ``low`` to at or above ``high``.

    Equal ends are widened first: by 10% of the value either side, or to
    0..1 for zero.
    """
    if low > high:
        low, high = high, low
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = (0.0, 1.0) if low == 0 else (low - pad, high + pad)
    step = nice_step(high - low, max_ticks)
    decimals = step_decimals(step)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(i * step, decimals) for i in range(first, last + 1)]


def padded(low: float, high: float, share: float = PAD_SHARE) -> tuple[float, float]:
    """``low`` and ``high`` moved apart by ``share`` of the span, so that no
    marker sits on an axis; never below zero when ``low`` is not."""
    pad = (high - low) * share
    bottom = low - pad
    if low >= 0 > bottom:
        bottom = 0.0
    return bottom, high + pad


def format_tick(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and float(value) == 0 else text


def label_every(count: int, longest: int, room: float) -> int:
    """Label every n-th of ``count`` categories so that labels of ``longest``
    characters fit in ``room`` pixels (the last category is always labelled)."""
    if count <= 1:
        return 1
    fits = max(1, int((room + LABEL_GAP) // (longest * CHAR_WIDTH + LABEL_GAP)))
    return max(1, math.ceil(count / fits))
