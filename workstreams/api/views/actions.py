"""Viewsets for actions in workplans and their append-only progress updates."""

from rest_framework import mixins

from marmot.api.viewsets import (
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ReadViewSet,
    ServiceCreateMixin,
)
from workstreams import filters, selectors, services
from workstreams.api import permissions
from workstreams.api import serializers as s

M2M = ("activities", "recommendations", "principles")


class ActionViewSet(
    ServiceCreateMixin,
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    mixins.DestroyModelMixin,
    ReadViewSet,
):
    """Actions in workplans. Filter by workstream, workplan, priority, status,
    RAG, lead organisation, principle, due dates, overdue and updated since."""

    serializer_class = s.ActionSerializer
    permission_classes = [permissions.ActionPermission]
    filterset_class = filters.ActionFilter
    ordering_fields = ["due_date", "start_date", "status", "rag", "updated_at"]

    def get_queryset(self):
        return selectors.action_list(user=self.request.user)

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
