"""django-filter FilterSets for workstreams: shared by the API and the pages."""

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from indicators.filters import PrincipleNumberFilter
from indicators.models import MarmotPrinciple
from marmot.api.query import WorkstreamSlugFilter
from workstreams import rules
from workstreams.models import (
    Action,
    LogicModel,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Submission,
    Workplan,
    WorkplanPriority,
    Workstream,
)

CLOSED_ACTION_STATUSES = (Action.Status.COMPLETED, Action.Status.CANCELLED)


class PrincipleFilter(filters.FilterSet):
    class Meta:
        model = MarmotPrinciple
        fields = ["number"]


class OrganisationFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "is_anchor_institution"]


class WorkstreamFilter(filters.FilterSet):
    principle = PrincipleNumberFilter(field_name="principles")

    class Meta:
        model = Workstream
        fields = ["principle"]


class LogicModelFilter(filters.FilterSet):
    workstream = WorkstreamSlugFilter(field_name="workstream")

    class Meta:
        model = LogicModel
        fields = ["workstream", "status", "version"]


class WorkplanFilter(filters.FilterSet):
    workstream = WorkstreamSlugFilter(field_name="workstream")

    class Meta:
        model = Workplan
        fields = ["workstream", "status", "year_label"]


class WorkplanPriorityFilter(filters.FilterSet):
    workstream = WorkstreamSlugFilter(field_name="workplan__workstream")

    class Meta:
        model = WorkplanPriority
        fields = ["workplan", "workstream"]


class ActionFilter(filters.FilterSet):
    workstream = WorkstreamSlugFilter(field_name="workplan__workstream")
    principle = PrincipleNumberFilter(field_name="principles")
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte")
    overdue = filters.BooleanFilter(
        method="filter_overdue",
        help_text="Due date passed and neither completed nor cancelled.",
    )
    archived = filters.BooleanFilter(
        method="filter_archived",
        help_text="true: archived actions only; false, or left out: the actions "
        "not archived. A detail URL answers for either.",
    )

    class Meta:
        model = Action
        fields = [
            "workstream",
            "workplan",
            "priority",
            "status",
            "rag",
            "lead_organisation",
            "principle",
            "source",
            "is_next_step",
        ]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(due_date__lt=timezone.localdate()) & ~Q(
            status__in=CLOSED_ACTION_STATUSES
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value)


class ProgressUpdateFilter(filters.FilterSet):
    workstream = WorkstreamSlugFilter(field_name="action__workplan__workstream")
    reported_since = filters.DateFilter(field_name="reported_on", lookup_expr="gte")
    #: Progress updates are never edited: ``updated_since`` reads when one
    #: was posted (marmot.api.query).
    updated_since_field = "created_at"

    class Meta:
        model = ProgressUpdate
        fields = ["action", "workstream", "status", "rag"]


class RecommendationFilter(filters.FilterSet):
    workstream = WorkstreamSlugFilter(field_name="workstream")
    principle = PrincipleNumberFilter()
    has_actions = filters.BooleanFilter(
        method="filter_has_actions",
        help_text="True: answered by at least one action; false: not yet (the "
        "coverage audit).",
    )

    class Meta:
        model = Recommendation
        fields = ["source", "workstream", "principle", "has_actions"]

    def filter_has_actions(self, queryset, name, value):
        user = self.request.user if self.request else None
        answered = answering_actions(user).filter(recommendations=OuterRef("pk"))
        return queryset.filter(Exists(answered) if value else ~Exists(answered))


def answering_actions(user) -> QuerySet[Action]:
    """The actions whose answers to recommendations ``user`` may count: the
    ones they may see, not archived (``rules.visible_actions``), so no count or
    filter reveals a draft."""
    return rules.visible_actions(user, Action.objects.all())


class SubmissionFilter(filters.FilterSet):
    workstream = WorkstreamSlugFilter(field_name="workstream")

    class Meta:
        model = Submission
        fields = ["workstream", "status", "organisation"]
