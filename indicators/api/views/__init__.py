"""API v1 views for outcome measures: areas, periods, indicators, values.

Split by topic, as the serializers; the dashboard's view is in
:mod:`indicators.api.views.dashboard`. Import the viewsets from here.
"""

from indicators.api.views.indicators import IndicatorViewSet
from indicators.api.views.reference import AreaViewSet, PeriodViewSet
from indicators.api.views.values import IndicatorValueViewSet

__all__ = ["AreaViewSet", "IndicatorValueViewSet", "IndicatorViewSet", "PeriodViewSet"]
