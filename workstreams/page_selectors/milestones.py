"""The action page's milestones panel: each milestone with whether it is done
or overdue (in words), the % complete, and what the user may do: one query
for the action's milestones, whatever their number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from workstreams import rules
from workstreams.models import Action, Milestone
from workstreams.percent_complete import PercentComplete, percent_complete


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    state: str  # "done", "overdue" or "to_do"
    words: str  # "Done on 3 March 2026", "Overdue: due 1 March 2026", "Due …"


@dataclass(frozen=True)
class MilestonesPanel:
    rows: list[MilestoneRow]
    percent: PercentComplete
    can_edit: bool


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def milestone_row(milestone: Milestone, today: dt.date) -> MilestoneRow:
    if milestone.done:
        return MilestoneRow(milestone, "done", f"Done on {_day(milestone.done_on)}")
    if milestone.overdue_on(today):
        return MilestoneRow(
            milestone, "overdue", f"Overdue: was due {_day(milestone.due_on)}"
        )
    if milestone.due_on:
        return MilestoneRow(milestone, "to_do", f"To do: due {_day(milestone.due_on)}")
    return MilestoneRow(milestone, "to_do", "To do: no due date")


def action_percent(action: Action, milestones: list[Milestone]) -> PercentComplete:
    """The action's % complete from its (already fetched) milestones."""
    return percent_complete(
        set_by_hand=action.percent_complete,
        milestones_done=sum(1 for m in milestones if m.done),
        milestones_total=len(milestones),
    )


def milestones_panel(*, user, action: Action) -> MilestonesPanel:
    milestones = list(
        Milestone.objects.filter(action=action).order_by("position", "due_on", "id")
    )
    today = timezone.localdate()
    return MilestonesPanel(
        rows=[milestone_row(m, today) for m in milestones],
        percent=action_percent(action, milestones),
        can_edit=rules.action_open(action) and rules.can_edit_action(user, action),
    )


def _count(done: bool | None):
    rows = Milestone.objects.filter(action=OuterRef("pk"))
    if done:
        rows = rows.filter(done_on__isnull=False)
    counted = rows.order_by().values("action").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


#: Annotate a queryset of actions with these (``.annotate(**MILESTONE_COUNTS)``)
#: for `listed_percent`: two subqueries in the list's one query, none per row.
MILESTONE_COUNTS = {"milestones_total": _count(None), "milestones_done": _count(True)}


def listed_percent(action: Action) -> PercentComplete:
    """% complete of an action annotated with `MILESTONE_COUNTS`."""
    return percent_complete(
        set_by_hand=action.percent_complete,
        milestones_done=getattr(action, "milestones_done", 0),
        milestones_total=getattr(action, "milestones_total", 0),
    )
