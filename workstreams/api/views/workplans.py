"""Viewsets for annual workplans (their status and the order of their
priorities) and for priorities as a resource of their own."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action as route

from marmot.api.schema import ERROR
from marmot.api.viewsets import (
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ReadViewSet,
    ServiceCreateMixin,
    ServiceDestroyMixin,
    delete_schema,
)
from workstreams import filters, selectors, services
from workstreams.api import permissions
from workstreams.api import serializers as s

STATUS_RULE = (
    "Allowed: draft → consultation; consultation → draft; consultation → "
    "signed_off (with `signed_off_on`, not in the future, and `signed_off_at`, "
    "the meeting or body that agreed it); signed_off → closed; signed_off → "
    "draft (reopening, officers only; clears the sign-off). Any other move, "
    "or one to the status it has, is a 409 saying why."
)
CHAIRS_AND_OFFICERS = "The workstream's chairs and officers."
RECORD_RULE = (
    "The published record (ADR 22): a signed-off workplan keeps its year, dates "
    "and sign-off; a closed one changes nothing (nor its priorities); the "
    "sign-off date and meeting change only with the move to signed off. A "
    "refused change is a 409 and nothing is written."
)
CONFLICT = OpenApiResponse(
    ERROR, description="The record's state refuses it (ADR 22); nothing written."
)


@extend_schema_view(
    partial_update=extend_schema(
        description="Change some of a workplan's fields; send its ETag in "
        f"If-Match. A new `status` obeys the status rule. {STATUS_RULE} "
        f"{RECORD_RULE}",
        responses={200: s.WorkplanSerializer, 409: CONFLICT},
    ),
    update=extend_schema(
        description="Replace a workplan's fields; send its ETag in If-Match. A "
        f"new `status` obeys the status rule. {STATUS_RULE} {RECORD_RULE}",
        responses={200: s.WorkplanSerializer, 409: CONFLICT},
    ),
    create=extend_schema(
        description="Add a workplan for a year the workstream has none for. It "
        "starts as a draft, without a sign-off date or meeting."
    ),
    destroy=delete_schema(
        "Delete a workplan made by mistake, with its priorities: refused while "
        "it has actions."
    ),
)
class WorkplanViewSet(
    ServiceCreateMixin,
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ServiceDestroyMixin,
    ReadViewSet,
):
    """Annual workplans and their priorities."""

    serializer_class = s.WorkplanSerializer
    permission_classes = [permissions.WorkstreamWorkPermission]
    if_match_required = ("change_status",)
    filterset_class = filters.WorkplanFilter
    ordering_fields = ["starts_on", "year_label", "status", "updated_at"]

    def get_queryset(self):
        return selectors.workplan_list(user=self.request.user)

    def perform_service_create(self, serializer):
        data = dict(serializer.validated_data)
        workstream = data.pop("workstream")
        permissions.check_can_edit_workstream(self.request.user, workstream.pk)
        return services.workplan_create(workstream=workstream, **data)

    def perform_checked_update(self, serializer, expected):
        data = dict(serializer.validated_data)
        data.pop("workstream", None)
        return services.workplan_update(
            workplan=serializer.instance,
            expected_row_version=expected,
            user=self.request.user,
            **data,
        )

    def perform_destroy(self, instance):
        services.workplan_delete(workplan=instance)

    @extend_schema(
        summary="Move a workplan to another status",
        description=f"{STATUS_RULE}\n\nSend the workplan's ETag in If-Match (or "
        "`row_version` in the body): stale → 412, missing → 428. "
        f"{CHAIRS_AND_OFFICERS}",
        request=s.WorkplanStatusSerializer,
        responses={
            200: s.WorkplanSerializer,
            400: OpenApiResponse(
                ERROR, description="The body is wrong (an unknown status, a date)."
            ),
            409: OpenApiResponse(
                ERROR,
                description="The workplan's status refuses the move (already "
                "there, closed, or not a step the rule allows): read it again.",
            ),
            412: OpenApiResponse(
                ERROR, description="The workplan changed since you read it."
            ),
            428: OpenApiResponse(
                ERROR, description="No If-Match and no `row_version`."
            ),
        },
    )
    @route(detail=True, methods=["post"], url_path="status", url_name="status")
    def change_status(self, request, pk=None):
        workplan = self.get_object()
        expected = self.if_match(request, workplan)
        body = s.WorkplanStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self.versioned(
            services.workplan_status_change(
                workplan=workplan,
                status=data["status"],
                user=request.user,
                signed_off_on=data.get("signed_off_on"),
                signed_off_at=data.get("signed_off_at", ""),
                expected_row_version=expected,
            )
        )

    @extend_schema(
        summary="Put a workplan's priorities in a new order",
        description="Send every one of the workplan's priority ids once, in the "
        "new order; they are numbered 1..n and the workplan's ETag moves. A "
        "missing, foreign or repeated id is a 400 naming it, and nothing "
        f"changes. {CHAIRS_AND_OFFICERS}",
        request=s.PriorityReorderSerializer,
        responses={200: s.WorkplanSerializer, 409: CONFLICT},
    )
    @route(
        detail=True,
        methods=["post"],
        url_path="reorder-priorities",
        url_name="reorder-priorities",
    )
    def reorder_priorities(self, request, pk=None):
        workplan = self.get_object()
        expected = self.if_match(request, workplan)
        body = s.PriorityReorderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.versioned(
            services.workplan_priorities_reorder(
                workplan=workplan,
                priority_ids=body.validated_data["priority_ids"],
                expected_row_version=expected,
            )
        )


@extend_schema_view(
    create=extend_schema(
        description="Add a priority to a workplan that is not closed (closed: "
        f"409); it goes last. {CHAIRS_AND_OFFICERS}",
        responses={201: s.PrioritySerializer, 409: CONFLICT},
    ),
    partial_update=extend_schema(
        description="Change a priority's title or description; not in a closed "
        "workplan (409).",
        responses={200: s.PrioritySerializer, 409: CONFLICT},
    ),
    update=extend_schema(
        description="Replace a priority's title and description; not in a "
        "closed workplan (409).",
        responses={200: s.PrioritySerializer, 409: CONFLICT},
    ),
    destroy=delete_schema(
        "Delete a priority: refused while actions are under it (move them to "
        "another priority, or none, first), and in a closed workplan (409). "
        "The rest are renumbered 1..n.",
        who=CHAIRS_AND_OFFICERS,
        responses={409: CONFLICT},
    ),
)
class PriorityViewSet(
    ServiceCreateMixin,
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ServiceDestroyMixin,
    ReadViewSet,
):
    """Workplans' priorities, seen as their workplan is (published ones by
    everyone, drafts by the programme). Filter by workplan or workstream; the
    workstream's chairs and officers write. Order: ``reorder-priorities``."""

    serializer_class = s.PrioritySerializer
    permission_classes = [permissions.PriorityPermission]
    filterset_class = filters.WorkplanPriorityFilter
    ordering_fields = ["position", "title"]

    def get_queryset(self):
        return selectors.workplan_priority_list(user=self.request.user)

    def perform_service_create(self, serializer):
        data = dict(serializer.validated_data)
        workplan = data.pop("workplan")
        permissions.check_can_edit_workstream(self.request.user, workplan.workstream_id)
        return services.workplan_priority_create(workplan=workplan, **data)

    def perform_checked_update(self, serializer, expected):
        data = dict(serializer.validated_data)
        data.pop("workplan", None)
        return services.workplan_priority_update(
            priority=serializer.instance, priority_row_version=expected, **data
        )

    def perform_destroy(self, instance):
        services.workplan_priority_delete(priority=instance)
