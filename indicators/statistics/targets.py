"""Target-based RAG ratings (Pentana-style performance traffic lights)."""

from __future__ import annotations

import math

from indicators.statistics.types import Polarity, Rag


def target_rag(
    *,
    value: float,
    target: float,
    polarity: Polarity | str,
    amber_tolerance: float,
    tolerance_is_percent: bool,
) -> Rag:
    """RAG rating of a value against a target, Pentana-style.

    Pentana (Ideagen) performance-indicator traffic lights: GREEN when the
    target is met or beaten in the good direction; AMBER when the value misses
    it on the wrong side by no more than the tolerance; RED beyond that.
    The tolerance is ``amber_tolerance`` in value units, or, with
    ``tolerance_is_percent``, that percentage of ``abs(target)`` (e.g. 5 means
    within 5% of the target). Boundaries are inclusive (floating-point noise
    of relative size 1e-9 is ignored). Raises ``ValueError`` for
    NO_JUDGEMENT polarity (a target needs a good direction) and for a
    negative tolerance.
    """
    polarity = Polarity(polarity)
    if polarity is Polarity.NO_JUDGEMENT:
        raise ValueError(
            "Cannot rate against a target when the polarity is 'no_judgement': "
            "say whether high or low is good."
        )
    if amber_tolerance < 0:
        raise ValueError("amber_tolerance must not be negative")
    if not (math.isfinite(value) and math.isfinite(target)):
        raise ValueError("value and target must be finite numbers")
    high_is_good = polarity is Polarity.HIGH_IS_GOOD
    shortfall = target - value if high_is_good else value - target
    tolerance = (
        abs(target) * amber_tolerance / 100 if tolerance_is_percent else amber_tolerance
    )
    scale = max(abs(value), abs(target), 1e-300)
    if shortfall <= 0 or math.isclose(shortfall, 0.0, abs_tol=1e-9 * scale):
        return Rag.GREEN
    if shortfall <= tolerance or math.isclose(shortfall, tolerance, rel_tol=1e-9):
        return Rag.AMBER
    return Rag.RED
