"""Services for workplans: their year and details, priorities (and which
priority each action is under) and deletion.

Status changes obey :mod:`workstreams.services.workplan_status`; actions live
in :mod:`workstreams.services.actions`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from marmot.services import (
    StaleRowVersion,
    record_upsert,
    row_delete,
    row_lock,
    row_version_bump,
    row_version_claim,
)
from workstreams import rules
from workstreams.models import Action, Workplan, WorkplanPriority, Workstream
from workstreams.services.workplan_status import (
    PublishedRecordError,
    record_open_check,
    status_move,
    workplan_lock,
)

Status = Workplan.Status


@transaction.atomic
def workplan_upsert(
    *,
    workstream: Workstream,
    year_label: str,
    starts_on: dt.date,
    ends_on: dt.date,
    status: str = Status.DRAFT,
    signed_off_on: dt.date | None = None,
    signed_off_at: str = "",
) -> Workplan:
    """Create or update a workstream's workplan for a year, keyed by its label.

    For loaders, which record a programme as published (any status); people's
    changes go through :func:`workplan_update` and :func:`workplan_status_change`.
    """
    workplan, _ = record_upsert(
        model=Workplan,
        lookup={"workstream": workstream, "year_label": year_label},
        values={
            "starts_on": starts_on,
            "ends_on": ends_on,
            "status": status,
            "signed_off_on": signed_off_on,
            "signed_off_at": signed_off_at,
        },
    )
    return workplan


WORKPLAN_UPDATE_FIELDS = (
    "year_label",
    "starts_on",
    "ends_on",
    "status",
    "signed_off_on",
    "signed_off_at",
)


SIGN_OFF_FIELDS = ("signed_off_on", "signed_off_at")


def _record_check(workplan: Workplan, values: dict[str, Any]) -> None:
    """The published-record rule for a change of fields (ADR 22): nothing of a
    closed workplan changes; the sign-off date and meeting change only as the
    workplan is signed off; a signed-off workplan keeps its year and dates."""
    changed = [
        name
        for name in WORKPLAN_UPDATE_FIELDS
        if name != "status" and values[name] != getattr(workplan, name)
    ]
    if not changed:
        return
    year = f"The {workplan.year_label} workplan"
    if not rules.workplan_open(workplan):
        message = f"{year} is closed: its record is final."
        raise PublishedRecordError(dict.fromkeys(changed, message))
    # Signing off sets them; reopening as a draft clears them (status_move).
    moving = values["status"] != workplan.status
    sets_sign_off = moving and values["status"] in (Status.SIGNED_OFF, Status.DRAFT)
    sign_off = [name for name in changed if name in SIGN_OFF_FIELDS]
    if sign_off and not sets_sign_off:
        message = (
            "The sign-off date and meeting change only as the workplan is signed "
            "off, with its status (POST /workplans/{id}/status/ in the API), "
            "never on their own."
        )
        raise PublishedRecordError(dict.fromkeys(sign_off, message))
    details = [name for name in changed if name not in SIGN_OFF_FIELDS]
    if details and not rules.workplan_details_open(workplan):
        message = (
            f"{year} is signed off: its year and dates are the published record. "
            "An officer can reopen it as a draft to change them."
        )
        raise PublishedRecordError(dict.fromkeys(details, message))


def _year_free_check(workstream_id: int, year_label: str, pk=None) -> None:
    taken = Workplan.objects.filter(workstream_id=workstream_id, year_label=year_label)
    if taken.exclude(pk=pk).exists():
        raise ValidationError(
            {"year_label": "This workstream already has a workplan for that year."}
        )


@transaction.atomic
def workplan_create(*, workstream: Workstream, year_label: str, **fields) -> Workplan:
    """Add a workplan for a year the workstream has none for. It starts as a
    draft and moves on through :func:`workplan_status_change`."""
    status = fields.pop("status", Status.DRAFT)
    if status != Status.DRAFT:
        raise ValidationError(
            {"status": "A new workplan starts as a draft; then change its status."}
        )
    given = [name for name in SIGN_OFF_FIELDS if fields.get(name)]
    if given:
        message = "A new workplan is a draft: it is signed off later, with its status."
        raise ValidationError(dict.fromkeys(given, message))
    _year_free_check(workstream.pk, year_label)
    return workplan_upsert(workstream=workstream, year_label=year_label, **fields)


@transaction.atomic
def workplan_update(
    *,
    workplan: Workplan,
    expected_row_version: int | None = None,
    user=None,
    **changes: Any,
) -> Workplan:
    """Change some of a workplan's fields (``WORKPLAN_UPDATE_FIELDS``).

    A new ``status`` obeys :func:`workplan_status_change` (``user`` decides
    whether a reopening is allowed). The published record stays as agreed
    (ADR 22): a closed workplan changes no field; a signed-off one keeps its
    year and dates; the sign-off date and meeting change only with a move to
    signed off. A refusal raises ``PublishedRecordError`` and writes nothing.
    """
    unknown = set(changes) - set(WORKPLAN_UPDATE_FIELDS)
    if unknown:
        raise TypeError(f"workplan_update() cannot change {', '.join(sorted(unknown))}")
    workplan = workplan_lock(workplan, expected_row_version)
    values = workplan_update_values(workplan=workplan, user=user, changes=changes)
    workplan, _ = record_upsert(
        model=Workplan, lookup={"pk": workplan.pk}, values=values
    )
    return workplan


def workplan_update_values(
    *, workplan: Workplan, user, changes: dict[str, Any]
) -> dict[str, Any]:
    """Check ``changes`` to ``workplan`` as :func:`workplan_update` does and
    return the values it would save; writes nothing (the admin's form asks
    it before saving, to show a refusal as a form error)."""
    values = {name: getattr(workplan, name) for name in WORKPLAN_UPDATE_FIELDS}
    values.update(changes)
    _record_check(workplan, values)
    if values["status"] != workplan.status:
        date = values["signed_off_on"]
        if values["status"] != Status.SIGNED_OFF and date == workplan.signed_off_on:
            date = None  # the date as it was is not a new one
        values.update(
            status_move(
                workplan=workplan,
                status=values["status"],
                user=user,
                signed_off_on=date,
                signed_off_at=values["signed_off_at"],
            )
        )
    _year_free_check(workplan.workstream_id, values["year_label"], pk=workplan.pk)
    return values


@transaction.atomic
def workplan_delete(*, workplan: Workplan) -> None:
    """Delete a workplan made by mistake: refused while it has actions (they
    hold the progress record; delete the ones added by mistake first, ADR 22).
    Its priorities go with it."""
    workplan = row_lock(workplan)
    row_delete(
        instance=workplan,
        name=f"The {workplan.year_label} workplan",
        uses={("action", "actions"): workplan.actions.count()},
        advice="Delete its actions first; one with a public record (progress "
        "updates, an accepted submission) is never deleted, so neither is the "
        "workplan.",
    )


# --- priorities ---------------------------------------------------------------


@transaction.atomic
def workplan_priority_upsert(
    *, workplan: Workplan, title: str, position: int, description: str = ""
) -> WorkplanPriority:
    """Create or update a workplan's priority, keyed by its title (loaders)."""
    priority, _ = record_upsert(
        model=WorkplanPriority,
        lookup={"workplan": workplan, "title": title},
        values={"position": position, "description": description},
    )
    return priority


