"""Writes for the indicators app: areas, periods, indicators, values, judgements.

Every write goes through these services (ADR 0005). Upserts save only when
something changed, so repeating an import adds no rows and no history. Split by
topic; import them from here.
"""

from indicators.services.areas import area_upsert
from indicators.services.indicators import KEEP, indicator_delete, indicator_upsert
from indicators.services.judgements import (
    assessment_set_published,
    trend_set_published,
)
from indicators.services.values import (
    indicator_value_calculate,
    indicator_value_delete,
    indicator_value_upsert,
    period_get_or_create,
)

__all__ = [
    "KEEP",
    "area_upsert",
    "assessment_set_published",
    "indicator_delete",
    "indicator_upsert",
    "indicator_value_calculate",
    "indicator_value_delete",
    "indicator_value_upsert",
    "period_get_or_create",
    "trend_set_published",
]
