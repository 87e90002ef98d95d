"""An action's history as a timeline, newest first: when it was created (and
from which partner submission), each change with who, when and what changed,
its progress updates, and the submission's moderation.

Built from django-simple-history's records by comparing consecutive records in
Python (not ``diff_against``, which queries per pair): a fixed number of
queries whatever the length of the history — the action's records, one per
list of links (principles, activities, recommendations), one per kind of
foreign key whose names are not already in hand, and two for a partner
submission.

One save can write several history records (the row, then each list of links
it sets): those show as one change (`group_saves`), and the change a progress
update made shows on the update.

Privacy (ADR 26): who did what is named through `rules.person_label`, so
signed-in users read names and anonymous visitors "a programme user" (the
action is public, the people who edit it are not).

The parts that read no database (fields, entry types, grouping saves) are in
`workstreams.page_selectors.timeline_snapshots`.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat

from marmot import history_words
from workstreams import rules
from workstreams.models import (
    Action,
    Organisation,
    Submission,
    Workplan,
    WorkplanPriority,
)
from workstreams.page_selectors.timeline_snapshots import (
    ANONYMOUS_NAME,
    CHOICES,
    DATES,
    DELETED,
    FIELDS,
    LINKS,
    LONG_TEXT,
    SAME_SAVE,
    Change,
    Snapshot,
    TimelineEntry,
    changed_fields,
    group_saves,
    user_pk,
)

# --- names for ids --------------------------------------------------------------

FOREIGN_KEYS = {
    "workplan": (Workplan, lambda obj: obj.year_label),
    "priority": (WorkplanPriority, lambda obj: obj.title),
    "lead_organisation": (Organisation, lambda obj: obj.name),
}


class _Names:
    """Readable values, with bulk lookups for the ids the history mentions
    (those already loaded on the action cost nothing)."""

    def __init__(self, reader, action: Action, snapshots: list[Snapshot]):
        self.show_people = rules.shows_people(reader)
        self.known: dict[str, dict[int, str]] = {}
        for name, (model, label) in FOREIGN_KEYS.items():
            ids = {s.values[name] for s in snapshots} - {None}
            current = getattr(action, name) if getattr(action, f"{name}_id") else None
            names = {current.pk: label(current)} if current is not None else {}
            if missing := ids - set(names):
                names |= {
                    pk: label(o) for pk, o in model.objects.in_bulk(missing).items()
                }
            self.known[name] = names
        lead_ids = {s.values["lead_user"] for s in snapshots} - {None}
        self.known["lead_user"] = {}
        if lead_ids and self.show_people:
            users = get_user_model().objects.in_bulk(lead_ids)
            self.known["lead_user"] = {
                pk: rules.person_label(reader, user) for pk, user in users.items()
            }

    def value(self, name: str, value: Any) -> str:
        """The value in words (`marmot.history_words`, as the admin's history
        reads it), with this page's own words for an empty value."""
        empty = FIELDS[name][1]
        if name in CHOICES or name in DATES or name == "is_next_step":
            if history_words.is_blank(value) and name != "is_next_step":
                return empty
            words = history_words.value_words(Action._meta.get_field(name), value)
            return words.split(" — ")[0]  # "Green — on track": "Green"
        if name == "lead_user" and value is not None and not self.show_people:
            return ANONYMOUS_NAME
        if name in self.known:
            return empty if value is None else self.known[name].get(value, DELETED)
        return value or empty


def _link_label(name: str, obj) -> str:
    if obj is None:
        return DELETED
    if name == "principles":
        return f"{obj.number}. {obj.title}"
    if name == "recommendations":
        source = obj.source_title or obj.get_source_display()
        return f"{source}, recommendation {obj.number}"
    return obj.text


# --- reading the history ----------------------------------------------------------


def _link_history(action: Action) -> tuple[dict, dict]:
    """Per list of links: {history_id: ids} and {id: label}; one query each."""
    by_record: dict[str, dict[int, set[int]]] = {}
    labels: dict[str, dict[int, str]] = {}
    for name in LINKS:
        m2m = Action._meta.get_field(name)
        model = apps.get_model(
            "workstreams", f"Historical{m2m.remote_field.through.__name__}"
        )
        own, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        rows = model.objects.filter(**{f"{own}_id": action.pk}).select_related(target)
        by_record[name], labels[name] = {}, {}
        for row in rows:
            target_id = getattr(row, f"{target}_id")
            by_record[name].setdefault(row.history_id, set()).add(target_id)
            labels[name][target_id] = _link_label(name, getattr(row, target))
    return by_record, labels


def _snapshots(action: Action) -> tuple[list[Snapshot], dict]:
    records = action.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    by_record, labels = _link_history(action)
    attnames = {name: Action._meta.get_field(name).attname for name in FIELDS}
    snapshots = [
        Snapshot(
            when=record.history_date,
            user=record.history_user,
            history_type=record.history_type,
            values={name: getattr(record, attnames[name]) for name in FIELDS},
            links={
                name: frozenset(by_record[name].get(record.history_id, ()))
                for name in LINKS
            },
        )
        for record in records
    ]
    return snapshots, labels


