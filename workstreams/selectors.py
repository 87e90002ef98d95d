"""Reads for the workstreams app: querysets scoped by the rules, and summaries
computed for a whole page of rows in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from indicators.models import Indicator, MarmotPrinciple
from indicators.rules import visible_indicators
from indicators.selectors import IndicatorLatest, indicator_latest_values
from marmot import roles
from marmot.principals import principal_for
from workstreams import rules
from workstreams.models import (
    Action,
    LogicModel,
    LogicModelItem,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Submission,
    Workplan,
    WorkplanPriority,
    Workstream,
)


def principle_list() -> QuerySet[MarmotPrinciple]:
    return MarmotPrinciple.objects.all()


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.all()


def workstream_list() -> QuerySet[Workstream]:
    return Workstream.objects.select_related("chair").prefetch_related("principles")


def recommendation_list() -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.select_related("workstream", "principle")
        .annotate(action_count=Count("actions", distinct=True))
        .order_by("source", "number")
    )


def workplan_list(*, user) -> QuerySet[Workplan]:
    queryset = Workplan.objects.select_related("workstream").prefetch_related(
        "priorities"
    )
    return rules.visible_workplans(user, queryset)


def workplan_priority_list(*, user) -> QuerySet[WorkplanPriority]:
    """Priorities of the workplans the user may see, with their action counts,
    in workstream and workplan order, then their own (ordered explicitly: a
    GROUP BY query ignores ``Meta.ordering``).

    The count is a subquery per row, not a GROUP BY over every action: so
    PostgreSQL counts only the page it returns, and the page's total is a
    plain count of priorities."""
    actions = (
        Action.objects.filter(priority=OuterRef("pk"), archived_at=None)
        .order_by()
        .values("priority")
        .annotate(n=Count("id"))
        .values("n")
    )
    queryset = (
        WorkplanPriority.objects.select_related("workplan__workstream")
        .annotate(action_count=Coalesce(Subquery(actions), 0))
        .order_by(
            "workplan__workstream__display_order",
            "-workplan__starts_on",
            "position",
            "id",
        )
    )
    return rules.visible_workplans(user, queryset, prefix="workplan__")


def action_list(*, user) -> QuerySet[Action]:
    queryset = Action.objects.select_related(
        "workplan__workstream", "priority", "lead_organisation"
    ).prefetch_related("principles", "activities", "recommendations")
    return rules.visible_actions(user, queryset)


def progress_update_list(*, user) -> QuerySet[ProgressUpdate]:
    queryset = ProgressUpdate.objects.select_related(
        "action__workplan", "author"
    ).prefetch_related("evidence_files")
    return rules.visible_progress_updates(user, queryset)


def logic_model_list(*, user) -> QuerySet[LogicModel]:
    indicators = visible_indicators(user, Indicator.objects.all())
    actions = rules.visible_actions(user, Action.objects.only("id", "status", "title"))
    items = LogicModelItem.objects.prefetch_related(
        Prefetch("indicators", queryset=indicators),
        Prefetch("actions", queryset=actions),
    )
    queryset = LogicModel.objects.select_related("workstream").prefetch_related(
        Prefetch("items", queryset=items)
    )
    return rules.visible_logic_models(user, queryset)


def submission_list(*, user) -> QuerySet[Submission]:
    queryset = Submission.objects.select_related(
        "organisation", "workstream", "submitted_by", "decided_by"
    ).prefetch_related("principles")
    return rules.visible_submissions(user, queryset)


# --- summaries for a page of rows ------------------------------------------


@dataclass
class WorkplanSummary:
    workplan: Workplan
    action_count: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_rag: dict[str, int] = field(default_factory=dict)


@dataclass
class WorkstreamSummary:
    logic_model: LogicModel | None = None
    logic_model_item_counts: dict[str, int] = field(default_factory=dict)
    workplan: WorkplanSummary | None = None


def workstream_summaries(*, user, workstream_ids) -> dict[int, WorkstreamSummary]:
    """Each workstream's current logic model and current workplan with its
    actions counted by status and RAG: four queries for any number of rows.

    The current workplan is the latest one the user can see that is not closed.
    """
    ids = list(workstream_ids)
    summaries = {pk: WorkstreamSummary() for pk in ids}
    current = LogicModel.objects.filter(
        workstream_id__in=ids, status=LogicModel.Status.CURRENT
    ).annotate(item_count=Count("items"))
    for logic_model in current:
        summaries[logic_model.workstream_id].logic_model = logic_model
    workplans = rules.visible_workplans(
        user, Workplan.objects.filter(workstream_id__in=ids)
    ).exclude(status=Workplan.Status.CLOSED)
    for workplan in workplans.order_by("workstream_id", "-starts_on"):
        summary = summaries[workplan.workstream_id]
        if summary.workplan is None:
            summary.workplan = WorkplanSummary(workplan=workplan)
    by_workplan = {
        s.workplan.workplan.pk: s.workplan for s in summaries.values() if s.workplan
    }
    counts = (
        Action.objects.filter(workplan_id__in=list(by_workplan), archived_at=None)
        .values("workplan_id", "status", "rag")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in counts:
        summary = by_workplan[row["workplan_id"]]
        summary.action_count += row["n"]
        status, rag = row["status"], row["rag"] or "none"
        summary.by_status[status] = summary.by_status.get(status, 0) + row["n"]
        summary.by_rag[rag] = summary.by_rag.get(rag, 0) + row["n"]
    return summaries


def indicator_latest_by_id(*, user, logic_models) -> dict[int, IndicatorLatest]:
    """The latest values of the indicators linked from these (prefetched) logic
    models' items: the fixed queries of ``indicator_latest_values``."""
    ids: set[int] = set()
    for logic_model in logic_models:
        for item in logic_model.items.all():
            ids.update(indicator.pk for indicator in item.indicators.all())
    if not ids:
        return {}
    published_only = not (
        principal_for(user).reads_everything
        or principal_for(user).chaired_workstream_ids
    )
    latest = indicator_latest_values(
        indicator_ids=sorted(ids), published_only=published_only
    )
    return {entry.indicator.pk: entry for entry in latest}


def action_status_counts(actions) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for action in actions:
        counts[action.status] += 1
    return dict(counts)


#: A user's part in a workstream they chair or deputise (``me_record``).
CHAIR, DEPUTY = "chair", "deputy"


def me_record(user) -> dict:
    """The user's own record (``GET /api/v1/me/``, ``MeSerializer``): their
    `Principal` (the one rule for what they chair and which organisation they
    speak for, ``workstreams.rules.principal_scope``), then those workstreams
    and that organisation by name. Roles are the role groups they are in
    (`marmot.roles`), in that module's order; a superuser is an officer."""
    principal = principal_for(user)
    groups = set(user.groups.values_list("name", flat=True))
    if principal.officer:  # a superuser is an officer (marmot.principals)
        groups.add(roles.OFFICER)
    workstreams = (
        Workstream.objects.filter(pk__in=principal.chaired_workstream_ids)
        .order_by("display_order", "name")
        .values("id", "slug", "name", "chair_id")
    )
    organisation = (
        Organisation.objects.filter(pk=principal.organisation_id).first()
        if principal.is_partner
        else None
    )
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "email": user.email,
        "roles": [role for role in roles.ALL_ROLES if role in groups],
        "workstreams": [
            {**row, "role": CHAIR if row["chair_id"] == user.pk else DEPUTY}
            for row in workstreams
        ],
        "organisation": organisation,
    }
