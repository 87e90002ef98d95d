"""Viewsets for output KPIs (ADR 32): the KPIs with their targets and where
they stand, and the values recorded period by period with the chairs'
decisions on partners' values.

Every write goes through `workstreams.services.kpis`; each KPI's progress
comes from `indicators.output_progress`, once for a page of KPIs."""

from __future__ import annotations

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action as route
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from indicators.filters import PERIOD_WORDING
from indicators.output_progress import output_progress
from indicators.reporting_periods import financial_year_of
from indicators.selectors import place_get
from marmot.api.errors import PreconditionFailed, error_envelope
from marmot.api.query import WorkstreamSlugFilter
from marmot.api.schema import ERROR
from marmot.api.viewsets import (
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ReadViewSet,
    ServiceCreateMixin,
    detail_location,
)
from marmot.principals import principal_for
from marmot.services import StaleRowVersion
from workstreams import rules
from workstreams.api.permissions import RulesPermission
from workstreams.api.serializers import kpis as s
from workstreams.models import Kpi, KpiEntry
from workstreams.services import kpis as services

CHAIRS_AND_OFFICERS = "The workstream's chairs (and deputies) and officers."
CONFLICT = OpenApiResponse(
    ERROR,
    description="The value's state refuses it (approved and locked, or decided "
    "meanwhile); nothing was written.",
)
LOCKED = {
    "412": "The value changed since you read it; nothing was written.",
    "428": "No If-Match header and no `row_version`.",
}
YEAR = OpenApiParameter(
    "year",
    OpenApiTypes.STR,
    description="The financial year whose progress is shown, e.g. 2026/27 "
    "(default: the year of the KPI's latest value, else the year open now). "
    "Anything else is a 400.",
)


def _locked_responses(ok) -> dict:
    return {
        200: ok,
        409: CONFLICT,
        **{
            int(code): OpenApiResponse(ERROR, description=text)
            for code, text in LOCKED.items()
        },
    }


# --- filters ----------------------------------------------------------------------

TRUE_FALSE = [("true", "true"), ("false", "false")]


class KpiFilter(filters.FilterSet):
    workstream = WorkstreamSlugFilter(field_name="workstream")
    retired = filters.ChoiceFilter(
        choices=TRUE_FALSE,
        method="filter_retired",
        help_text="true: retired KPIs only; false: those still recorded; left out: "
        "both.",
    )

    class Meta:
        model = Kpi
        fields = ["workstream", "reporting_organisation", "retired"]

    def filter_retired(self, queryset, name, value):
        return queryset.filter(indicator__retired_on__isnull=value != "true")


class KpiEntryFilter(filters.FilterSet):
    workstream = WorkstreamSlugFilter(field_name="kpi__workstream")
    period = filters.CharFilter(field_name="period__label", help_text=PERIOD_WORDING)

    class Meta:
        model = KpiEntry
        fields = ["kpi", "workstream", "period", "status", "organisation"]


# --- permissions ------------------------------------------------------------------


def _manages_some_workstream(user) -> bool:
    principal = principal_for(user)
    return principal.officer or bool(principal.chaired_workstream_ids)


class _OfferedMethodsPermission(RulesPermission):
    """A method the view does not take (PUT, DELETE) is the same 405 for
    everyone, never a 401/403 first."""

    def has_permission(self, request, view) -> bool:
        if request.method.lower() not in view.http_method_names:
            return True
        return super().has_permission(request, view)


class KpiPermission(_OfferedMethodsPermission):
    """KPIs are public; the workstream's chairs and officers write them."""

    def can_write(self, user) -> bool:
        return _manages_some_workstream(user)

    def can_write_object(self, user, obj) -> bool:
        return rules.can_manage_kpis(user, obj.workstream_id)


class KpiEntryPermission(_OfferedMethodsPermission):
    """Approved values are public, the rest seen as `rules.visible_kpi_entries`
    says. The workstream's chairs, officers and the reporting organisation's
    partners record; the chairs and officers decide; officers reopen."""

    def can_write(self, user) -> bool:
        return _manages_some_workstream(user) or principal_for(user).is_partner

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method == "PATCH":
            return rules.can_record_kpi(request.user, obj.kpi)
        if view.action in ("approve", "return_entry"):
            return rules.can_decide_kpi_entry(request.user, obj)
        if view.action == "reopen":
            return rules.can_reopen_kpi_entry(request.user)
        return super().has_object_permission(request, view, obj)


