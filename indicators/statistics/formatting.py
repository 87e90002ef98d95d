"""Number formatting for the plain-English explanations in this package."""

from __future__ import annotations

import math


def format_value(x: float, decimals: int | None = None) -> str:
    """Format a number for an explanation sentence.

    With ``decimals`` given, use exactly that many decimal places. Otherwise
    values of 10 or more get one decimal place (with thousands separators) and
    smaller values three significant figures, e.g. 79.4, 12,345.6, 7.25, 0.0123.
    """
    if decimals is not None:
        return f"{x:,.{decimals}f}"
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    if abs(x) >= 10:
        return f"{x:,.1f}"
    places = min(10, max(1, 2 - math.floor(math.log10(abs(x)))))
    return f"{x:.{places}f}"


def possessive(name: str) -> str:
    """Return ``name's``."""
    return f"{name}'s"


def sentence(text: str) -> str:
    """Capitalise the first character only (keeps place names intact)."""
    return text[:1].upper() + text[1:]
