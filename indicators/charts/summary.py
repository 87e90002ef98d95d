"""The indicator chart in words, for its text alternative (pure functions)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from indicators.charts.line import SeriesData, value_at


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def series_summary(
    data: SeriesData,
    categories: Sequence[str],
    format_value: Callable[[float], str],
) -> str:
    """One clause: "The place's value rose from 40.0% in 2015 to 45.0% in 2020"."""
    present = [
        (category, value)
        for i, category in enumerate(categories)
        if (value := value_at(data.values, i)) is not None
    ]
    if not present:
        return f"{data.name} has no values"
    (first_at, first), (last_at, last) = present[0], present[-1]
    if len(present) == 1:
        return f"{possessive(data.name)} value was {format_value(first)} in {first_at}"
    first_text, last_text = format_value(first), format_value(last)
    if first_text == last_text:
        return (
            f"{possessive(data.name)} value was {first_text} in both {first_at} "
            f"and {last_at}"
        )
    verb = "rose" if last > first else "fell"
    return (
        f"{possessive(data.name)} value {verb} from {first_text} in {first_at} "
        f"to {last_text} in {last_at}"
    )


def chart_summary(
    categories: Sequence[str],
    series: Sequence[SeriesData],
    format_value: Callable[[float], str],
) -> str:
    """The chart in words, one clause per series, for its text alternative."""
    clauses = [series_summary(s, categories, format_value) for s in series]
    if not clauses:
        return "There are no values to show."
    text = "; ".join(clauses)
    return text[:1].upper() + text[1:] + "."