# --- KPIs -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[YEAR],
        description="Every workstream's output KPIs (public), each with where "
        "it stands: the year to date against the pro-rata target and its "
        "judgement in words, the latest value, each period of the year and "
        "what is overdue.",
    ),
    retrieve=extend_schema(parameters=[YEAR]),
    create=extend_schema(
        description=f"Add an output KPI to a workstream. {CHAIRS_AND_OFFICERS}"
    ),
    partial_update=extend_schema(
        description="Change a KPI's measure or links; send its ETag in "
        f"If-Match (412 when stale, 428 without). {CHAIRS_AND_OFFICERS}"
    ),
)
class KpiViewSet(
    ServiceCreateMixin, CheckedUpdateMixin, ETagRetrieveMixin, ReadViewSet
):
    """Output KPIs: a workstream's own measures of what it delivers."""

    serializer_class = s.KpiSerializer
    permission_classes = [KpiPermission]
    filterset_class = KpiFilter
    extra_query_parameters = ("year",)  # the year shown (_year), not a filter
    ordering_fields = ["display_order", "created_at", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Kpi.objects.select_related("workstream", "indicator").prefetch_related(
            "activities"
        )

    def _year(self) -> str | None:
        year = self.request.query_params.get("year")
        if year is None:
            return None
        if financial_year_of(year) != year:
            raise serializers.ValidationError(
                {"year": f"{year!r} is not a financial year such as 2026/27."}
            )
        return year

    def get_serializer_context(self):
        # The place, the year asked for and (for a list) the page's progress,
        # read once per request; a write's answer reads them itself.
        return {**super().get_serializer_context(), **getattr(self, "_shown", {})}

    def _show(self, kpis=()) -> None:
        year = self._year()
        place = place_get()
        self._shown = {"place": place, "year": year}
        if kpis:
            self._shown["progress"] = output_progress(
                [kpi.indicator for kpi in kpis],
                area_id=place.area_id if place else None,
                today=timezone.localdate(),
                year_label=year,
            )

    def list(self, request, *args, **kwargs):
        self._year()  # a wrong year is a 400 before any reading
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        self._show(rows)
        serializer = self.get_serializer(rows, many=True)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        self._show()
        return super().retrieve(request, *args, **kwargs)

    def perform_service_create(self, serializer):
        data = serializer.service_kwargs()
        workstream = data.pop("workstream")
        if not rules.can_manage_kpis(self.request.user, workstream.pk):
            raise PermissionDenied("Only the workstream's chairs can add its KPIs.")
        return services.kpi_create(
            workstream=workstream, user=self.request.user, **data
        )

    def perform_checked_update(self, serializer, expected):
        kpi = serializer.instance
        data = serializer.service_kwargs()
        workstream = data.pop("workstream", None)
        if workstream is not None and workstream.pk != kpi.workstream_id:
            raise ValidationError(
                {"workstream": "A KPI cannot move to another workstream."}
            )
        return services.kpi_update(
            kpi=kpi, user=self.request.user, expected_row_version=expected, **data
        )

    def representation(self, instance):
        self._show()  # as a GET shows it, whatever the request
        return super().representation(instance)

    @extend_schema(
        summary="Retire a KPI",
        description="Stop recording a KPI from a date, saying why; its values "
        f"stay published. {CHAIRS_AND_OFFICERS}",
        request=s.KpiRetireSerializer,
        responses={200: s.KpiSerializer},
    )
    @route(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        kpi = self.get_object()
        body = s.KpiRetireSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.guarded(
            request,
            kpi,
            lambda: services.kpi_retire(
                kpi=kpi,
                user=request.user,
                retired_on=body.validated_data["retired_on"],
                reason=body.validated_data["reason"],
            ),
        )

    @extend_schema(
        summary="Record a retired KPI again",
        description=f"Clears the retirement. {CHAIRS_AND_OFFICERS}",
        request=None,
        responses={200: s.KpiSerializer},
    )
    @route(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        kpi = self.get_object()
        return self.guarded(
            request, kpi, lambda: services.kpi_reinstate(kpi=kpi, user=request.user)
        )

    @extend_schema(
        summary="Set a KPI's targets for a year",
        description="The annual target (null removes it) with its tolerance "
        "band, and optionally a quarterly KPI's quarter targets. Answers the "
        "targets now set for that year; the KPI's `progress` judges against "
        f"them. {CHAIRS_AND_OFFICERS}",
        request=s.KpiTargetSetSerializer,
        responses={200: s.KpiTargetsSerializer},
    )
    @route(detail=True, methods=["post"])
    def targets(self, request, pk=None):
        kpi = self.get_object()
        body = s.KpiTargetSetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        year = " ".join(data["year"].split())
        targets = services.kpi_target_set(
            kpi=kpi,
            user=request.user,
            year_label=year,
            value=data["value"],
            tolerance=data["tolerance"],
            tolerance_is_percent=data["tolerance_is_percent"],
            quarters=body.quarters_mapping(),
        )
        targets.sort(key=lambda t: (t.period.label != year, t.period.sort_key))
        return Response(
            s.KpiTargetsSerializer(
                {"kpi": kpi.pk, "year": year, "targets": targets}
            ).data
        )


# --- entries ----------------------------------------------------------------------


BULK_ERROR = inline_serializer(
    name="KpiEntryBulkError",
    fields={
        "error": ERROR.fields["error"],
        "rows": serializers.DictField(
            child=serializers.DictField(
                child=serializers.ListField(child=serializers.CharField())
            ),
            required=False,
            help_text="By the index of the entry (0 first): {field: [messages]}; "
            "left out when the request itself is wrong.",
        ),
    },
)


@extend_schema_view(
    list=extend_schema(
        description="Recorded values: approved ones (and reopened ones, whose "
        "approved value stays public) to everyone; those waiting for approval "
        "or returned to the workstream's chairs, the reporting organisation's "
        "partners, oversight and officers."
    ),
    create=extend_schema(
        description="Record a period's value of a KPI: the workstream's chairs "
        "and officers (approved and published at once), or a partner of the "
        "organisation that reports it (waits for the chair's approval). The "
        "period's value already recorded is replaced (200), unless approved "
        "(409: an officer reopens it first).",
        responses={200: s.KpiEntrySerializer, 201: s.KpiEntrySerializer, 409: CONFLICT},
    ),
    partial_update=extend_schema(
        description="Change a value, its note, evidence link, or (after an "
        "officer reopened it) say why it is corrected; send its ETag in "
        "If-Match (412 when stale, 428 without). A partner's change waits for "
        "approval again; an approved value is locked (409).",
        responses={200: s.KpiEntrySerializer, 409: CONFLICT},
    ),
)
class KpiEntryViewSet(CheckedUpdateMixin, ETagRetrieveMixin, ReadViewSet):
    """The values of output KPIs, period by period, and their approval."""

    serializer_class = s.KpiEntrySerializer
    if_match_required = ("approve", "return_entry", "reopen")
    permission_classes = [KpiEntryPermission]
    filterset_class = KpiEntryFilter
    ordering_fields = ["created_at", "updated_at", "decided_at", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return rules.visible_kpi_entries(
            self.request.user,
            KpiEntry.objects.select_related(
                "kpi__workstream", "kpi__indicator", "period"
            ),
        )

    def _entry(self, entry, code=status.HTTP_200_OK):
        return self.versioned(entry, code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kpi = data["kpi"]
        if not rules.can_record_kpi(request.user, kpi):
            raise PermissionDenied(
                "Only the workstream's chairs and the organisation that reports "
                "this KPI record its values."
            )
        existed = KpiEntry.objects.filter(
            kpi=kpi, period__label=data["period"]
        ).exists()
        entry = services.kpi_entry_record(
            kpi=kpi,
            user=request.user,
            period=data["period"],
            value=data["value"],
            note=data.get("note", ""),
            evidence_url=data.get("evidence_url", ""),
            reason=data.get("reason", ""),
        )
        response = self._entry(
            entry, status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )
        if not existed:
            response["Location"] = detail_location(self, entry)
        return response

    def perform_checked_update(self, serializer, expected):
        entry = serializer.instance
        data = serializer.validated_data
        try:
            return services.kpi_entry_record(
                kpi=entry.kpi,
                user=self.request.user,
                period=entry.period.label,
                value=data.get("value", entry.value),
                note=data.get("note", entry.note),
                evidence_url=data.get("evidence_url", entry.evidence_url),
                reason=data.get("reason", ""),
                expected_row_version=expected,
            )
        except StaleRowVersion as error:
            raise PreconditionFailed() from error

    def _decide(self, request, decide, **kwargs):
        entry = self.get_object()
        expected = self.if_match(request, entry)
        try:
            decided = decide(
                entry=entry, user=request.user, expected_row_version=expected, **kwargs
            )
        except ValidationError as error:
            if getattr(error, "code", None) == services.STALE_CODE:
                raise PreconditionFailed() from error
            raise
        return self._entry(decided)

    @extend_schema(
        summary="Approve a partner's value",
        description="The value is published and locked; the partner is emailed. "
        "Send its ETag in If-Match, so what you approve is what you read. "
        f"{CHAIRS_AND_OFFICERS} Only a value waiting for approval (409).",
        request=None,
        responses=_locked_responses(s.KpiEntrySerializer),
    )
    @route(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, services.kpi_entry_approve)

    @extend_schema(
        summary="Return a partner's value for correction",
        description="With a reason, emailed to the partner. Send its ETag in "
        f"If-Match. {CHAIRS_AND_OFFICERS} Only a value waiting for approval (409).",
        request=s.KpiEntryReasonSerializer,
        responses=_locked_responses(s.KpiEntrySerializer),
    )
    @route(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_entry(self, request, pk=None):
        body = s.KpiEntryReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decide(
            request, services.kpi_entry_return, reason=body.validated_data["reason"]
        )

    @extend_schema(
        summary="Reopen an approved value for correction",
        description="Officers only, with a reason; the approved figure stays "
        "published until a correction is approved. Send its ETag in If-Match. "
        "Only an approved value (409).",
        request=s.KpiEntryReasonSerializer,
        responses=_locked_responses(s.KpiEntrySerializer),
    )
    @route(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        body = s.KpiEntryReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decide(
            request, services.kpi_entry_reopen, reason=body.validated_data["reason"]
        )

    @extend_schema(
        summary="Record many values at once",
        description=f"Up to {s.BULK_LIMIT} values, all or nothing: if any is "
        "wrong nothing is written and the 400 names each wrong entry by its "
        "index and field in `rows`. Each entry as POST /kpi-entries/ takes it; "
        "`row_version` (optional) guards a correction of a value you read. One "
        "KPI and period may appear once.",
        request=s.KpiEntryBulkRequestSerializer,
        responses={
            200: s.KpiEntryBulkResultSerializer,
            400: OpenApiResponse(
                BULK_ERROR,
                description="Nothing was written: the request, or entries in "
                "`rows` (by index), are wrong.",
            ),
        },
    )
    @route(detail=False, methods=["post"])
    def bulk(self, request):
        body = s.KpiEntryBulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        raw = body.validated_data["entries"]
        rows: dict[str, dict[str, list[str]]] = {}
        checked = []
        for index, item in enumerate(raw):
            one = s.KpiEntryItemSerializer(data=item)
            if one.is_valid():
                checked.append((index, one.validated_data))
            else:
                rows[str(index)] = {
                    name: [str(m) for m in messages]
                    if isinstance(messages, list)
                    else [str(messages)]
                    for name, messages in one.errors.items()
                }
        kpis = Kpi.objects.in_bulk({data["kpi"] for _, data in checked})
        items = []
        for index, data in checked:
            kpi = kpis.get(data["kpi"])
            if kpi is None:
                rows[str(index)] = {"kpi": [f"There is no KPI {data['kpi']}."]}
                continue
            items.append(
                services.EntryInput(
                    kpi=kpi,
                    period=data["period"],
                    value=data["value"],
                    note=data["note"],
                    evidence_url=data["evidence_url"],
                    reason=data["reason"],
                    expected_row_version=data.get("row_version"),
                    row=str(index),
                )
            )
        try:
            # Every entry is checked, those the request's own checks already
            # refused aside, so one answer names every wrong entry; any wrong
            # entry rolls back what the others recorded.
            with transaction.atomic():
                entries = services.kpi_entries_record(items=items, user=request.user)
                if rows:
                    raise _NothingRecorded
        except services.BulkEntryErrors as error:
            for where, fields in error.rows.items():
                rows[str(where)] = {
                    ("non_field_errors" if name == "__all__" else name): list(messages)
                    for name, messages in fields.items()
                }
        except _NothingRecorded:
            pass
        if rows:
            return _bulk_refused(rows)
        fresh = {
            entry.pk: entry
            for entry in self.get_queryset().filter(pk__in=[e.pk for e in entries])
        }
        shown = [fresh.get(entry.pk, entry) for entry in entries]
        context = self.get_serializer_context()
        return Response(
            {"entries": s.KpiEntrySerializer(shown, many=True, context=context).data}
        )


class _NothingRecorded(Exception):
    """Rolls back a bulk entry some of whose entries were refused."""


def _bulk_refused(rows: dict) -> Response:
    ordered = dict(sorted(rows.items(), key=lambda pair: int(pair[0])))
    messages = [
        f"entry {index}: {name}: {message}"
        for index, fields in ordered.items()
        for name, field_messages in fields.items()
        for message in field_messages
    ]
    body = error_envelope(
        400,
        "invalid",
        f"Nothing was recorded: {len(ordered)} of the entries are wrong; see rows.",
        {"entries": messages},
    )
    body["rows"] = ordered
    return Response(body, status=status.HTTP_400_BAD_REQUEST)
