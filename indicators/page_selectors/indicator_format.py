"""Words and numbers for the indicator page and its downloads (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass

from indicators.models import Assessment, Indicator, Method

B = Assessment.Benchmark
BENCHMARK_ORDER = (B.NATIONAL, B.REGION, B.NEAREST_NEIGHBOURS, B.TARGET)
#: Generic names of the benchmarks, when no area names one.
BENCHMARK_NAMES = {
    B.NATIONAL: "England",
    B.REGION: "the region",
    B.NEAREST_NEIGHBOURS: "nearest neighbours",
    B.TARGET: "the target",
}
_METHOD_ORDER = {Method.MANUAL: 0, Method.COMPUTED: 1, Method.PUBLISHED: 2}
POLARITY_WORDS = {
    Indicator.Polarity.HIGH_IS_GOOD: "Yes – a higher value is better",
    Indicator.Polarity.LOW_IS_GOOD: "No – a lower value is better",
    Indicator.Polarity.NO_JUDGEMENT: (
        "Neither – a higher or lower value is not judged better or worse"
    ),
}


def judgement_sort_key(row, shown) -> tuple[int, int, int]:
    """The shown row first, then set by hand, computed, published."""
    return (row is not shown, _METHOD_ORDER.get(row.method, 3), row.pk or 0)


def result_words(result: str, name: str) -> str:
    """An assessment result in words, as the ``assessment`` template tag says it."""
    return {
        Assessment.Result.BETTER: f"Better than {name}",
        Assessment.Result.SIMILAR: f"Similar to {name}",
        Assessment.Result.WORSE: f"Worse than {name}",
        Assessment.Result.HIGHER: f"Higher than {name}",
        Assessment.Result.LOWER: f"Lower than {name}",
    }.get(result, f"Not compared with {name}")


def method_words(row) -> str:
    """How a judgement was made: "Published as “R”", "Computed at 95% confidence"."""
    if row.method == Method.PUBLISHED:
        text = "Published"
        if row.published_text:
            text += f" as “{row.published_text}”"
        return text
    if row.method == Method.COMPUTED:
        level = getattr(row, "level", None)
        if level:
            return f"Computed at {level:g}% confidence"
        return "Computed"
    return "Set by hand"


@dataclass(frozen=True)
class Judgement:
    """One assessment or trend row, ready to show: what it says and how."""

    method: str
    result: str  # an assessment's result, or a trend's label
    words: str
    how: str
    explanation: str = ""
    reason: str = ""
    disagrees: bool = False
    #: Why the published numbers contradict it ("" if they do not): shown to
    #: signed-in users as "check with the source" (indicator_checks).
    source_check: str = ""


def assessment_judgement(row, name: str) -> Judgement:
    return Judgement(
        method=row.method,
        result=row.result,
        words=result_words(row.result, name),
        how=method_words(row),
        explanation=row.explanation,
        reason=row.reason,
        disagrees=row.disagrees_with_published,
    )


def trend_judgement(row) -> Judgement:
    return Judgement(
        method=row.method,
        result=row.label,
        words=row.label,
        how=method_words(row),
        explanation=row.explanation,
        reason=row.reason,
        disagrees=row.disagrees_with_published,
    )
