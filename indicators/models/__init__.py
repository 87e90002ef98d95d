"""Outcome measures: the place, principles, areas, periods, indicators, values,
judgements, imports.

Split by topic; import the models from here.
"""

from indicators.models.geography import Area, Period
from indicators.models.imports import ImportRun
from indicators.models.judgements import Assessment, Method, Target, Trend
from indicators.models.place import MarmotPrinciple, Place
from indicators.models.values import Indicator, IndicatorValue

__all__ = [
    "Area",
    "Assessment",
    "ImportRun",
    "Indicator",
    "IndicatorValue",
    "MarmotPrinciple",
    "Method",
    "Period",
    "Place",
    "Target",
    "Trend",
]
