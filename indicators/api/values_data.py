"""The values list's JSON built with plain functions: the same rows as
:class:`indicators.api.serializers.IndicatorValueSerializer` (which still
documents the list in the schema and serves retrieve and the writes), without
DRF's field-by-field machinery.

``GET /api/v1/values/`` was 14x the cost of one raw query of the same rows
(bench/run.py). These functions read the attributes of a value loaded by
:func:`indicators.selectors.indicator_value_list` and format them as DRF's
fields do (floats as ``float``, dates as ISO 8601, foreign keys as their slug,
absent nullable parts as ``null``). ``tests/indicators/api/test_values_data.py``
holds them equal to the serializer on data that takes every branch.
"""

from __future__ import annotations

import datetime as dt

from indicators.api import dashboard_data
from indicators.api.serializers import (
    VALUE_KEY,
    VALUE_NUMBERS,
    VALUE_TEXTS,
    display,
)
from indicators.selectors import assessments_effective, trend_effective

# The columns indicator_value() reads: the list loads only these (deferring
# the indicator's and the value's other columns saves a millisecond a page).
# A column read but not loaded would cost a query per row: the test counts them.
LIST_RELATED = ["indicator", "area", "period"]
LIST_FIELDS = [
    "id",
    "indicator__code",
    # what display() reads (indicators.formatting.indicator_value)
    "indicator__unit",
    "indicator__multiplier",
    "indicator__value_type",
    "indicator__display_decimals",
    "area__code",
    "period__label",
    "period__sort_key",
    *VALUE_KEY[3:],
    *VALUE_NUMBERS,
    *VALUE_TEXTS,
    "release_date",
]


def _float(number) -> float | None:
    return None if number is None else float(number)


def _date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def assessment(row, *, is_effective: bool) -> dict:
    area = row.benchmark_area
    return {
        "id": row.id,
        "benchmark": row.benchmark,
        "benchmark_area": None if area is None else area.code,
        "result": row.result,
        "level": _float(row.level),
        "method": row.method,
        "published_text": row.published_text,
        "explanation": row.explanation,
        "disagrees_with_published": bool(row.disagrees_with_published),
        "reason": row.reason,
        "is_effective": is_effective,
    }


def assessments(rows: list) -> list[dict]:
    """All of one value's assessments, each marked if it is the one shown."""
    if not rows:
        return []
    effective = {a.pk for a in assessments_effective(rows).values()}
    return [assessment(row, is_effective=row.pk in effective) for row in rows]


def trend(rows: list) -> dict | None:
    """The effective trend among one value's trends, or ``None``."""
    row = trend_effective(rows)
    if row is None:
        return None
    return {
        "id": row.id,
        **dashboard_data.trend(row),
        "reason": row.reason,
        "is_effective": True,
    }


def indicator_value(value, judgements: tuple[list, list] | None = None) -> dict:
    """``IndicatorValueSerializer(value).data`` of a value with its
    assessments and trends prefetched (as indicator_value_list() does); its
    own columns may be narrowed to LIST_FIELDS."""
    period = value.period
    return {
        "id": value.id,
        "indicator": value.indicator.code,
        "area": value.area.code,
        "period": period.label,
        "period_sort_key": period.sort_key,
        **{key: getattr(value, key) for key in VALUE_KEY[3:]},
        **{key: _float(getattr(value, key)) for key in VALUE_NUMBERS},
        **{key: getattr(value, key) for key in VALUE_TEXTS},
        "release_date": _date(value.release_date),
        "display": display(value),
        "assessments": assessments(
            list(value.assessments.all()) if judgements is None else judgements[0]
        ),
        "trend": trend(value.trends.all() if judgements is None else judgements[1]),
    }
