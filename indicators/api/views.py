"""API v1 views for outcome measures: areas, periods, indicators, values.

The dashboard's view is in :mod:`indicators.api.dashboard_views`.

Reads come from :mod:`indicators.selectors`, narrowed by
:func:`workstreams.rules.visible_indicators`; writes go through
:mod:`indicators.services` and are followed by
:func:`indicators.assessment.indicator_values_changed`, in one transaction.
"""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from indicators.api.dashboard import InequalitiesSerializer
from indicators.api.permissions import CanEditIndicators, IndicatorAccess
from indicators.api.serializers import (
    AreaSerializer,
    IndicatorDetailSerializer,
    IndicatorSerializer,
    IndicatorValueSerializer,
    ManualAssessmentSerializer,
    PeriodSerializer,
)
from indicators.api.values_data import LIST_FIELDS, LIST_RELATED, indicator_value
from indicators.assessment import assessment_set_manual, indicator_values_changed
from indicators.filters import (
    AreaFilter,
    IndicatorFilter,
    IndicatorValueFilter,
    PeriodFilter,
)
from indicators.inequalities import indicator_inequalities
from indicators.models import Indicator
from indicators.selectors import (
    area_list,
    indicator_latest_values,
    indicator_list,
    indicator_value_list,
    period_list,
    place_get,
    value_judgements,
)
from indicators.services import (
    indicator_delete,
    indicator_upsert,
    indicator_value_delete,
    indicator_value_upsert,
)
from marmot.api.viewsets import delete_schema
from workstreams import rules


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Areas (local authorities, regions, England, comparator groups), by code."""

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

    permission_classes = [AllowAny]
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter
    ordering_fields = ["sort_key", "label"]
    ordering = ["sort_key", "ends_on"]

    def get_queryset(self):
        return period_list()


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
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Indicators, by code. Everyone reads published ones; officers write and
    delete."""

    permission_classes = [IndicatorAccess]
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"  # a bad code is a JSON 404, as for areas
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = ["code", "name", "display_order"]  # default: display order

    def get_queryset(self):
        return rules.visible_indicators(self.request.user, indicator_list())

    def get_serializer_class(self):
        if self.action == "list":
            return IndicatorSerializer
        return IndicatorDetailSerializer

    def _detail(self, indicator: Indicator, status_code=status.HTTP_200_OK):
        indicator = indicator_list().get(pk=indicator.pk)
        [latest] = indicator_latest_values(indicator_ids=[indicator.pk])
        indicator.freshness = latest.freshness
        return Response(IndicatorDetailSerializer(indicator).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        indicator = self._save(serializer.validated_data)
        return self._detail(indicator, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
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
        indicator = self._save({**merged, "code": instance.code})
        return self._detail(indicator)

    @transaction.atomic
    def _save(self, data: dict) -> Indicator:
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


@extend_schema_view(
    partial_update=extend_schema(request=IndicatorValueSerializer),
    destroy=delete_schema(
        "Delete a value; its assessments and trend go with it and the "
        "indicator's other values are reassessed."
    ),
)
class IndicatorValueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Values with their assessments and trend. Officers create, change and
    delete them. ``period_from``/``period_to`` take a period label or a sort
    key; anything else is a 400 naming the accepted forms."""

    permission_classes = [IndicatorAccess]
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = ["period__sort_key", "value", "id"]

    def get_queryset(self):
        return rules.visible_indicators(
            self.request.user, indicator_value_list(), prefix="indicator__"
        )

    def list(self, request, *args, **kwargs):
        # Filtered, ordered and paginated as before, loading only the columns
        # shown, the page's judgements in two queries, and the rows built by
        # plain functions equal to IndicatorValueSerializer (which the schema
        # still shows): its fields, the prefetch machinery and the unused
        # columns were most of a page's cost (bench/run.py).
        queryset = (
            self.filter_queryset(self.get_queryset())
            .select_related(None)
            .select_related(*LIST_RELATED)
            .prefetch_related(None)
            .only(*LIST_FIELDS)
        )
        page = self.paginate_queryset(queryset)
        values = list(queryset if page is None else page)
        judgements = value_judgements([value.pk for value in values])
        rows = [indicator_value(value, judgements[value.pk]) for value in values]
        if page is None:
            return Response(rows)
        return self.get_paginated_response(rows)

    def _saved(self, value_id: int, status_code=status.HTTP_200_OK):
        value = indicator_value_list().get(pk=value_id)
        return Response(IndicatorValueSerializer(value).data, status=status_code)

    @transaction.atomic
    def _save(self, data: dict) -> int:
        value = indicator_value_upsert(**data)
        indicator_values_changed(indicator_ids=[value.indicator_id])
        return value.pk

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value_id = self._save(serializer.validated_data)
        return self._saved(value_id, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._saved(self._save(serializer.validated_data))

    def perform_destroy(self, instance):
        indicator_value_delete(value=instance)

    @extend_schema(
        request=ManualAssessmentSerializer,
        responses={201: IndicatorValueSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="manual-assessment",
        permission_classes=[CanEditIndicators],
        filter_backends=[],
    )
    def manual_assessment(self, request, pk=None):
        """Set the value's assessment against a benchmark by hand, with a reason.

        A manual assessment is shown before computed and published ones and
        recomputation never changes it. Returns the value with all its
        assessments.
        """
        value = get_object_or_404(indicator_value_list(), pk=pk)
        self.check_object_permissions(request, value)
        serializer = ManualAssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment_set_manual(
            value=value, user=request.user, **serializer.validated_data
        )
        return self._saved(value.pk, status.HTTP_201_CREATED)
