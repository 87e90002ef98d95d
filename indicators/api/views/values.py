"""API v1 views for values, with their judgements; officers write them.

Writes go through :mod:`indicators.services` and are followed by
:func:`indicators.assessment.indicator_values_changed`, in one transaction; a
manual assessment through :func:`indicators.assessment.assessment_set_manual`.
"""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from indicators.api.permissions import CanEditIndicators, IndicatorAccess
from indicators.api.serializers import (
    IndicatorValueSerializer,
    ManualAssessmentSerializer,
)
from indicators.assessment import assessment_set_manual, indicator_values_changed
from indicators.filters import IndicatorValueFilter
from indicators.rules import visible_indicators
from indicators.selectors import indicator_value_list, value_judgements
from indicators.services import indicator_value_delete, indicator_value_upsert
from marmot.api.viewsets import delete_schema


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
        return visible_indicators(
            self.request.user, indicator_value_list(), prefix="indicator__"
        )

    def list(self, request, *args, **kwargs):
        # The page's assessments and trends in two queries (value_judgements),
        # instead of the prefetch machinery's per-row cost; the rows are
        # IndicatorValueSerializer's, as for every other answer.
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        page = self.paginate_queryset(queryset)
        values = list(queryset if page is None else page)
        context = {
            **self.get_serializer_context(),
            "judgements": value_judgements([value.pk for value in values]),
        }
        rows = IndicatorValueSerializer(values, many=True, context=context).data
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
        request=ManualAssessmentSerializer, responses={201: IndicatorValueSerializer}
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
