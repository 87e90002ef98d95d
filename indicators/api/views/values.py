"""API v1 views for values, with their judgements; officers write them.

Writes go through :mod:`indicators.services` and are followed by
:func:`indicators.assessment.indicator_values_changed`, in one transaction; a
manual assessment through :func:`indicators.assessment.assessment_set_manual`;
a value calculated from raw figures (``values/calculate/``, issue 19) through
:func:`indicators.services.indicator_value_calculate`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from indicators.api.permissions import CanEditIndicators, IndicatorAccess
from indicators.api.serializers import (
    IndicatorValueSerializer,
    ManualAssessmentSerializer,
)
from indicators.api.serializers.values import (
    VALUE_KEY,
    ValueCalculateSerializer,
)
from indicators.assessment import assessment_set_manual, indicator_values_changed
from indicators.filters import IndicatorValueFilter
from indicators.models import Indicator, IndicatorValue
from indicators.page_selectors import indicator_download as download
from indicators.rules import visible_indicators
from indicators.selectors import indicator_value_list, place_get, value_judgements
from indicators.services import (
    indicator_value_calculate,
    indicator_value_delete,
    indicator_value_upsert,
)
from indicators.statistics.calculate import AgeBand
from marmot.api.concurrency import check_if_match
from marmot.api.errors import NON_FIELD, PreconditionFailed
from marmot.api.renderers import (
    CSV,
    CSV_FORMAT_PARAMETER,
    CSVListMixin,
    csv_download_schema,
    csv_requested,
    csv_response,
    csv_schema_response,
)
from marmot.api.schema import (
    ERROR,
    ETAG,
    IF_MATCH,
    LOCATION,
    MISSING,
    STALE,
    MarmotAutoSchema,
)
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

#: Values read per query while a CSV streams (with their judgements).
CSV_CHUNK = 500

CALCULATE = (
    "Send the raw figures of one value and the tracker calculates the value "
    "and its 95% and 99.8% limits by the indicator's value type's method "
    "(PHEindicatormethods' and Fingertips'): a proportion from `numerator` "
    "and `denominator` (Wilson score); a crude rate the same (exact Poisson "
    "below 10 events, else Byar's); a count from `numerator`; a directly "
    "standardised rate from `age_bands` with `count`, `population` and "
    "`standard_population` (Dobson); a ratio from `numerator` (observed) and "
    "`denominator` (expected), or from `age_bands` with `count`, `population`, "
    "`reference_count` and `reference_population` (indirect "
    "standardisation); a mean from `mean`, `standard_deviation` and "
    "`sample_size` (Student's t); a life expectancy from `age_bands` with "
    "`start_age`, `count` (deaths) and `population` (Chiang II, Silcocks' "
    "limits). An index is not calculated: POST its published value to "
    "`/api/v1/values/`. A missing figure, one the type does not use, or one "
    "the method cannot take (a numerator above its denominator) is a 400 "
    "naming it; nothing is written.\n\n"
    "A new value is a 201 with `Location`. If the value (same indicator, area, "
    "period and breakdown) exists, its figures are replaced only with its "
    "current ETag in `If-Match`, as a PATCH: 428 without it, 412 if stale; "
    "an `If-Match` for a value that does not exist is a 412. The value's "
    "`method` says how it was made; comparisons and trends are recomputed in "
    "the same transaction.\n\nOfficers only."
)


class CanCalculateValues(CanEditIndicators):
    """Officers only, as every write of values."""

    message = "Only officers may calculate values."


class ValueSchema(MarmotAutoSchema):
    """The calculate action answers the value as a create (201) or a change
    (200) does: with its ETag, and a 201 with its ``Location``."""

    def _answer_headers(self, code: str) -> list[tuple[str, str]]:
        answers = super()._answer_headers(code)
        if getattr(self.view, "action", None) == "calculate":
            if code in ("200", "201"):
                answers.append(("ETag", ETAG))
            if code == "201":
                answers.append(("Location", LOCATION))
        return answers


@extend_schema_view(
    list=extend_schema(
        parameters=[CSV_FORMAT_PARAMETER],
        responses={
            (200, "application/json"): IndicatorValueSerializer(many=True),
            (200, CSV): csv_schema_response(
                "Columns as the indicator page's download: the value, its "
                "limits, count and denominator, how it was made (Method), "
                "then each benchmark's "
                "comparison and how it was made, then the trend (and an "
                "output KPI's target columns when the list holds one). "
                "`?indicator=CODE&format=csv`: every value of one indicator "
                "with its comparisons."
            ),
        },
    ),
    partial_update=extend_schema(request=IndicatorValueSerializer),
    destroy=delete_schema(
        "Delete a value; its assessments and trend go with it and the "
        "indicator's other values are reassessed."
    ),
)
class IndicatorValueViewSet(
    CSVListMixin,
    mixins.ListModelMixin,
    ETagRetrieveMixin,
    mixins.CreateModelMixin,
    CheckedUpdateMixin,
    ServiceDestroyMixin,
    VersionedMixin,
    viewsets.GenericViewSet,
):
    """Values with their assessments and trend. Officers create, change and
    delete them. ``period_from``/``period_to`` take a period label or a sort
    key; anything else is a 400 naming the accepted forms."""

    throttle_classes = API_THROTTLES
    schema = ValueSchema()

    permission_classes = [IndicatorAccess]
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = {
        "period_sort_key": "period__sort_key",
        "value": "value",
        "id": "id",
    }

    def get_queryset(self):
        return visible_indicators(
            self.request.user, indicator_value_list(), prefix="indicator__"
        )

    def list(self, request, *args, **kwargs):
        if csv_requested(request):
            return self.csv(request)
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

    def csv(self, request):
        """Every value the filters select, as the indicator page's download
        writes them (its columns, with each benchmark's judgement and the
        trend), streamed in chunks: the output KPI columns when the list
        holds an output KPI's values."""
        queryset = self.filter_queryset(self.get_queryset())
        kinds = set(
            queryset.order_by().values_list("indicator__kind", flat=True).distinct()
        )
        columns = download.COLUMNS
        if Indicator.Kind.LOCAL_OUTPUT in kinds:
            columns = download.COLUMNS + download.OUTPUT_COLUMNS
        rows = download.values_rows(
            queryset.iterator(chunk_size=CSV_CHUNK), columns=columns, place=place_get()
        )
        code = request.query_params.get("indicator", "").strip()
        name = code if code and len(kinds) == 1 else "values"
        filename = f"{name}-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(download.csv_lines(rows, columns), filename)

    def _saved(self, value_id: int, status_code=status.HTTP_200_OK):
        value = indicator_value_list().get(pk=value_id)
        response = self.versioned(value, status_code)
        if status_code == status.HTTP_201_CREATED:
            response["Location"] = detail_location(self, value)
        return response

    @transaction.atomic
    def _save(self, data: dict, claim=(None, None)) -> int:
        """``claim``: (pk, the row version the client read), for an update."""
        pk, expected = claim
        row_version_claim(model=IndicatorValue, pk=pk, expected=expected)
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
        expected = self.if_match(request, instance)
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        claim = (instance.pk, expected)
        return self._saved(self._save(serializer.validated_data, claim=claim))

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

        def assess():
            assessment_set_manual(
                value=value, user=request.user, **serializer.validated_data
            )
            return value

        return self.guarded(request, value, assess, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="values_calculate",
        summary="Calculate a value from raw figures",
        description=CALCULATE,
        request=ValueCalculateSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=IF_MATCH
                + " Needed only when the value exists (its figures are replaced).",
            )
        ],
        responses={
            200: OpenApiResponse(
                IndicatorValueSerializer,
                description="The existing value, recalculated from the figures.",
            ),
            201: OpenApiResponse(
                IndicatorValueSerializer, description="A new value, calculated."
            ),
            400: OpenApiResponse(
                ERROR,
                description="A figure is missing, not used by the indicator's "
                "value type, or one its method cannot take: `error.fields` "
                "names it. Nothing is written.",
            ),
            412: OpenApiResponse(ERROR, description=STALE),
            428: OpenApiResponse(
                ERROR,
                description=MISSING.replace("GET the record first", "GET the value")
                + " Needed because the value exists.",
            ),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="calculate",
        permission_classes=[CanCalculateValues],
        filter_backends=[],
        pagination_class=None,
    )
    def calculate(self, request):
        """Calculate a value and its limits from raw figures (see CALCULATE)."""
        serializer = ValueCalculateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        key = {name: data.get(name, "") for name in VALUE_KEY}
        existing = indicator_value_list().filter(**key).first()
        expected = None
        if existing is not None:
            expected = check_if_match(
                request,
                etag=lambda: self.etag(existing),
                row_version=existing.row_version,
            )
        elif request.headers.get("If-Match", "").strip():
            raise PreconditionFailed(
                "No such value exists yet: send no If-Match to create it."
            )
        data["age_bands"] = [
            AgeBand(**band) for band in data.get("age_bands") or []
        ] or None
        claim = (existing.pk if existing else None, expected)
        value_id = self._calculate(data, claim)
        created = existing is None
        return self._saved(
            value_id, status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @transaction.atomic
    def _calculate(self, data: dict, claim) -> int:
        pk, expected = claim
        row_version_claim(model=IndicatorValue, pk=pk, expected=expected)
        try:
            value = indicator_value_calculate(**data)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_figure_errors(error)) from error
        indicator_values_changed(indicator_ids=[value.indicator_id])
        return value.pk


def _figure_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """The service's refusal as field errors: each under the figure it names
    (``FigureError.field``) or the model field a check is about; anything
    else under ``non_field_errors``."""
    if not hasattr(error, "error_dict"):
        return {NON_FIELD: error.messages}
    return {
        NON_FIELD if field == "__all__" else field: messages
        for field, messages in error.message_dict.items()
    }


VALUES_CSV = (
    "Columns as the indicator page's download: the value, its limits, count "
    "and denominator, how it was made (Method), then each benchmark's "
    "comparison and how it was made, "
    "then the trend. `?indicator=CODE`: every value of one indicator with its "
    "comparisons."
)


@extend_schema_view(list=csv_download_schema(resource="values", description=VALUES_CSV))
class IndicatorValueCSVViewSet(IndicatorValueViewSet):
    """``values.csv``: the values list as CSV, an operation of its own for
    generated clients (:func:`marmot.api.renderers.csv_download_schema`)."""

    csv_only = True
