"""Published judgements that the published numbers contradict: "check with the source".

A council's table sometimes publishes a letter or trend word that its own
numbers contradict (56.60% against the region's 56.60% marked "R"; 85.4% →
85.7% "Significantly worse" for a measure where higher is better). We keep
the judgement as published and give officers the reason to check it with the
source. Pure functions: no queries, no Django beyond the labels' constants.

Only what the numbers *clearly* contradict is flagged, never what they merely
fail to support (a difference can be real or not; that is the source's call):

* **Comparison** (a "G"/"R" or higher/lower against a benchmark): the two
  values are equal; or the letter's direction is opposite to the difference
  (a "G" where the place is worse by the measure's polarity, an "R" where it
  is better; "higher" where it is lower). "A" (similar) and "not compared"
  are never flagged.
* **Trend** (a label that says better, worse, increasing or decreasing): the
  value did not change, or moved the other way - both over the last step
  and from the first of the latest five points (Fingertips' recent-trend
  window) to the last, so one step against a longer trend is not flagged.
  "No significant change", "Cannot be calculated" and a series of one point
  (no direction to see) are never flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from indicators.models import Assessment, Indicator, Trend

R = Assessment.Result
L = Trend.Label
P = Indicator.Polarity

#: How many latest points a recent trend covers (Fingertips' method).
TREND_WINDOW = 5

_INCREASING = frozenset({L.INCREASING, L.INCREASING_BETTER, L.INCREASING_WORSE})
_DECREASING = frozenset({L.DECREASING, L.DECREASING_BETTER, L.DECREASING_WORSE})
_BETTER_SIGN = {P.HIGH_IS_GOOD: 1, P.LOW_IS_GOOD: -1}
_POLARITY_WORDS = {P.HIGH_IS_GOOD: "higher is better", P.LOW_IS_GOOD: "lower is better"}


@dataclass(frozen=True)
class Figure:
    """A published number as shown (e.g. "56.60%") and its period."""

    value: float | None
    text: str
    period: str = ""


def _sign(number: float) -> int:
    return (number > 0) - (number < 0)


def _quoted(published_text: str, words: str) -> str:
    return f"“{published_text}” ({words})" if published_text else words


def comparison_check(
    *,
    result: str,
    published_text: str,
    polarity: str,
    place: Figure,
    benchmark: Figure,
    place_name: str,
    benchmark_name: str,
) -> str:
    """Why the numbers contradict a comparison; "" when they do not."""
    if place.value is None or benchmark.value is None:
        return ""
    if result in (R.BETTER, R.WORSE):
        better = _BETTER_SIGN.get(polarity)
        if better is None:
            return ""
        claimed = better if result == R.BETTER else -better
        words = f"{result} than {benchmark_name}"
    elif result in (R.HIGHER, R.LOWER):
        claimed = 1 if result == R.HIGHER else -1
        words = f"{result} than {benchmark_name}"
    else:
        return ""
    judged = f"Published as {_quoted(published_text, words)}"
    observed = _sign(place.value - benchmark.value)
    if observed == 0:
        return (
            f"{judged}, but {place_name}'s value ({place.text}) is the same as "
            f"{benchmark_name}'s ({benchmark.text})."
        )
    if observed == -claimed:
        relation = "higher" if observed > 0 else "lower"
        rule = _POLARITY_WORDS.get(polarity)
        return (
            f"{judged}, but {place_name}'s value ({place.text}) is {relation} "
            f"than {benchmark_name}'s ({benchmark.text})"
            + (f" and {rule}." if result in (R.BETTER, R.WORSE) else ".")
        )
    return ""


def _claimed_direction(label: str, polarity: str) -> int:
    """+1 (rising), -1 (falling) or 0 (the label claims no direction)."""
    if label in _INCREASING:
        return 1
    if label in _DECREASING:
        return -1
    better = _BETTER_SIGN.get(polarity, 0)
    if label in Trend.BETTER_LABELS:
        return better
    if label in Trend.WORSE_LABELS:
        return -better
    return 0


def _moved(first: Figure, last: Figure) -> str:
    if last.value == first.value:
        return (
            f"the value did not change ({first.text} in {first.period}, "
            f"{last.text} in {last.period})"
        )
    verb = "rose" if last.value > first.value else "fell"
    return (
        f"the value {verb} from {first.text} in {first.period} "
        f"to {last.text} in {last.period}"
    )


def trend_check(
    *, label: str, published_text: str, polarity: str, series: Sequence[Figure]
) -> str:
    """Why the numbers contradict a trend; "" when they do not.

    ``series`` is the trend's series in period order, ending with the value the
    trend is attached to; points without a value are skipped.
    """
    claimed = _claimed_direction(label, polarity)
    points = [f for f in series if f.value is not None][-TREND_WINDOW:]
    if claimed == 0 or len(points) < 2:
        return ""
    first, previous, last = points[0], points[-2], points[-1]
    step = _sign(last.value - previous.value)
    overall = _sign(last.value - first.value)
    if step == claimed or overall == claimed:
        return ""
    # Both the last step and the whole window are flat or against the label.
    rule = _POLARITY_WORDS.get(polarity)
    words = label.lower() if not rule else f"{label.lower()}; {rule}"
    shown = first if overall != 0 else previous
    return f"Published as {_quoted(published_text, words)}, but {_moved(shown, last)}."


def trend_words(label: str, contradicted: bool) -> str:
    """The words to show for a trend label: never a direction the values
    contradict ("Increasing and getting worse" becomes "Getting worse")."""
    if not contradicted:
        return label
    if label in Trend.BETTER_LABELS:
        return L.GETTING_BETTER.value
    if label in Trend.WORSE_LABELS:
        return L.GETTING_WORSE.value
    if label in (L.INCREASING, L.DECREASING):
        return "Changed (direction not clear)"
    return label
