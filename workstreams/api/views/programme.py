"""Viewsets for the programme: principles, organisations, workstreams and
recommendations. Everyone reads; officers write and delete."""

from django.core.exceptions import ValidationError
from django.db.models import F, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema, extend_schema_view

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
from workstreams.models import Organisation, Recommendation
from workstreams.page_selectors.on_track import on_track_judgements


@extend_schema_view(
    destroy=delete_schema(
        "Delete a principle nothing is classified under: refused while "
        "indicators, recommendations, workstreams, actions or submissions name it."
    )
)
class PrincipleViewSet(
    ServiceCreateMixin,
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ServiceDestroyMixin,
    ReadViewSet,
):
    """The eight Marmot principles. Everyone reads; officers write."""

    serializer_class = s.PrincipleSerializer
    permission_classes = [permissions.ProgrammePermission]
    filterset_class = filters.PrincipleFilter
    ordering_fields = ["number", "title"]

    def get_queryset(self):
        return selectors.principle_list()

    def perform_service_create(self, serializer):
        return services.principle_upsert(**serializer.validated_data)

    def perform_checked_update(self, serializer, expected):
        return services.principle_update(
            principle=serializer.instance,
            expected_row_version=expected,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        services.principle_delete(principle=instance)


@extend_schema_view(
    destroy=delete_schema(
        "Delete a partner organisation: refused while it leads actions, has "
        "made submissions or has partner accounts."
    )
)
class OrganisationViewSet(
    ServiceCreateMixin,
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ServiceDestroyMixin,
    ReadViewSet,
):
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

    def perform_checked_update(self, serializer, expected):
        return services.organisation_update(
            organisation=serializer.instance,
            expected_row_version=expected,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        services.organisation_delete(organisation=instance)


class WorkstreamViewSet(
    ServiceCreateMixin, CheckedUpdateMixin, ETagRetrieveMixin, ReadViewSet
):
    """Workstreams with their chair, principles, current logic model and current
    workplan (actions counted by status and RAG). Everyone reads; officers
    write (chair, deputies and principles by id); no delete."""

    serializer_class = s.WorkstreamSerializer
    permission_classes = [permissions.ProgrammePermission]
    filterset_class = filters.WorkstreamFilter
    ordering_fields = ["display_order", "name", "slug"]
    lookup_field = "slug"
    # Any segment reaches the view, so a bad slug is the API's JSON 404, not
    # the site's HTML one (DRF's default pattern refuses dots).
    lookup_value_regex = "[^/]+"

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
            context["on_track"] = on_track_judgements(
                user=self.request.user,
                workstreams=rows,
                workplans={
                    pk: summary.workplan.workplan if summary.workplan else None
                    for pk, summary in context["summaries"].items()
                },
            )
        return super().get_serializer(*args, **kwargs)

    @extend_schema(request=s.WorkstreamWriteSerializer)
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=s.WorkstreamWriteSerializer)
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=s.WorkstreamWriteSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def perform_service_create(self, serializer):
        return services.workstream_upsert(**serializer.validated_data)

    def perform_checked_update(self, serializer, expected):
        return services.workstream_update(
            workstream=serializer.instance,
            expected_row_version=expected,
            **serializer.validated_data,
        )


@extend_schema_view(
    destroy=delete_schema(
        "Delete a recommendation entered by mistake: refused while actions "
        "answer it or submissions say they support it."
    )
)
class RecommendationViewSet(
    ServiceCreateMixin,
    CheckedUpdateMixin,
    ETagRetrieveMixin,
    ServiceDestroyMixin,
    ReadViewSet,
):
    """Recommendations the programme answers; `has_actions=false` lists the
    ones no action answers yet (the coverage audit). Officers write."""

    serializer_class = s.RecommendationSerializer
    permission_classes = [permissions.ProgrammePermission]
    filterset_class = filters.RecommendationFilter
    ordering_fields = ["source", "number", "action_count"]

    def get_queryset(self):
        """With ``action_count``: the answering actions the reader may see
        (``filters.answering_actions``), never a draft's (issue 14)."""
        answers = (
            filters.answering_actions(self.request.user)
            .filter(recommendations=OuterRef("pk"))
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n")
        )
        return (
            Recommendation.objects.select_related("workstream", "principle")
            .annotate(
                action_count=Coalesce(Subquery(answers, output_field=IntegerField()), 0)
            )
            .order_by("source", "number")
        )

    def perform_service_create(self, serializer):
        return services.recommendation_upsert(**serializer.validated_data)

    def perform_checked_update(self, serializer, expected):
        return services.recommendation_update(
            recommendation=serializer.instance,
            expected_row_version=expected,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        services.recommendation_delete(recommendation=instance)
