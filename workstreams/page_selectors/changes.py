"""The changes page (`/changes/?since=YYYY-MM-DD`): what changed since the last
oversight meeting, as much as the visitor may see, grouped by workstream.

Actions come from their history (django-simple-history): new actions, actions
completed, other status changes and RAG changes, each with who and when.
History rows written by loading a place's data directory (marked "data load",
:mod:`marmot.history`) are set-up, not activity: they are never listed, though
they are still the "before" of a later change.
Progress updates and submissions are append-only rows with ``created_at``.
Outcome measures: see :mod:`workstreams.page_selectors.changes_measures`.
A fixed number of queries whatever the number of changes.

The page shows at most ``ROWS_SHOWN`` rows (the latest) of each workstream in
each section, and of the outcome-measure lists, with the full counts; the CSV
download (``limit=None``) has every row. So the page stays readable and its
size bounded however busy the period was."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import groupby

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from indicators.selectors import place_get
from marmot import history_words
from marmot.history import DATA_LOAD
from marmot.principals import principal_for
from workstreams import rules
from workstreams.models import Action, ProgressUpdate, Submission, Workstream
from workstreams.page_selectors.changes_measures import (
    AssessmentChange,
    NewValue,
    assessment_changes,
    new_values,
    person,
)
from workstreams.templatetags.statuses import NOT_RATED, RAG_WORDS

NEW, COMPLETED, STATUS, RAG = "new", "completed", "status", "rag"
CHANGE_LABELS = {
    NEW: "New action",
    COMPLETED: "Completed",
    STATUS: "Status changed",
    RAG: "RAG rating changed",
}
DEFAULT_DAYS = 30
#: Rows shown per workstream in each section of the page (the latest ones).
ROWS_SHOWN = 25


def default_since(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) - dt.timedelta(days=DEFAULT_DAYS)


def start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day``, local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def status_label(value: str) -> str:
    """The status in words, as every history reads it (`marmot.history_words`)."""
    return history_words.value_words(Action._meta.get_field("status"), value)


def rag_label(value: str) -> str:
    return RAG_WORDS.get(value, NOT_RATED)


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
    total: int = 0  # rows in the period, shown or not

    @property
    def hidden(self) -> int:
        """Rows in the period not shown on the page (they are in the CSV)."""
        return max(self.total - len(self.rows), 0)

    @property
    def name(self) -> str:
        return self.workstream.name if self.workstream else "No workstream"


@dataclass
class ChangesPage:
    since: dt.date
    place_name: str
    national_name: str
    #: Who reads the page: people are named as they may know them (ADR 26).
    reader: object = field(default=None, repr=False)
    actions: list[Group] = field(default_factory=list)
    updates: list[Group] = field(default_factory=list)
    new_values: list[NewValue] = field(default_factory=list)
    new_values_total: int = 0
    assessments: list[AssessmentChange] = field(default_factory=list)
    assessments_total: int = 0
    shows_submissions: bool = False
    submissions: list[Group] = field(default_factory=list)
    #: Action changes of each kind in the period, shown or not.
    action_kinds: dict[str, int] = field(default_factory=dict)

    def person(self, user) -> str:
        """Who did something, as the page's reader may know them."""
        return person(self.reader, user)

    @staticmethod
    def _count(groups: list[Group]) -> int:
        return sum(g.total for g in groups)

    def action_count(self, kind: str) -> int:
        return self.action_kinds.get(kind, 0)

    @property
    def new_values_hidden(self) -> int:
        return max(self.new_values_total - len(self.new_values), 0)

    @property
    def assessments_hidden(self) -> int:
        return max(self.assessments_total - len(self.assessments), 0)

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        """(anchor, words, how many) for the summary at the top."""
        rows = [
            ("actions", "New actions", self.action_count(NEW)),
            ("actions", "Actions completed", self.action_count(COMPLETED)),
            ("actions", "Other status changes", self.action_count(STATUS)),
            ("actions", "RAG rating changes", self.action_count(RAG)),
            ("updates", "Progress updates", self._count(self.updates)),
            ("values", "New values of outcome measures", self.new_values_total),
            ("assessments", "Changed assessments", self.assessments_total),
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
        group = groups.setdefault(key, Group(workstream))
        group.rows.append(row)
        group.total += 1
    return sorted(
        groups.values(),
        key=lambda g: (
            g.workstream is None,
            g.workstream.display_order if g.workstream else 0,
            g.name,
        ),
    )


def _latest(groups: list[Group], limit: int | None) -> list[Group]:
    """Keep the latest ``limit`` rows of each group (rows run oldest first)."""
    if limit is not None:
        for group in groups:
            group.rows = group.rows[-limit:] if limit else []
    return groups


def _row_events(reader, row, previous) -> list[ActionChange]:
    """What one history row changed, compared with the row before it (who
    changed it as ``reader`` may know them)."""
    common = {
        "action_id": row.id,
        "title": row.title,
        "who": person(reader, row.history_user),
        "when": row.history_date,
    }
    if row.history_change_reason == DATA_LOAD:
        return []
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


def _action_events(reader, rows: list, since: dt.datetime) -> list[ActionChange]:
    """Walk one action's history (oldest first) for the changes since ``since``;
    an action deleted since is marked so (it can no longer be linked to)."""
    events: list[ActionChange] = []
    previous = None
    for row in rows:
        if row.history_date >= since:
            events += _row_events(reader, row, previous)
        previous = row
    if rows[-1].history_type == "-":
        events = [replace(event, exists=False) for event in events]
    return events


def action_changes(
    *, user, since: dt.datetime, limit: int | None = None
) -> list[Group]:
    """Changes to the actions ``user`` may see, by workstream, the latest
    ``limit`` of each (one query: the whole history of every action touched
    since ``since``)."""
    history = Action.history.model
    touched = (
        history.objects.filter(history_date__gte=since)
        .exclude(history_change_reason=DATA_LOAD)
        .values("id")
    )
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
        changes += _action_events(user, action_rows, since)
    changes.sort(key=lambda c: (c.when, c.action_id))
    return _latest(_grouped(changes, lambda c: workstreams[c.action_id]), limit)


def progress_updates(
    *, user, since: dt.datetime, limit: int | None = None
) -> list[Group]:
    """Progress updates reported since ``since``, by workstream: every one, or
    the latest ``limit`` of each workstream with the counts (two queries)."""
    workstream = "action__workplan__workstream"
    visible = rules.visible_progress_updates(
        user, ProgressUpdate.objects.filter(created_at__gte=since)
    )
    rows = visible.select_related(workstream, "author").order_by("created_at", "id")
    if limit is None:
        return _grouped(rows, lambda u: u.action.workplan.workstream)
    # Rank narrow rows (id, workstream, time) and fetch only the winners whole:
    # sorting every update in the period with its text would cost far more.
    latest_first = [F("created_at").desc(), F("id").desc()]
    rank = Window(RowNumber(), partition_by=[F(workstream)], order_by=latest_first)
    latest = visible.order_by().annotate(rank=rank).filter(rank__lte=limit).values("id")
    groups = _grouped(
        rows.filter(id__in=latest), lambda u: u.action.workplan.workstream
    )
    totals = dict(
        visible.order_by().values_list(workstream).annotate(count=Count("pk"))
    )
    for group in groups:
        group.total = totals.get(group.workstream.pk, group.total)
    return groups


def may_see_submissions(user) -> bool:
    principal = principal_for(user)
    return principal.authenticated and (
        principal.reads_everything
        or bool(principal.chaired_workstream_ids)
        or principal.is_partner
    )


def submissions(*, user, since: dt.datetime, limit: int | None = None) -> list[Group]:
    queryset = Submission.objects.filter(created_at__gte=since)
    rows = (
        rules.visible_submissions(user, queryset)
        .select_related("workstream", "organisation", "submitted_by")
        .order_by("created_at", "id")
    )
    return _latest(_grouped(rows, lambda s: s.workstream), limit)


def changes_page(*, user, since: dt.date, limit: int | None = None) -> ChangesPage:
    """Everything that changed since the start of ``since`` that ``user`` may
    see: every row, or the latest ``limit`` of each workstream in each section
    (and of each outcome-measure list) with the full counts. At most twelve
    queries beyond the user's own, whatever the data size."""
    start = start_of(since)
    place = place_get()
    actions = action_changes(user=user, since=start)
    page = ChangesPage(
        since=since,
        reader=user,
        place_name=place.name if place else "",
        national_name=place.country.name if place else "England",
        action_kinds=Counter(c.kind for g in actions for c in g.rows),
        actions=_latest(actions, limit),
        updates=progress_updates(user=user, since=start, limit=limit),
        shows_submissions=may_see_submissions(user),
    )
    if place is not None:
        page.new_values, page.new_values_total = new_values(
            user=user, since=start, place=place, limit=limit
        )
        changes = assessment_changes(user=user, since=start, place=place)
        page.assessments_total = len(changes)
        page.assessments = changes if limit is None else changes[:limit]
    if page.shows_submissions:
        page.submissions = submissions(user=user, since=start, limit=limit)
    return page
