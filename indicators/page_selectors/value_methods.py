"""How each value was made, in words (issue 19): the indicator page's table,
its "About this measure" and its downloads say it the same way.

A value is either as its source published it, or calculated here from raw
figures by its value type's method (``indicators.statistics.calculate``),
which follows a PHEindicatormethods function, named here as the reference.
Pure: reads the values it is given, no queries.
"""

from __future__ import annotations

from collections.abc import Iterable

from indicators.models import IndicatorValue

M = IndicatorValue.Method

#: The PHEindicatormethods (R) function each calculated method follows.
REFERENCES = {
    M.WILSON: "phe_proportion",
    M.BYAR: "phe_rate",
    M.DOBSON: "phe_dsr",
    M.INDIRECT: "calculate_ISRatio",
    M.STUDENT_T: "phe_mean",
    M.CHIANG_II: "phe_life_expectancy",
}
#: The most sources named in one sentence; more are counted.
SOURCES_NAMED = 5


def value_method_words(value: IndicatorValue) -> str:
    """ "As published by DWP Stat-Xplore", "Calculated: Wilson score limits,
    from the numerator and denominator"."""
    if value.method == M.PUBLISHED:
        return f"As published by {value.source}" if value.source else "As published"
    return f"Calculated: {value.get_method_display()}"


def methods_used(values: Iterable[IndicatorValue]) -> list[str]:
    """One sentence per way ``values`` were made, published first, then each
    method in the order of ``IndicatorValue.Method`` with its reference."""
    values = list(values)
    used = {value.method for value in values}
    sentences = []
    if M.PUBLISHED in used:
        sources = sorted(
            {v.source for v in values if v.method == M.PUBLISHED and v.source}
        )
        named = "; ".join(sources[:SOURCES_NAMED])
        if len(sources) > SOURCES_NAMED:
            named += f"; and {len(sources) - SOURCES_NAMED} more"
        if len(sources) > 1:
            text = f"As published by their sources: {named}"
        else:
            text = f"As published by {named or 'their source'}"
        text = text.rstrip(".")
        if sources and any(not v.source for v in values if v.method == M.PUBLISHED):
            text += " (some values do not say their source)"
        sentences.append(f"{text}.")
    for method in M:
        if method != M.PUBLISHED and method in used:
            sentences.append(
                f"Calculated here: {method.label}, as PHEindicatormethods' "
                f"{REFERENCES[method]} calculates it."
            )
    return sentences
