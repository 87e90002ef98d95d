"""API v1 views for the reference data: areas and periods (read only, public)."""

from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from indicators.api.serializers import AreaSerializer, PeriodSerializer
from indicators.filters import AreaFilter, PeriodFilter
from indicators.selectors import area_list, period_list
from marmot.api.throttles import API_THROTTLES


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Areas (local authorities, regions, England, comparator groups), by code."""

    throttle_classes = API_THROTTLES

    permission_classes = [AllowAny]
    serializer_class = AreaSerializer
    filterset_class = AreaFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    ordering_fields = ["code", "name", "area_type"]
    ordering = ["area_type", "name"]

    def get_queryset(self):
        return area_list()


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Time periods, ordered by their sort key."""

    throttle_classes = API_THROTTLES

    permission_classes = [AllowAny]
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter
    ordering_fields = ["sort_key", "label"]
    ordering = ["sort_key", "ends_on"]

    def get_queryset(self):
        return period_list()
