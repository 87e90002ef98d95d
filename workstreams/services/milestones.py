"""Milestones on an action, and its % complete set by hand.

Each write locks the action, refuses an archived action or one of a closed
workplan (ADR 22), keeps history (django-simple-history) and bumps the
action's ``row_version`` so API clients holding its ETag see the change.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from marmot.services import (
    record_upsert,
    row_lock,
    row_version_bump,
    row_version_claim,
)
from workstreams.models import Action, Milestone
from workstreams.services.workplan_status import action_open_check

MILESTONE_UPDATE_FIELDS = ("title", "due_on", "done_on", "position")


def _title_free(action: Action, title: str, milestone: Milestone | None) -> None:
    others = Milestone.objects.filter(action=action, title=title)
    if milestone is not None:
        others = others.exclude(pk=milestone.pk)
    if others.exists():
        raise ValidationError({"title": "This action already has that milestone."})


def _action_locked(action: Action, what: str) -> Action:
    locked = row_lock(action)
    locked.workplan  # noqa: B018 — the open check reads it
    action_open_check(locked, what)
    return locked


@transaction.atomic
def milestone_create(
    *,
    action: Action,
    title: str,
    due_on: dt.date | None = None,
    done_on: dt.date | None = None,
) -> Milestone:
    """Add a milestone at the end of the action's list."""
    locked = _action_locked(action, "add a milestone")
    title = title.strip()
    _title_free(locked, title, None)
    last = Milestone.objects.filter(action=locked).aggregate(last=Max("position"))
    position = 0 if last["last"] is None else last["last"] + 1
    milestone, _ = record_upsert(
        model=Milestone,
        lookup={"action": locked, "title": title},
        values={"due_on": due_on, "done_on": done_on, "position": position},
    )
    row_version_bump(instance=action)
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, expected_row_version: int | None = None, **changes
) -> Milestone:
    """Change a milestone's title, due date, done date or position
    (``MILESTONE_UPDATE_FIELDS``); nothing is written if nothing changed.
    With ``expected_row_version`` (the milestone's) a change made meanwhile
    raises StaleRowVersion."""
    unknown = set(changes) - set(MILESTONE_UPDATE_FIELDS)
    if unknown:
        raise TypeError(
            f"milestone_update() cannot change {', '.join(sorted(unknown))}"
        )
    _action_locked(milestone.action, "change its milestones")
    row_version_claim(model=Milestone, pk=milestone.pk, expected=expected_row_version)
    if "title" in changes:
        changes["title"] = changes["title"].strip()
        _title_free(milestone.action, changes["title"], milestone)
    saved, changed = record_upsert(
        model=Milestone, lookup={"pk": milestone.pk}, values=changes
    )
    if changed:
        row_version_bump(instance=milestone.action)
    return saved


def milestone_mark_done(*, milestone: Milestone, done_on: dt.date) -> Milestone:
    """Record the milestone as done on ``done_on``."""
    return milestone_update(milestone=milestone, done_on=done_on)


def milestone_mark_undone(*, milestone: Milestone) -> Milestone:
    """Record the milestone as still to do."""
    return milestone_update(milestone=milestone, done_on=None)


@transaction.atomic
def milestone_delete(*, milestone: Milestone) -> None:
    """Remove a milestone (its history is kept)."""
    action = _action_locked(milestone.action, "remove a milestone")
    Milestone.objects.get(pk=milestone.pk).delete()
    row_version_bump(instance=action)


@transaction.atomic
def action_percent_complete_set(
    *, action: Action, percent_complete: int | None
) -> Action:
    """Set the action's % complete by hand (0 to 100), or clear it (None) so it
    is worked out from the milestones again."""
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        raise ValidationError({"percent_complete": "Enter a percentage from 0 to 100."})
    _action_locked(action, "change its % complete")
    saved, _ = record_upsert(
        model=Action,
        lookup={"pk": action.pk},
        values={"percent_complete": percent_complete},
    )
    return saved
