"""Writes for published judgements: a value's assessments and a series' trend.

Only the published ones: computed and manual judgements are written by
:mod:`indicators.assessment` (ADR 0004).
"""

from __future__ import annotations

from django.db import transaction

from indicators.models import Area, Assessment, IndicatorValue, Method, Trend
from marmot.services import record_upsert


@transaction.atomic
def assessment_set_published(
    *,
    value: IndicatorValue,
    benchmark: str,
    result: str,
    published_text: str = "",
    benchmark_area: Area | None = None,
    explanation: str = "",
) -> Assessment:
    """Record the published comparison of a value with a benchmark.

    One published assessment per value and benchmark; computed and manual ones
    are separate rows and are never touched here (ADR 0004).
    """
    assessment, _ = record_upsert(
        model=Assessment,
        lookup={"value": value, "benchmark": benchmark, "method": Method.PUBLISHED},
        values={
            "result": result,
            "published_text": published_text,
            "benchmark_area": benchmark_area,
            "explanation": explanation,
        },
    )
    return assessment


@transaction.atomic
def trend_set_published(
    *,
    value: IndicatorValue,
    label: str,
    published_text: str = "",
    explanation: str = "",
) -> Trend:
    """Record the published trend of a series on one of its values (the latest).

    ``label`` is Fingertips' wording (``Trend.Label``); ``published_text`` keeps the
    words as published, e.g. "Significantly improving".
    """
    trend, _ = record_upsert(
        model=Trend,
        lookup={"value": value, "method": Method.PUBLISHED},
        values={
            "label": label,
            "published_text": published_text,
            "explanation": explanation,
        },
    )
    return trend
