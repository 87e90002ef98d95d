"""Viewsets for the workstreams API. Reads come from `workstreams.selectors`,
writes go through `workstreams.services`, permissions ask `workstreams.rules`."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action as route
from rest_framework.response import Response

from marmot.api.viewsets import (
    ApiViewSet,
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ServiceCreateMixin,
)
from workstreams import filters, rules, selectors, services
from workstreams.api import permissions
from workstreams.api import serializers as s
from workstreams.models import LogicModel, Organisation

M2M = ("activities", "recommendations", "principles")


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass


class PrincipleViewSet(ServiceCreateMixin, mixins.UpdateModelMixin, ReadViewSet):
    """The eight Marmot principles. Everyone reads; officers write."""

    serializer_class = s.PrincipleSerializer
    permission_classes = [permissions.ProgrammePermission]
    filterset_class = filters.PrincipleFilter
    ordering_fields = ["number", "title"]

    def get_queryset(self):
        return selectors.principle_list()

    def perform_service_create(self, serializer):
        return services.principle_upsert(**serializer.validated_data)

    def perform_update(self, serializer):
        services.principle_update(
            principle=serializer.instance, **serializer.validated_data
        )


class OrganisationViewSet(ServiceCreateMixin, mixins.UpdateModelMixin, ReadViewSet):
    """Partner organisations. Everyone reads; officers write."""

    serializer_class = s.OrganisationSerializer
    permission_classes = [permissions.ProgrammePermission]
    filterset_class = filters.OrganisationFilter
    ordering_fields = ["name", "kind"]

    def get_queryset(self):
        return selectors.organisation_list()

    def perform_service_create(self, serializer):
        data = dict(serializer.validated_data)
        if Organisation.objects.filter(name=data["name"]).exists():
            raise ValidationError({"name": "An organisation has that name."})
        return services.organisation_upsert(**data)

    def perform_update(self, serializer):
        services.organisation_update(
            organisation=serializer.instance, **serializer.validated_data
        )


class WorkstreamViewSet(ServiceCreateMixin, mixins.UpdateModelMixin, ReadViewSet):
    """Workstreams with their chair, principles, current logic model and current
    workplan (actions counted by status and RAG). Everyone reads; officers
    write (chair, deputies and principles by id); no delete."""

    serializer_class = s.WorkstreamSerializer
    permission_classes = [permissions.ProgrammePermission]
    filterset_class = filters.WorkstreamFilter
    ordering_fields = ["display_order", "name", "slug"]
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.workstream_list()

    def get_serializer(self, *args, **kwargs):
        if "data" in kwargs:
            kwargs.setdefault("context", self.get_serializer_context())
            return s.WorkstreamWriteSerializer(*args, **kwargs)
        if args:
            rows = list(args[0]) if kwargs.get("many") else [args[0]]
            context = kwargs.setdefault("context", self.get_serializer_context())
            context["summaries"] = selectors.workstream_summaries(
                user=self.request.user, workstream_ids=[row.pk for row in rows]
            )
        return super().get_serializer(*args, **kwargs)

    @extend_schema(request=s.WorkstreamWriteSerializer)
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=s.WorkstreamWriteSerializer)
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(
            self.get_object(), data=request.data, partial=partial
        )
        serializer.is_valid(raise_exception=True)
        saved = services.workstream_update(
            workstream=serializer.instance, **serializer.validated_data
        )
        return Response(self.get_serializer(self.get_fresh(saved)).data)

    @extend_schema(request=s.WorkstreamWriteSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def perform_service_create(self, serializer):
        return services.workstream_upsert(**serializer.validated_data)


def _item_data(items):
    return [
        services.LogicModelItemData(
            kind=item["kind"], text=item["text"], indicators=item.get("indicators", ())
        )
        for item in items
    ]


class LogicModelViewSet(
    ServiceCreateMixin, CheckedUpdateMixin, ETagRetrieveMixin, ReadViewSet
):
    """Versioned logic models with their items: for outputs and outcomes the
    linked indicators' latest values and assessments, for activities the
    status of the actions that deliver them."""

    serializer_class = s.LogicModelSerializer
    permission_classes = [permissions.WorkstreamWorkPermission]
    filterset_class = filters.LogicModelFilter
    ordering_fields = ["version", "dated", "updated_at"]

    def get_queryset(self):
        return selectors.logic_model_list(user=self.request.user)

    def get_serializer(self, *args, **kwargs):
        if args:
            rows = list(args[0]) if kwargs.get("many") else [args[0]]
            context = kwargs.setdefault("context", self.get_serializer_context())
            context["indicator_latest"] = selectors.indicator_latest_by_id(
                user=self.request.user, logic_models=rows
            )
        return super().get_serializer(*args, **kwargs)

    def perform_service_create(self, serializer):
        data = dict(serializer.validated_data)
        workstream = data.pop("workstream")
        permissions.check_can_edit_workstream(self.request.user, workstream.pk)
        if LogicModel.objects.filter(workstream=workstream, version=data["version"]):
            raise ValidationError({"version": "This version exists already."})
        data["items"] = _item_data(data.pop("items", []))
        return services.logic_model_upsert(workstream=workstream, **data)

    def perform_checked_update(self, serializer, expected):
        instance = serializer.instance
        data = dict(serializer.validated_data)
        data.pop("workstream", None)
        data.pop("version", None)
        if "items" in data:
            items = _item_data(data.pop("items"))
        else:
            items = [
                services.LogicModelItemData(
                    kind=i.kind, text=i.text, indicators=list(i.indicators.all())
                )
                for i in sorted(instance.items.all(), key=lambda i: i.position)
            ]
        fields = ("status", "dated", "hypothesis", "context", "barriers")
        values = {name: data.get(name, getattr(instance, name)) for name in fields}
        return services.logic_model_upsert(
            workstream=instance.workstream,
            version=instance.version,
            items=items,
            expected_row_version=expected,
            **values,
        )


class WorkplanViewSet(
    ServiceCreateMixin, CheckedUpdateMixin, ETagRetrieveMixin, ReadViewSet
):
    """Annual workplans and their priorities."""

    serializer_class = s.WorkplanSerializer
    permission_classes = [permissions.WorkstreamWorkPermission]
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
            workplan=serializer.instance, expected_row_version=expected, **data
        )


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


class RecommendationViewSet(ServiceCreateMixin, mixins.UpdateModelMixin, ReadViewSet):
    """Recommendations the programme answers; `has_actions=false` lists the
    ones no action answers yet (the coverage audit). Officers write."""

    serializer_class = s.RecommendationSerializer
    permission_classes = [permissions.ProgrammePermission]
    filterset_class = filters.RecommendationFilter
    ordering_fields = ["source", "number", "action_count"]

    def get_queryset(self):
        return selectors.recommendation_list()

    def perform_service_create(self, serializer):
        return services.recommendation_upsert(**serializer.validated_data)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(
            self.get_object(), data=request.data, partial=partial
        )
        serializer.is_valid(raise_exception=True)
        saved = services.recommendation_update(
            recommendation=serializer.instance, **serializer.validated_data
        )
        return Response(self.get_serializer(self.get_fresh(saved)).data)


class SubmissionViewSet(ServiceCreateMixin, ETagRetrieveMixin, ReadViewSet):
    """Partners' proposed actions and the chairs' decisions. Partners see and
    make their own organisation's; chairs decide their workstream's."""

    serializer_class = s.SubmissionSerializer
    permission_classes = [permissions.SubmissionPermission]
    filterset_class = filters.SubmissionFilter
    ordering_fields = ["created_at", "status", "decided_at"]

    def get_queryset(self):
        return selectors.submission_list(user=self.request.user)

    def perform_service_create(self, serializer):
        user = self.request.user
        permissions.check_can_create_submission(user)
        data = dict(serializer.validated_data)
        chosen = data.pop("organisation", None)
        principal = rules.principal_for(user)
        if principal.is_partner:
            organisation = Organisation.objects.get(pk=principal.organisation_id)
        elif chosen is None:
            raise ValidationError({"organisation": "Choose the organisation."})
        else:
            organisation = chosen
        return services.submission_create(
            organisation=organisation, submitted_by=user, **data
        )

    def _decided(self, submission):
        return Response(self.get_serializer(self.get_fresh(submission)).data)

    @extend_schema(
        request=s.SubmissionAcceptSerializer, responses=s.SubmissionSerializer
    )
    @route(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        submission = self.get_object()
        body = s.SubmissionAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decided(
            services.submission_accept(
                submission=submission,
                user=request.user,
                workplan=body.validated_data.get("workplan"),
            )
        )

    @extend_schema(
        request=s.SubmissionReasonSerializer, responses=s.SubmissionSerializer
    )
    @route(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        submission = self.get_object()
        body = s.SubmissionReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decided(
            services.submission_reject(
                submission=submission,
                user=request.user,
                reason=body.validated_data["reason"],
            )
        )

    @extend_schema(
        request=s.SubmissionReasonSerializer, responses=s.SubmissionSerializer
    )
    @route(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, pk=None):
        submission = self.get_object()
        body = s.SubmissionReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decided(
            services.submission_request_info(
                submission=submission,
                user=request.user,
                reason=body.validated_data["reason"],
            )
        )
