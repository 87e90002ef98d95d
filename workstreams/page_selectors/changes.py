"""The changes page (`/changes/?since=YYYY-MM-DD`): what changed since the last
oversight meeting, as much as the visitor may see, grouped by workstream.

Actions come from their history (django-simple-history): new actions, actions
completed, other status changes and RAG changes, each with who and when.
Progress updates and submissions are append-only rows with ``created_at``.
Outcome measures: see :mod:`workstreams.page_selectors.changes_measures`.
A fixed number of queries whatever the number of changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import groupby

from django.utils import timezone

from indicators.selectors import place_get
from marmot.site.templatetags.marmot import RAG_WORDS
from workstreams import rules
from workstreams.models import Action, ProgressUpdate, Submission, Workstream
from workstreams.page_selectors.changes_measures import (
    AssessmentChange,
    NewValue,
    assessment_changes,
    new_values,
    person,
)

NEW, COMPLETED, STATUS, RAG = "new", "completed", "status", "rag"
CHANGE_LABELS = {
    NEW: "New action",
    COMPLETED: "Completed",
    STATUS: "Status changed",
    RAG: "RAG rating changed",
}
DEFAULT_DAYS = 30


def default_since(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) - dt.timedelta(days=DEFAULT_DAYS)


def start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day``, local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def status_label(value: str) -> str:
    return Action.Status(value).label if value in Action.Status.values else value


def rag_label(value: str) -> str:
    return RAG_WORDS.get(value, "Not rated")


@dataclass(frozen=True)
class ActionChange:
    kind: str  # NEW, COMPLETED, STATUS or RAG
    action_id: int
    title: str
    before: str
    after: str
    who: str
    when: dt.datetime
    exists: bool = True

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.kind]

    @property
    def is_rag(self) -> bool:
        return self.kind == RAG

    @property
    def before_label(self) -> str:
        if self.kind == NEW:
            return ""
        return rag_label(self.before) if self.is_rag else status_label(self.before)

    @property
    def after_label(self) -> str:
        return rag_label(self.after) if self.is_rag else status_label(self.after)


@dataclass
class Group:
    """One workstream's rows in one section (``workstream`` None: none known)."""

    workstream: Workstream | None
    rows: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.workstream.name if self.workstream else "No workstream"


@dataclass
class ChangesPage:
    since: dt.date
    place_name: str
    national_name: str
    actions: list[Group] = field(default_factory=list)
    updates: list[Group] = field(default_factory=list)
    new_values: list[NewValue] = field(default_factory=list)
    assessments: list[AssessmentChange] = field(default_factory=list)
    shows_submissions: bool = False
    submissions: list[Group] = field(default_factory=list)

    @staticmethod
    def _count(groups: list[Group]) -> int:
        return sum(len(g.rows) for g in groups)

    def action_count(self, kind: str) -> int:
        return sum(1 for g in self.actions for row in g.rows if row.kind == kind)

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        """(anchor, words, how many) for the summary at the top."""
        rows = [
            ("actions", "New actions", self.action_count(NEW)),
            ("actions", "Actions completed", self.action_count(COMPLETED)),
            ("actions", "Other status changes", self.action_count(STATUS)),
            ("actions", "RAG rating changes", self.action_count(RAG)),
            ("updates", "Progress updates", self._count(self.updates)),
            ("values", "New values of outcome measures", len(self.new_values)),
            ("assessments", "Changed assessments", len(self.assessments)),
        ]
        if self.shows_submissions:
            count = self._count(self.submissions)
            rows.append(("submissions", "New partner submissions", count))
        return rows


def _grouped(rows: Iterable, workstream_of) -> list[Group]:
    groups: dict[int | None, Group] = {}
    for row in rows:
        workstream = workstream_of(row)
        key = workstream.pk if workstream else None
        groups.setdefault(key, Group(workstream)).rows.append(row)
    return sorted(
        groups.values(),
        key=lambda g: (
            g.workstream is None,
            g.workstream.display_order if g.workstream else 0,
            g.name,
        ),
    )


