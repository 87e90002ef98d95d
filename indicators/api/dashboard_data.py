"""The dashboard's JSON built with plain functions: the same document as
:class:`indicators.api.dashboard.DashboardSerializer` (which still documents
it in the schema), at a fraction of the cost.

The dashboard returns every indicator with its series, benchmarks and
judgements: at 500 indicators DRF's field-by-field serializers took about
0.8 s of a 1.7 s response (bench/run.py). These functions read the same
attributes and format them as DRF's fields do (floats as ``float``, dates as
ISO 8601, absent nullable parts as ``null``).
``tests/indicators/api/test_dashboard_data.py`` holds them equal to the
serializer on data that takes every branch. The same URL's HTML is the
dashboard page's own template (ADR 20), not built here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from indicators.api.dashboard import COMPARATORS
from indicators.api.serializers import display
from indicators.models import Assessment

COMPARED = [str(b) for b in COMPARATORS]
JUDGED = [*COMPARED, str(Assessment.Benchmark.TARGET)]


def _float(number) -> float | None:
    return None if number is None else float(number)


def _date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def area_brief(area) -> dict | None:
    if area is None:
        return None
    return {"code": area.code, "name": area.name, "area_type": area.area_type}


def series_point(value) -> dict:
    return {
        "period": value.period.label,
        "period_sort_key": value.period.sort_key,
        "value": _float(value.value),
        "lower95": _float(value.lower95),
        "upper95": _float(value.upper95),
        "display": display(value),
    }


def latest_value(value) -> dict | None:
    if value is None:
        return None
    return {
        **series_point(value),
        "id": value.id,
        "area": value.area.code,
        "sex": value.sex,
        "age": value.age,
        "count": _float(value.count),
        "denominator": _float(value.denominator),
        "published_text": value.published_text,
        "release_date": _date(value.release_date),
    }


def benchmark_value(value) -> dict | None:
    if value is None:
        return None
    return {**series_point(value), "area": area_brief(value.area)}


def judgement(row) -> dict | None:
    if row is None:
        return None
    return {
        "result": row.result,
        "method": row.method,
        "level": _float(row.level),
        "published_text": row.published_text,
        "explanation": row.explanation,
        "disagrees_with_published": bool(row.disagrees_with_published),
        "reason": row.reason,
    }


def trend(row) -> dict | None:
    if row is None:
        return None
    return {
        "label": row.label,
        "method": row.method,
        "published_text": row.published_text,
        "explanation": row.explanation,
        "disagrees_with_published": bool(row.disagrees_with_published),
    }


def freshness(fresh) -> dict | None:
    if fresh is None:
        return None
    return {
        "status": str(fresh.status),
        "reason": fresh.reason,
        "next_update_by": _date(fresh.next_update_by),
    }


def indicator_brief(indicator) -> dict:
    principle = indicator.principle
    return {
        "code": indicator.code,
        "name": indicator.name,
        "value_type": indicator.value_type,
        "unit": indicator.unit,
        "polarity": indicator.polarity,
        "principle": principle.number if principle is not None else None,
        "kind": indicator.kind,
        "display_decimals": indicator.display_decimals,
        "is_published": indicator.is_published,
    }


def dashboard_entry(entry) -> dict:
    """One :class:`indicators.selectors.IndicatorLatest`."""
    benchmarks = entry.benchmark_values
    return {
        "indicator": indicator_brief(entry.indicator),
        "latest": latest_value(entry.value),
        "benchmarks": {b: benchmark_value(benchmarks.get(b)) for b in COMPARED},
        "assessments": {b: judgement(entry.assessments.get(b)) for b in JUDGED},
        "trend": trend(entry.trend),
        "freshness": freshness(entry.freshness),
        "has_disagreement": entry.has_disagreement,
        "series": [series_point(value) for value in entry.series],
    }


def dashboard_place(place) -> dict | None:
    if place is None:
        return None
    return {
        "name": place.name,
        "area": area_brief(place.area),
        "country": area_brief(place.country),
        "region": area_brief(place.region),
        "nearest_neighbours": area_brief(place.nearest_neighbours),
    }


def dashboard_document(*, place, today: dt.date, entries: Iterable) -> dict:
    return {
        "place": dashboard_place(place),
        "today": today.isoformat(),
        "indicators": [dashboard_entry(entry) for entry in entries],
    }