def _title_free_check(workplan_id: int, title: str, pk=None) -> None:
    same = WorkplanPriority.objects.filter(workplan_id=workplan_id, title=title)
    if same.exclude(pk=pk).exists():
        raise ValidationError(
            {"title": "This workplan already has a priority with that title."}
        )


@transaction.atomic
def workplan_priority_create(
    *, workplan: Workplan, title: str, description: str = ""
) -> WorkplanPriority:
    """Add a priority at the end of the workplan's list (reorder to move it).

    The workplan's ``row_version`` moves: its priorities are part of it.
    """
    workplan = row_lock(workplan)  # one position at a time
    record_open_check(workplan, "add a priority")
    _title_free_check(workplan.pk, title)
    last = workplan.priorities.aggregate(last=Max("position"))["last"] or 0
    priority = WorkplanPriority(
        workplan=workplan, title=title, description=description, position=last + 1
    )
    priority.full_clean()
    priority.save()
    row_version_bump(instance=workplan)
    return priority


PRIORITY_UPDATE_FIELDS = ("title", "description")


@transaction.atomic
def workplan_priority_update(
    *,
    priority: WorkplanPriority,
    expected_row_version: int | None = None,
    priority_row_version: int | None = None,
    **changes: Any,
) -> WorkplanPriority:
    """Change a priority's title or description (its place: reorder).

    With ``expected_row_version`` (the workplan's: its priorities are part of
    it) or ``priority_row_version`` (the priority's own, the API's ETag) a
    change made meanwhile raises StaleRowVersion and nothing is saved."""
    unknown = set(changes) - set(PRIORITY_UPDATE_FIELDS)
    if unknown:
        raise TypeError(
            f"workplan_priority_update() cannot change {', '.join(sorted(unknown))}"
        )
    workplan = workplan_lock(priority.workplan, expected_row_version)
    row_version_claim(
        model=WorkplanPriority, pk=priority.pk, expected=priority_row_version
    )
    record_open_check(workplan, "change its priorities")
    if "title" in changes:
        _title_free_check(priority.workplan_id, changes["title"], pk=priority.pk)
    values = {name: getattr(priority, name) for name in PRIORITY_UPDATE_FIELDS}
    values.update(changes)
    priority, saved = record_upsert(
        model=WorkplanPriority, lookup={"pk": priority.pk}, values=values
    )
    if saved:
        row_version_bump(instance=workplan)
    return priority


