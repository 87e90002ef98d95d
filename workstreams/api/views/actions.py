"""Viewsets for actions in workplans and their append-only progress updates."""

from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import action as route

from marmot.api.renderers import (
    CSV,
    CSV_FORMAT_PARAMETER,
    CSVListMixin,
    csv_download_schema,
    csv_requested,
    csv_response,
    csv_schema_response,
)
from marmot.api.schema import ERROR
from marmot.api.viewsets import (
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ReadViewSet,
    ServiceCreateMixin,
    ServiceDestroyMixin,
)
from workstreams import filters, rules, selectors, services
from workstreams.api import permissions
from workstreams.api import serializers as s
from workstreams.api.actions_csv import action_csv_lines
from workstreams.models import Action
from workstreams.services.actions import action_archive

M2M = ("activities", "recommendations", "principles")
RECORD_RULE = (
    "A closed workplan is read-only: its actions do not change, take no "
    "progress updates and are neither deleted nor archived (409). An archived "
    "action does not change either (409)."
)
CONFLICT = OpenApiResponse(
    ERROR, description="The record's state refuses it (ADR 22); nothing written."
)


@extend_schema_view(
    list=extend_schema(
        parameters=[CSV_FORMAT_PARAMETER],
        responses={
            (200, "application/json"): s.ActionSerializer(many=True),
            (200, CSV): csv_schema_response(
                "One row per action: workstream, workplan, priority, title, "
                "lead, status and RAG (words and code), dates, % complete, "
                "principles (numbers), archived, updated."
            ),
        },
    ),
    destroy=extend_schema(
        description="Delete an action added by mistake. One with a public "
        "record (progress updates, or a partner's accepted submission behind "
        "it) is never deleted: 409, archive it instead (POST "
        f"/actions/{{id}}/archive/). {RECORD_RULE}",
        responses={204: OpenApiResponse(description="Deleted."), 409: CONFLICT},
    ),
    partial_update=extend_schema(
        description=f"Change some of an action's fields. {RECORD_RULE}",
        responses={200: s.ActionSerializer, 409: CONFLICT},
    ),
    update=extend_schema(
        description=f"Replace an action's fields. {RECORD_RULE}",
        responses={200: s.ActionSerializer, 409: CONFLICT},
    ),
    create=extend_schema(
        description="Add an action to a workplan that is not closed (closed: 409).",
        responses={201: s.ActionSerializer, 409: CONFLICT},
    ),
)
class ActionViewSet(
    CSVListMixin,
    ServiceCreateMixin,
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ServiceDestroyMixin,
    ReadViewSet,
):
    """Actions in workplans. Filter by workstream, workplan, priority, status,
    RAG, lead organisation, principle, due dates, overdue and updated since;
    archived actions are listed only with ``archived=true``."""

    serializer_class = s.ActionSerializer
    permission_classes = [permissions.ActionPermission]
    filterset_class = filters.ActionFilter
    ordering_fields = ["due_date", "start_date", "status", "rag", "updated_at"]

    def get_queryset(self):
        """The actions the user may see; a list leaves the archived ones out
        unless ``archived=true`` asks for them, a detail URL finds either
        (an archived action keeps its public record, ADR 22)."""
        queryset = Action.objects.select_related(
            "workplan__workstream", "priority", "lead_organisation"
        ).prefetch_related("principles", "activities", "recommendations", "milestones")
        # A list without ``archived`` leaves the archived out; with it, the
        # filter (ActionFilter.archived, strict true/false) chooses.
        asked = self.request.query_params.get("archived") not in (None, "")
        archived = False if self.action == "list" and not asked else None
        return rules.visible_actions(self.request.user, queryset, archived=archived)

    def list(self, request, *args, **kwargs):
        if not csv_requested(request):
            return super().list(request, *args, **kwargs)
        actions = self.filter_queryset(self.get_queryset())
        lines = action_csv_lines(actions.iterator(chunk_size=500))
        return csv_response(lines, f"actions-{timezone.localdate():%Y-%m-%d}.csv")

    def perform_service_create(self, serializer):
        data = dict(serializer.validated_data)
        workplan = data.pop("workplan")
        permissions.check_can_edit_workstream(self.request.user, workplan.workstream_id)
        return services.action_create(workplan=workplan, **data)

    def perform_checked_update(self, serializer, expected):
        data = dict(serializer.validated_data)
        data.pop("workplan", None)
        links = {name: data.pop(name) for name in M2M if name in data}
        return services.action_update(
            action=serializer.instance,
            expected_row_version=expected,
            **links,
            **data,
        )

    def perform_destroy(self, instance):
        services.action_delete(action=instance)

    @extend_schema(
        summary="Archive an action",
        description="Take an action out of the workstream's lists and counts, "
        "keeping its page, progress updates and history: how an action with a "
        f"public record leaves the plan. {RECORD_RULE} The workstream's chairs "
        "and officers.",
        request=None,
        responses={200: s.ActionSerializer, 409: CONFLICT},
    )
    @route(detail=True, methods=["post"], url_path="archive", url_name="archive")
    def archive(self, request, pk=None):
        action = self.get_object()
        return self.guarded(request, action, lambda: action_archive(action=action))


@extend_schema_view(
    create=extend_schema(
        description="Add a progress update: the workstream's chairs and "
        "officers, or a partner whose organisation leads the action (403 "
        "otherwise, nothing written). Not on an archived action or one of a "
        "closed workplan (409).",
        responses={201: s.ProgressUpdateSerializer, 409: CONFLICT},
    )
)
class ProgressUpdateViewSet(ServiceCreateMixin, ReadViewSet):
    """Append-only progress notes on actions: no update, no delete."""

    serializer_class = s.ProgressUpdateSerializer
    permission_classes = [permissions.ProgressUpdatePermission]
    filterset_class = filters.ProgressUpdateFilter
    ordering_fields = ["reported_on", "created_at"]

    def get_queryset(self):
        return selectors.progress_update_list(user=self.request.user)

    def perform_service_create(self, serializer):
        data = dict(serializer.validated_data)
        permissions.check_can_add_progress_update(self.request.user, data["action"])
        return services.progress_update_create(author=self.request.user, **data)


@extend_schema_view(
    list=csv_download_schema(
        resource="actions",
        description="One row per action the filters select: workstream, "
        "workplan, priority, title, lead, status and RAG (words and code), "
        "dates, % complete, principles (numbers), archived, updated.",
    )
)
class ActionCSVViewSet(ActionViewSet):
    """``actions.csv``: the actions list as CSV, an operation of its own for
    generated clients (:func:`marmot.api.renderers.csv_download_schema`)."""

    csv_only = True
