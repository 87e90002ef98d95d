"""API v1 views for indicators: everyone reads published ones; officers write.

Reads come from :mod:`indicators.selectors`, narrowed by
:func:`indicators.rules.visible_indicators`; writes go through
:mod:`indicators.services` and are followed by
:func:`indicators.assessment.indicator_values_changed`, in one transaction.
"""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from indicators.api.permissions import IndicatorAccess
from indicators.api.serializers import IndicatorDetailSerializer, IndicatorSerializer
from indicators.api.serializers.dashboard import InequalitiesSerializer
from indicators.assessment import indicator_values_changed
from indicators.filters import IndicatorFilter
from indicators.inequalities import indicator_inequalities
from indicators.models import Indicator
from indicators.rules import visible_indicators
from indicators.selectors import indicator_latest_values, indicator_list, place_get
from indicators.services import indicator_delete, indicator_upsert
from marmot.api.throttles import API_THROTTLES
from marmot.api.viewsets import (
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ServiceDestroyMixin,
    VersionedMixin,
    delete_schema,
    detail_location,
)
from marmot.services import row_version_claim


@extend_schema_view(
    retrieve=extend_schema(responses=IndicatorDetailSerializer),
    create=extend_schema(responses={201: IndicatorDetailSerializer}),
    partial_update=extend_schema(
        responses=IndicatorDetailSerializer,
        description="Change some of an indicator's fields, `is_published` and "
        "`expected_next_release` included. Officers only.",
    ),
    destroy=delete_schema(
        "Delete an indicator set up by mistake: refused while it has values or "
        "targets or measures a logic model item (unpublish it to hide it "
        "instead)."
    ),
)
class IndicatorViewSet(
    mixins.ListModelMixin,
    ETagRetrieveMixin,
    mixins.CreateModelMixin,
    CheckedUpdateMixin,
    ServiceDestroyMixin,
    VersionedMixin,
    viewsets.GenericViewSet,
):
    """Indicators, by code. Everyone reads published ones; officers write and
    delete."""

    throttle_classes = API_THROTTLES

    permission_classes = [IndicatorAccess]
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"  # a bad code is a JSON 404, as for areas
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = ["code", "name", "display_order"]  # default: display order

    def get_queryset(self):
        return visible_indicators(self.request.user, indicator_list())

    def get_serializer_class(self):
        if self.action == "list":
            return IndicatorSerializer
        return IndicatorDetailSerializer

    def representation(self, instance: Indicator):
        indicator = indicator_list().get(pk=instance.pk)
        [latest] = indicator_latest_values(indicator_ids=[indicator.pk])
        indicator.freshness = latest.freshness
        return IndicatorDetailSerializer(indicator).data

    def _detail(self, indicator: Indicator, status_code=status.HTTP_200_OK):
        return self.versioned(indicator, status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        indicator = self._save(serializer.validated_data)
        response = self._detail(indicator, status.HTTP_201_CREATED)
        response["Location"] = detail_location(self, indicator)
        return response

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        expected = self.if_match(request, instance)
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        fields = [
            "name",
            "value_type",
            "polarity",
            "unit",
            "multiplier",
            "published_name",
            "definition",
            "numerator_definition",
            "denominator_definition",
            "principle",
            "kind",
            "source",
            "fingertips_id",
            "display_decimals",
            "display_order",
            "update_frequency",
            "is_published",
            "expected_next_release",
        ]
        merged = {f: data.get(f, getattr(instance, f)) for f in fields}
        merged["workstreams"] = data.get("workstreams")
        indicator = self._save(
            {**merged, "code": instance.code}, claim=(instance.pk, expected)
        )
        return self._detail(indicator)

    @transaction.atomic
    def _save(self, data: dict, claim=(None, None)) -> Indicator:
        """``claim``: (pk, the row version the client read), for an update."""
        pk, expected = claim
        row_version_claim(model=Indicator, pk=pk, expected=expected)
        indicator = indicator_upsert(**data)
        indicator_values_changed(indicator_ids=[indicator.pk])
        return indicator

    def perform_destroy(self, instance):
        indicator_delete(indicator=instance)

    @extend_schema(
        parameters=[
            OpenApiParameter("sex", str, description="Sex (default: persons)."),
            OpenApiParameter("age", str, description="Age band (default: all)."),
        ],
        responses=InequalitiesSerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def inequalities(self, request, code=None):
        """Breakdowns of the place's values: gap, SII and gap trend over time."""
        indicator = self.get_object()
        place = place_get()
        breakdowns = (
            indicator_inequalities(
                indicator=indicator,
                area_id=place.area_id,
                sex=request.query_params.get("sex", ""),
                age=request.query_params.get("age", ""),
            )
            if place
            else []
        )
        data = {
            "indicator": indicator.code,
            "area": place.area if place else None,
            "breakdowns": breakdowns,
        }
        return Response(InequalitiesSerializer(data).data)
