"""The parts of an action's timeline (`workstreams.page_selectors.timeline`)
that read no database: the fields shown and how they read when empty, the
entry, change and snapshot types, and how history records group into saves and differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from workstreams import rules
from workstreams.models import Action

SAME_SAVE = dt.timedelta(seconds=5)
ANONYMOUS_NAME = rules.PUBLIC_PERSON
NOT_RECORDED = rules.PERSON_NOT_RECORDED
DELETED = "a record since deleted"

# Fields shown when they change: their labels and what "empty" reads as.
FIELDS = {
    "title": ("Title", "None"),
    "description": ("Description", "None"),
    "workplan": ("Workplan", "None"),
    "priority": ("Priority", "No priority"),
    "lead_organisation": ("Lead organisation", "Not decided yet"),
    "lead_person": ("Lead contact", "Not named"),
    "lead_user": ("Lead (receives reminders)", "No one"),
    "status": ("Status", ""),
    "rag": ("RAG", "Not rated"),
    "is_next_step": ("Published as a next step", ""),
    "start_date": ("Start date", "Not set"),
    "due_date": ("Due date", "Not set"),
    "completed_on": ("Date completed", "Not set"),
}
LONG_TEXT = {"description"}  # said to have changed, not quoted
DATES = {"start_date", "due_date", "completed_on"}
CHOICES = {"status": Action.Status.choices, "rag": Action.Rag.choices}
LINKS = {
    "principles": "Marmot principles",
    "activities": "Logic model activities",
    "recommendations": "Recommendations",
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str = ""
    after: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed_only: bool = False  # long text: "Description changed"


@dataclass
class TimelineEntry:
    when: dt.datetime
    kind: str  # created, changed, update, submitted, more_info, resubmitted
    title: str
    who: str
    changes: list[Change] = field(default_factory=list)
    link_url: str = ""
    link_text: str = ""
    note: str = ""
    user_id: int | None = None  # pairs a change with its progress update


@dataclass
class Snapshot:
    """One history record: its moment, user, type, field values and links."""

    when: dt.datetime
    user: Any
    history_type: str
    values: dict[str, Any]
    links: dict[str, frozenset[int]]


def user_pk(user) -> int | None:
    return user.pk if user is not None else None


def group_saves(snapshots: list[Snapshot]) -> list[list[Snapshot]]:
    """One group per save: a record that changed only links (the lists a save
    sets after the row), by the same user within `SAME_SAVE` of the record
    before it, joins that record's group."""
    groups: list[list[Snapshot]] = []
    for snapshot in snapshots:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and snapshot.history_type == "~"
            and snapshot.values == last.values
            and user_pk(last.user) == user_pk(snapshot.user)
            and snapshot.when - last.when <= SAME_SAVE
        ):
            groups[-1].append(snapshot)
        else:
            groups.append([snapshot])
    return groups


def changed_fields(before: Snapshot, after: Snapshot) -> list[str]:
    """Names of the fields and links that differ, in display order."""
    names = [name for name in FIELDS if before.values[name] != after.values[name]]
    return names + [name for name in LINKS if before.links[name] != after.links[name]]