def _changes(before, after, names: _Names, labels: dict) -> list[Change]:
    changes = []
    for name in changed_fields(before, after):
        if name in LINKS:
            added = after.links[name] - before.links[name]
            removed = before.links[name] - after.links[name]
            changes.append(
                Change(
                    label=LINKS[name],
                    added=tuple(sorted(labels[name][pk] for pk in added)),
                    removed=tuple(sorted(labels[name][pk] for pk in removed)),
                )
            )
        elif name in LONG_TEXT:
            changes.append(Change(label=FIELDS[name][0], changed_only=True))
        else:
            before_value = names.value(name, before.values[name])
            after_value = names.value(name, after.values[name])
            changes.append(Change(FIELDS[name][0], before_value, after_value))
    return changes


# --- the partner submission ---------------------------------------------------------


def _submission_link(user, submission: Submission) -> dict:
    """A link to the submission's page, for those who may see it."""
    if not rules.can_view_submission(user, submission):
        return {}
    try:
        url = reverse("submission-detail", args=[submission.pk])
    except NoReverseMatch:
        return {}
    return {"link_url": url, "link_text": "See the partner submission"}


def _submission_entries(user, submission: Submission) -> list:
    """The submission's own story: sent, more information asked, resubmitted
    (its acceptance is the action's creation)."""
    link = _submission_link(user, submission)
    may_read = rules.can_view_submission(user, submission)
    entries, previous = [], None
    records = submission.history.select_related("history_user", "decided_by").order_by(
        "history_date", "history_id"
    )
    for record in records:
        status, when = record.status, record.history_date
        who = rules.person_label(user, record.history_user or record.decided_by)
        if record.history_type == "+":
            title = (
                f"Proposed by {submission.organisation.name} in a partner submission"
            )
            submitter = rules.person_label(user, submission.submitted_by)
            entries.append(TimelineEntry(when, "submitted", title, submitter, **link))
        elif status != previous and status == Submission.Status.MORE_INFO:
            note = record.decision_reason if may_read else ""
            title = "More information requested from the partner"
            entries.append(TimelineEntry(when, "more_info", title, who, note=note))
        elif status != previous and status == Submission.Status.SUBMITTED:
            title = "Submission changed and resubmitted by the partner"
            who = rules.person_label(user, record.history_user)
            entries.append(TimelineEntry(when, "resubmitted", title, who))
        previous = status
    return entries


def _created(user, snapshot: Snapshot | None, action, submission):
    when = snapshot.when if snapshot else action.created_at
    who = snapshot.user if snapshot else None
    if submission is None:
        return TimelineEntry(when, "created", "Created", rules.person_label(user, who))
    title = (
        f"Created when the partner submission from {submission.organisation.name} "
        "was accepted"
    )
    who = rules.person_label(user, who or submission.decided_by)
    return TimelineEntry(
        when, "created", title, who, **_submission_link(user, submission)
    )


# --- the timeline -------------------------------------------------------------------


def action_timeline(*, user, action: Action) -> list[TimelineEntry]:
    """The action's history, newest first (``action`` from `action_with_links`,
    with its progress updates and their authors prefetched)."""
    snapshots, labels = _snapshots(action)
    names = _Names(user, action, snapshots)
    submission = None
    if action.source == Action.Source.PARTNER_SUBMISSION:
        submission = (
            Submission.objects.filter(action=action)
            .select_related("organisation", "submitted_by", "decided_by")
            .first()
        )
    entries: list[TimelineEntry] = []
    previous = None
    for group in group_saves(snapshots):
        first, last = group[0], group[-1]
        if first.history_type == "+":
            entries.append(_created(user, first, action, submission))
        elif previous is not None and (
            changes := _changes(previous, last, names, labels)
        ):
            who = rules.person_label(user, first.user)
            entries.append(
                TimelineEntry(
                    first.when,
                    "changed",
                    "Changed",
                    who,
                    changes,
                    user_id=user_pk(first.user),
                )
            )
        previous = last
    if not any(entry.kind == "created" for entry in entries):
        # The history began after the action did (e.g. loaded before history).
        entries.append(_created(user, None, action, submission))
    entries = _with_updates(user, entries, list(action.progress_updates.all()))
    if submission is not None:
        entries += _submission_entries(user, submission)
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def _with_updates(reader, entries: list, updates: list) -> list:
    """Add each progress update; the change it made to the action (recorded
    moments later for the same person) shows on the update itself."""
    result = list(entries)
    for update in updates:
        reported = dateformat.format(update.reported_on, "j F Y")
        entry = TimelineEntry(
            when=update.created_at,
            kind="update",
            title="Progress update posted",
            who=rules.person_label(reader, update.author),
            note=f"Reported on {reported}",
            user_id=update.author_id,
        )
        paired = [
            change
            for change in result
            if change.kind == "changed"
            and change.user_id in (entry.user_id, None)
            and update.created_at <= change.when <= update.created_at + SAME_SAVE
        ]
        if paired:
            closest = min(paired, key=lambda change: change.when)
            entry.changes = closest.changes
            result.remove(closest)
        result.append(entry)
    return result
