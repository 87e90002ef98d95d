"""The consultation page of a workplan (`/workplans/<pk>/comments/`): its
priorities and actions, the comments the visitor may read, and whether they may
add one. A fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Max
from django.shortcuts import get_object_or_404

from workstreams import rules
from workstreams.models import Action, Workplan, WorkplanComment, WorkplanPriority
from workstreams.page_selectors.milestones import MILESTONE_COUNTS


@dataclass
class PriorityActions:
    priority: WorkplanPriority | None
    actions: list[Action]


@dataclass
class CommentsPage:
    workplan: Workplan
    groups: list[PriorityActions] = field(default_factory=list)
    priorities: list[WorkplanPriority] = field(default_factory=list)
    action_count: int = 0
    comments: list[WorkplanComment] = field(default_factory=list)
    sees_all: bool = False
    can_comment: bool = False


def workplan_get(pk: int) -> Workplan:
    """The workplan with its workstream (404 if there is none)."""
    return get_object_or_404(Workplan.objects.select_related("workstream"), pk=pk)


def comments_page(*, user, workplan: Workplan) -> CommentsPage:
    """The workplan's priorities in order with their actions (as the progress
    page shows them), and the comments ``user`` may read, oldest first: all
    of them for officers, oversight members and the workstream's chairs; a
    partner's own organisation's only (`rules.visible_workplan_comments`)."""
    priorities = list(
        WorkplanPriority.objects.filter(workplan=workplan).order_by("position", "id")
    )
    actions = list(
        rules.visible_actions(user, Action.objects.filter(workplan=workplan))
        .select_related("lead_organisation")
        .annotate(last_update=Max("progress_updates__reported_on"))
        .annotate(**MILESTONE_COUNTS)
        .order_by("due_date", "id")
    )
    by_priority: dict[int | None, list[Action]] = {}
    for action in actions:
        by_priority.setdefault(action.priority_id, []).append(action)
    groups = [
        PriorityActions(p, by_priority[p.pk]) for p in priorities if p.pk in by_priority
    ]
    if None in by_priority:
        groups.append(PriorityActions(None, by_priority[None]))
    comments = rules.visible_workplan_comments(
        user,
        WorkplanComment.objects.filter(workplan=workplan).select_related(
            "author", "organisation"
        ),
        workplan.workstream_id,
    ).order_by("created_at", "pk")
    return CommentsPage(
        workplan=workplan,
        groups=groups,
        priorities=priorities,
        action_count=len(actions),
        comments=list(comments),
        sees_all=rules.can_read_all_workplan_comments(user, workplan.workstream_id),
        can_comment=rules.can_comment_on_workplan(user, workplan),
    )
