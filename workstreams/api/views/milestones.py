"""Milestones on actions: read by those who may read the action; added,
changed and removed by those who may edit it (`rules.can_edit_action`),
through `workstreams.services.milestones` (each bumps the action's ETag)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view

from marmot.api.viewsets import (
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ReadViewSet,
    ServiceCreateMixin,
    ServiceDestroyMixin,
)
from workstreams import rules
from workstreams.api.permissions import MilestonePermission, check_can_edit_action
from workstreams.api.serializers.milestones import (
    MilestoneSerializer,
    MilestoneUpdateSerializer,
)
from workstreams.models import Action, Milestone
from workstreams.services import milestones as services

CLOSED = OpenApiResponse(
    description="The action is archived or its workplan closed (ADR 22): "
    "nothing written."
)


@extend_schema_view(
    create=extend_schema(responses={201: MilestoneSerializer, 409: CLOSED}),
    partial_update=extend_schema(responses={200: MilestoneSerializer, 409: CLOSED}),
    update=extend_schema(responses={200: MilestoneSerializer, 409: CLOSED}),
    destroy=extend_schema(
        responses={204: OpenApiResponse(description="Removed."), 409: CLOSED}
    ),
)
class MilestoneViewSet(
    ServiceCreateMixin,
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ServiceDestroyMixin,
    ReadViewSet,
):
    """Milestones of the actions the user may read; ``?action=<id>`` for one
    action's, in their order."""

    permission_classes = [MilestonePermission]
    filterset_fields = ["action"]
    ordering_fields = ["position", "due_on"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return MilestoneUpdateSerializer
        return MilestoneSerializer

    def get_queryset(self):
        actions = rules.visible_actions(
            self.request.user, Action.objects.all(), archived=None
        )
        return (
            Milestone.objects.filter(action__in=actions)
            .select_related("action__workplan")
            .order_by("action", "position", "id")
        )

    def perform_service_create(self, serializer):
        data = dict(serializer.validated_data)
        action = data.pop("action")
        check_can_edit_action(self.request.user, action)
        return services.milestone_create(action=action, **data)

    def perform_checked_update(self, serializer, expected):
        return services.milestone_update(
            milestone=serializer.instance,
            expected_row_version=expected,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        services.milestone_delete(milestone=instance)
