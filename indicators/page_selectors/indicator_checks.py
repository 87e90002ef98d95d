"""The indicator page's "check with the source" notes (issue 13).

Attaches to each shown judgement the reason its own published numbers
contradict it (:mod:`indicators.assessment.source_checks`), from the values the
page has already read: no query. A trend whose direction the values
contradict is shown without that direction ("Getting worse"), its published
words kept in "how it was judged".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from indicators.assessment.consistency import trend_words
from indicators.assessment.series import BenchmarkIndex
from indicators.assessment.source_checks import assessment_reason, trend_reason
from indicators.models import Assessment, IndicatorValue, Method, Trend
from indicators.page_selectors.indicator_format import Judgement

#: The benchmark's value, when the source published a judgement without it.
NOT_PUBLISHED = "Not published"


def assessment_checked(
    judgement: Judgement,
    row: Assessment,
    latest: IndicatorValue,
    index: BenchmarkIndex,
) -> Judgement:
    """``judgement`` with the reason the numbers contradict ``row``, if any."""
    if row.benchmark_area_id is None:
        return judgement
    reason = assessment_reason(row, latest, index.find(latest, row.benchmark_area_id))
    return dataclasses.replace(judgement, source_check=reason)


def trend_checked(
    judgement: Judgement, row: Trend, headline: Sequence[IndicatorValue]
) -> Judgement:
    """``judgement`` with the reason ``headline`` contradicts ``row``, if any,
    and words that state no direction the values contradict."""
    if not headline or headline[-1].pk != row.value_id:
        return judgement
    reason = trend_reason(row, headline)
    return dataclasses.replace(
        judgement,
        words=trend_words(row.label, bool(reason)),
        source_check=reason,
    )


def missing_value_text(shown) -> str:
    """What a benchmark's value says when it is not known and ``shown`` (a
    Judgement or Assessment, or None) judges against it: "Not published" when
    the source published the judgement but not the value; else ""."""
    if shown is not None and shown.method == Method.PUBLISHED:
        return NOT_PUBLISHED
    return ""