def _renumber(priorities: list[WorkplanPriority]) -> bool:
    """Number the priorities 1..n in this order; True if any moved. A moved
    priority's ``row_version`` moves too (its place is part of it)."""
    moved = [
        priority
        for position, priority in enumerate(priorities, start=1)
        if priority.position != position
    ]
    now = timezone.now()
    for position, priority in enumerate(priorities, start=1):
        if priority.position != position:
            priority.row_version += 1
            priority.updated_at = now
        priority.position = position
    bulk_update_with_history(  # audited
        moved, WorkplanPriority, ["position", "row_version", "updated_at"]
    )
    return bool(moved)


@transaction.atomic
def workplan_priority_delete(*, priority: WorkplanPriority) -> None:
    """Delete a priority no action uses; the rest close up (1..n).

    Refused while actions are under it: move them to another priority (or
    none) first, so no action silently loses its place in the plan.
    """
    workplan = row_lock(priority.workplan)
    record_open_check(workplan, "delete its priorities")
    priority = row_lock(priority)
    titles = list(priority.actions.values_list("title", flat=True)[:4])
    named = "; ".join(f'"{t[:60]}"' for t in titles[:3])
    more = ", …" if len(titles) > 3 else ""
    row_delete(
        instance=priority,
        name=f'The priority "{priority.title}"',
        uses={("action", "actions"): priority.actions.count()},
        advice=f"Move them ({named}{more}) to another priority, or to none, first.",
    )
    _renumber(list(workplan.priorities.order_by("position", "id")))
    row_version_bump(instance=workplan)


@transaction.atomic
def workplan_priorities_reorder(
    *,
    workplan: Workplan,
    priority_ids: list[int],
    expected_row_version: int | None = None,
) -> Workplan:
    """Put the workplan's priorities in this order, numbered 1..n.

    ``priority_ids`` must hold each of the workplan's priorities exactly once;
    otherwise a ValidationError on ``priority_ids`` names the missing, the
    foreign and the repeated ids, and nothing changes. With
    ``expected_row_version`` a change to the workplan made meanwhile raises
    StaleRowVersion.
    """
    workplan = workplan_lock(workplan, expected_row_version)
    record_open_check(workplan, "reorder its priorities")
    priorities = {p.pk: p for p in workplan.priorities.all()}
    given = list(priority_ids)
    problems = []
    if missing := sorted(set(priorities) - set(given)):
        problems.append(f"missing {_ids(missing)}")
    if extra := sorted(set(given) - set(priorities)):
        problems.append(f"not priorities of this workplan: {_ids(extra)}")
    if repeated := sorted({pk for pk in given if given.count(pk) > 1}):
        problems.append(f"given more than once: {_ids(repeated)}")
    if problems:
        raise ValidationError(
            {
                "priority_ids": "Send each of this workplan's priority ids exactly "
                f"once ({_ids(sorted(priorities)) or 'it has none'}): "
                + "; ".join(problems)
                + "."
            }
        )
    if _renumber([priorities[pk] for pk in given]):
        row_version_bump(instance=workplan)
    return workplan


