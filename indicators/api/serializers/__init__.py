"""Serializers for the indicators API: they shape data; services write it.

Split by topic; import them from here.
"""

from indicators.api.serializers.indicators import (
    FreshnessSerializer,
    IndicatorDetailSerializer,
    IndicatorSerializer,
)
from indicators.api.serializers.judgements import (
    AssessmentSerializer,
    ManualAssessmentSerializer,
    TrendSerializer,
)
from indicators.api.serializers.reference import (
    AreaBriefSerializer,
    AreaSerializer,
    PeriodKindField,
    PeriodSerializer,
)
from indicators.api.serializers.values import (
    DISPLAY_HELP,
    VALUE_KEY,
    VALUE_NUMBERS,
    VALUE_TEXTS,
    IndicatorValueSerializer,
    display,
)

__all__ = [
    "DISPLAY_HELP",
    "VALUE_KEY",
    "VALUE_NUMBERS",
    "VALUE_TEXTS",
    "AreaBriefSerializer",
    "AreaSerializer",
    "AssessmentSerializer",
    "FreshnessSerializer",
    "IndicatorDetailSerializer",
    "IndicatorSerializer",
    "IndicatorValueSerializer",
    "ManualAssessmentSerializer",
    "PeriodKindField",
    "PeriodSerializer",
    "TrendSerializer",
    "display",
]
