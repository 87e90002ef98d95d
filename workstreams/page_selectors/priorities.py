"""Read-models for the chairs' priority pages and for starting next year's
workplan: each a fixed number of queries whatever the number of priorities
and actions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from workstreams.models import Action, Workplan, WorkplanPriority, Workstream
from workstreams.services.carry_forward import (
    a_year_later,
    next_workplan,
    next_year_label,
    unfinished_actions,
)


def priority_get(pk: int) -> WorkplanPriority:
    """The priority with its workplan and workstream (for the permission check)."""
    return get_object_or_404(
        WorkplanPriority.objects.select_related("workplan__workstream"), pk=pk
    )


def workplan_get(pk: int) -> Workplan:
    return get_object_or_404(Workplan.objects.select_related("workstream"), pk=pk)


def priorities_counted(workplan: Workplan) -> list[WorkplanPriority]:
    """The workplan's priorities in order, each with ``action_count`` (its
    actions not archived)."""
    return list(
        WorkplanPriority.objects.filter(workplan=workplan)
        .annotate(
            action_count=Count("actions", filter=Q(actions__archived_at__isnull=True))
        )
        .order_by("position", "id")
    )


@dataclass
class AssignPage:
    workstream: Workstream
    workplan: Workplan
    actions: list[Action]
    priorities: list[WorkplanPriority]


def assign_page(workplan: Workplan) -> AssignPage:
    """The workplan's actions (not archived) in their current order, and its
    priorities in theirs."""
    actions = (
        Action.objects.filter(workplan=workplan, archived_at__isnull=True)
        .select_related("priority")
        .order_by("priority__position", "due_date", "id")
    )
    return AssignPage(
        workstream=workplan.workstream,
        workplan=workplan,
        actions=list(actions),
        priorities=list(workplan.priorities.order_by("position", "id")),
    )


@dataclass
class NextYearPage:
    workstream: Workstream
    workplan: Workplan
    existing: Workplan | None
    actions: list[Action]
    priorities: list[WorkplanPriority]
    finished_count: int
    initial: dict


def next_year_page(workplan: Workplan) -> NextYearPage:
    """What can be carried forward from ``workplan``, with the new year's
    label and dates a year on, everything unfinished ticked; ``existing``: the
    workplan for that year, if the workstream has one already."""
    actions = list(unfinished_actions(workplan).select_related("priority"))
    priorities = list(workplan.priorities.order_by("position", "id"))
    finished = (
        workplan.actions.exclude(pk__in=[a.pk for a in actions]).count()
        if actions
        else workplan.actions.count()
    )
    return NextYearPage(
        workstream=workplan.workstream,
        workplan=workplan,
        existing=next_workplan(workplan),
        actions=actions,
        priorities=priorities,
        finished_count=finished,
        initial={
            "year_label": next_year_label(workplan.year_label),
            "starts_on": a_year_later(workplan.starts_on),
            "ends_on": a_year_later(workplan.ends_on),
            "actions": [action.pk for action in actions],
            "priorities": [priority.pk for priority in priorities],
        },
    )