def _ids(ids: list[int]) -> str:
    return ", ".join(str(pk) for pk in ids)


# --- which priority each action is under ---------------------------------------


@dataclass(frozen=True)
class PriorityAssignment:
    """One action's priority (``None``: not under a priority); with
    ``expected_row_version`` the action must still be at that version if it
    is to move (someone else's change is never overwritten unseen)."""

    action_id: int
    priority_id: int | None
    expected_row_version: int | None = None


class AssignmentErrors(ValidationError):
    """Some assignments cannot be made; ``rows`` maps action ids to why.
    Nothing was written."""

    def __init__(self, rows: dict[int, str]):
        self.rows = rows
        super().__init__(list(rows.values()))


class AssignmentConflict(StaleRowVersion):
    """Actions changed since the caller read them (``action_ids``); nothing
    was written."""

    def __init__(self, action_ids: list[int]):
        self.action_ids = action_ids
        super().__init__(f"Actions changed meanwhile: {_ids(action_ids)}.")


@transaction.atomic
def workplan_actions_prioritise(
    *, workplan: Workplan, assignments: list[PriorityAssignment], user=None
) -> int:
    """Put each named action of ``workplan`` under one of its priorities (or
    none), all or nothing; returns how many actions moved.

    Refused, with nothing written: a closed workplan (``PublishedRecordError``);
    an action that is not the workplan's, is archived, or is named twice, or a
    priority of another workplan (``AssignmentErrors``, by action); an action
    that would move but is no longer at its ``expected_row_version``
    (``AssignmentConflict``). Each moved action gets a history row and a new
    ``row_version``. A fixed number of queries whatever the number of actions.
    """
    workplan = row_lock(workplan)
    record_open_check(workplan, "change which priority its actions are under")
    priorities = set(workplan.priorities.values_list("pk", flat=True))
    given = [item.action_id for item in assignments]
    times = Counter(given)
    actions = {
        action.pk: action
        for action in Action.objects.select_for_update()
        .filter(workplan=workplan, pk__in=given)
        .order_by("pk")
    }
    errors = {}
    for item in assignments:
        action = actions.get(item.action_id)
        if times[item.action_id] > 1:
            errors[item.action_id] = "This action is given more than once."
        elif action is None:
            errors[item.action_id] = (
                f"This action is not in the {workplan.year_label} workplan."
            )
        elif action.archived_at is not None:
            errors[item.action_id] = (
                f"“{action.title}” is archived: its record is kept as it was."
            )
        elif item.priority_id is not None and item.priority_id not in priorities:
            errors[item.action_id] = (
                f"“{action.title}”: that priority is not one of the "
                f"{workplan.year_label} workplan's."
            )
    if errors:
        raise AssignmentErrors(errors)
    moving = [
        item
        for item in assignments
        if actions[item.action_id].priority_id != item.priority_id
    ]
    stale = [
        item.action_id
        for item in moving
        if item.expected_row_version is not None
        and actions[item.action_id].row_version != item.expected_row_version
    ]
    if stale:
        raise AssignmentConflict(stale)
    now = timezone.now()
    moved = []
    for item in moving:
        action = actions[item.action_id]
        action.priority_id = item.priority_id
        action.row_version += 1
        action.updated_at = now
        moved.append(action)
    bulk_update_with_history(
        moved,
        Action,
        ["priority", "row_version", "updated_at"],
        default_user=user,
        default_change_reason="Priority assigned",
    )
    return len(moved)
