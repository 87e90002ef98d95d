"""Starting next year's workplan from this year's (issue 17).

The chair chooses which unfinished actions and which priorities go on; one
service makes the new draft workplan with copies of them, each copy linked to
what it was carried forward from (``carried_from``). The old workplan is left
as it is: its actions keep their progress updates and their record.
"""

from __future__ import annotations

import datetime as dt
import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from marmot.services import row_lock
from workstreams.models import Action, Workplan, WorkplanPriority
from workstreams.services.workplans import workplan_create

#: What stops an action being carried forward: it is done with.
FINISHED_STATUSES = (Action.Status.COMPLETED, Action.Status.CANCELLED)
#: The action's fields a copy keeps (besides its priority and links).
COPIED_FIELDS = (
    "title",
    "description",
    "lead_organisation_id",
    "lead_person",
    "lead_user_id",
    "status",
    "rag",
    "is_next_step",
    "start_date",
    "due_date",
    "source",
)
COPIED_LINKS = ("activities", "recommendations", "principles")
CHANGE_REASON = "Carried forward from {year}"


def unfinished_actions(workplan: Workplan):
    """The actions of ``workplan`` that may be carried forward: not completed,
    cancelled or archived."""
    return (
        workplan.actions.filter(archived_at__isnull=True)
        .exclude(status__in=FINISHED_STATUSES)
        .order_by("priority__position", "due_date", "id")
    )


def next_year_label(year_label: str) -> str:
    """The label of the year after: "2024/25" → "2025/26", "2024" → "2025";
    "" when the label is in neither form."""
    if match := re.fullmatch(r"(\d{4})/(\d{2})", year_label):
        start = int(match[1]) + 1
        return f"{start}/{(start + 1) % 100:02d}"
    if re.fullmatch(r"\d{4}", year_label):
        return str(int(year_label) + 1)
    return ""


def a_year_later(day: dt.date) -> dt.date:
    """The same day a year later (29 February: the 28th)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def next_workplan(workplan: Workplan) -> Workplan | None:
    """The workstream's workplan for the year after ``workplan``, if any."""
    label = next_year_label(workplan.year_label)
    if not label:
        return None
    return Workplan.objects.filter(
        workstream_id=workplan.workstream_id, year_label=label
    ).first()


@transaction.atomic
def workplan_carry_forward(
    *,
    workplan: Workplan,
    year_label: str,
    starts_on: dt.date,
    ends_on: dt.date,
    action_ids: list[int],
    priority_ids: list[int],
    user=None,
) -> Workplan:
    """Start a new draft workplan of the same workstream from ``workplan``.

    The chosen priorities are copied in their order (numbered 1..n), the
    chosen actions with their status, RAG, lead, dates and links (activities,
    recommendations, principles); a copied action goes under the copy of its
    priority when that priority is carried too, otherwise under none. Each
    copy's ``carried_from`` names its original; progress updates stay with
    the original. Refused with a ValidationError, nothing written: a year the
    workstream already has a workplan for (``year_label``), an action that is
    not an unfinished one of ``workplan`` (``action_ids``), a priority of
    another workplan (``priority_ids``). A fixed number of queries whatever
    the number of actions. The old workplan is not changed.
    """
    workplan = row_lock(workplan)  # one carry-forward of a workplan at a time
    errors = {}
    actions = list(
        unfinished_actions(workplan)
        .filter(pk__in=action_ids)
        .select_related("priority")
        .order_by("priority__position", "due_date", "id")
    )
    if missing := sorted(set(action_ids) - {a.pk for a in actions}):
        errors["action_ids"] = (
            "Only the unfinished actions of the "
            f"{workplan.year_label} workplan can be carried forward (not: "
            f"{', '.join(map(str, missing))})."
        )
    priorities = list(
        workplan.priorities.filter(pk__in=priority_ids).order_by("position", "id")
    )
    if missing := sorted(set(priority_ids) - {p.pk for p in priorities}):
        errors["priority_ids"] = (
            f"Only the {workplan.year_label} workplan's own priorities can be "
            f"carried forward (not: {', '.join(map(str, missing))})."
        )
    if errors:
        raise ValidationError(errors)
    new = workplan_create(
        workstream=workplan.workstream,
        year_label=year_label,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    reason = CHANGE_REASON.format(year=workplan.year_label)
    copies = bulk_create_with_history(
        [
            WorkplanPriority(
                workplan=new,
                title=priority.title,
                description=priority.description,
                position=position,
                carried_from=priority,
            )
            for position, priority in enumerate(priorities, start=1)
        ],
        WorkplanPriority,
        default_user=user,
        default_change_reason=reason,
    )
    copy_of = {copy.carried_from_id: copy.pk for copy in copies}
    carried = bulk_create_with_history(
        [_action_copy(action, new, copy_of) for action in actions],
        Action,
        default_user=user,
        default_change_reason=reason,
    )
    _links_copy(carried)
    return new


def _action_copy(action: Action, workplan: Workplan, copy_of: dict) -> Action:
    """A copy of a saved (so valid) action in ``workplan``: not cleaned again,
    which would query each of its foreign keys."""
    return Action(
        workplan=workplan,
        priority_id=copy_of.get(action.priority_id),
        carried_from=action,
        **{name: getattr(action, name) for name in COPIED_FIELDS},
    )


def _links_copy(carried: list[Action]) -> None:
    """The copies' many-to-many links, as their originals', and the rows the
    history keeps of them (those ``set()`` would have made): a few bulk
    inserts, whatever the number of actions."""
    if not carried:
        return
    new_for = {action.carried_from_id: action.pk for action in carried}
    history = dict(
        Action.history.filter(id__in=new_for.values()).values_list("id", "history_id")
    )
    for name in COPIED_LINKS:
        through = getattr(Action, name).through
        target = next(
            f.name for f in through._meta.fields if f.is_relation and f.name != "action"
        )
        links = through.objects.filter(action_id__in=new_for).values_list(
            "action_id", f"{target}_id"
        )
        created = through.objects.bulk_create(
            [
                through(action_id=new_for[old], **{f"{target}_id": other})
                for old, other in links
            ]
        )
        historical = apps.get_model("workstreams", f"HistoricalAction_{name}")
        historical.objects.bulk_create(
            [
                historical(
                    id=row.pk,
                    action_id=row.action_id,
                    history_id=history[row.action_id],
                    **{f"{target}_id": getattr(row, f"{target}_id")},
                )
                for row in created
            ]
        )