def _row_events(row, previous) -> list[ActionChange]:
    """What one history row changed, compared with the row before it."""
    common = {
        "action_id": row.id,
        "title": row.title,
        "who": person(row.history_user),
        "when": row.history_date,
    }
    if row.history_type == "+":
        return [ActionChange(NEW, before="", after=row.status, **common)]
    if previous is None or row.history_type != "~":
        return []
    events = []
    if previous.status != row.status:
        completed = row.status == Action.Status.COMPLETED
        events.append(
            ActionChange(
                COMPLETED if completed else STATUS,
                before=previous.status,
                after=row.status,
                **common,
            )
        )
    if previous.rag != row.rag:
        events.append(ActionChange(RAG, before=previous.rag, after=row.rag, **common))
    return events


def _action_events(rows: list, since: dt.datetime) -> list[ActionChange]:
    """Walk one action's history (oldest first) for the changes since ``since``;
    an action deleted since is marked so (it can no longer be linked to)."""
    events: list[ActionChange] = []
    previous = None
    for row in rows:
        if row.history_date >= since:
            events += _row_events(row, previous)
        previous = row
    if rows[-1].history_type == "-":
        events = [replace(event, exists=False) for event in events]
    return events


def action_changes(*, user, since: dt.datetime) -> list[Group]:
    """Changes to the actions ``user`` may see, by workstream (one query: the
    whole history of every action touched since ``since``)."""
    history = Action.history.model
    touched = history.objects.filter(history_date__gte=since).values("id")
    rows = (
        rules.visible_actions(user, history.objects.filter(id__in=touched))
        .select_related("workplan__workstream", "history_user")
        .order_by("id", "history_date", "history_id")
    )
    changes = []
    workstreams: dict[int, Workstream | None] = {}
    for action_id, action_rows in groupby(rows, key=lambda r: r.id):
        action_rows = list(action_rows)
        workplan = action_rows[-1].workplan
        workstreams[action_id] = workplan.workstream if workplan else None
        changes += _action_events(action_rows, since)
    changes.sort(key=lambda c: (c.when, c.action_id))
    return _grouped(changes, lambda c: workstreams[c.action_id])


def progress_updates(*, user, since: dt.datetime) -> list[Group]:
    queryset = ProgressUpdate.objects.filter(created_at__gte=since)
    rows = (
        rules.visible_progress_updates(user, queryset)
        .select_related("action__workplan__workstream", "author")
        .order_by("created_at", "id")
    )
    return _grouped(rows, lambda u: u.action.workplan.workstream)


def may_see_submissions(user) -> bool:
    principal = rules.principal_for(user)
    return principal.authenticated and (
        principal.reads_everything
        or bool(principal.chaired_workstream_ids)
        or principal.is_partner
    )


def submissions(*, user, since: dt.datetime) -> list[Group]:
    queryset = Submission.objects.filter(created_at__gte=since)
    rows = (
        rules.visible_submissions(user, queryset)
        .select_related("workstream", "organisation", "submitted_by")
        .order_by("created_at", "id")
    )
    return _grouped(rows, lambda s: s.workstream)


def changes_page(*, user, since: dt.date) -> ChangesPage:
    """Everything that changed since the start of ``since`` that ``user`` may
    see. At most nine queries beyond the user's own, whatever the data size."""
    start = start_of(since)
    place = place_get()
    page = ChangesPage(
        since=since,
        place_name=place.name if place else "",
        national_name=place.country.name if place else "England",
        actions=action_changes(user=user, since=start),
        updates=progress_updates(user=user, since=start),
        shows_submissions=may_see_submissions(user),
    )
    if place is not None:
        page.new_values = new_values(user=user, since=start, place=place)
        page.assessments = assessment_changes(user=user, since=start, place=place)
    if page.shows_submissions:
        page.submissions = submissions(user=user, since=start)
    return page
