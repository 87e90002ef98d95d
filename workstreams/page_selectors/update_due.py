"""Which actions show "Update due": those whose lead the reminders would nag
for a progress update (`workstreams.due_reminders`: open, in a signed-off
workplan, and no progress update nor creation for ``REMINDER_STALE_DAYS``
days). The rule is `due_reminders.is_stale`; this only gives it an action's
facts, read from columns a page's query already has (`LAST_NEWS`, annotated
once for a whole list), so no page asks the database per action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from workstreams import due_reminders
from workstreams.models import Action
from workstreams.services.reminder_plan import local_date

#: Annotate a queryset of actions with these (``queryset.annotate(**LAST_NEWS)``)
#: for `action_facts`: when its latest progress update was posted and the
#: latest date one reported on.
LAST_NEWS = {
    "last_update_at": Max("progress_updates__created_at"),
    "last_reported_on": Max("progress_updates__reported_on"),
}


def action_facts(
    action: Action, *, workstream_id: int = 0
) -> due_reminders.ActionFacts:
    """The facts the reminders' rules read, from an action annotated with
    `LAST_NEWS` (or given them by `news_from_updates`), as the reminder plan
    reckons them: its last news is its creation, or its latest update."""
    days = [
        local_date(action.created_at),
        local_date(getattr(action, "last_update_at", None)),
        getattr(action, "last_reported_on", None),
    ]
    return due_reminders.ActionFacts(
        pk=action.pk,
        workstream_id=workstream_id,
        status=action.status,
        rag=action.rag,
        due_date=action.due_date,
        last_activity_on=max(day for day in days if day is not None),
    )


def news_from_updates(action: Action, updates: Iterable) -> None:
    """Give ``action`` the `LAST_NEWS` values from its progress updates
    already loaded (an action page's prefetch): no query."""
    updates = list(updates)
    action.last_update_at = max((u.created_at for u in updates), default=None)
    action.last_reported_on = max((u.reported_on for u in updates), default=None)


def is_update_due(
    action: Action,
    *,
    workplan_status: str,
    today: dt.date,
    stale_days: int | None = None,
) -> bool:
    """Whether the action's lead is due to post a progress update: the
    reminders' "stale" rule, for actions of a workplan the reminders cover
    (signed off), not archived."""
    if workplan_status not in due_reminders.REMINDED_WORKPLAN_STATUSES:
        return False
    if action.archived_at is not None:
        return False
    stale_days = settings.REMINDER_STALE_DAYS if stale_days is None else stale_days
    return due_reminders.is_stale(
        action_facts(action), today=today, stale_days=stale_days
    )


def flag_update_due(
    actions: Iterable[Action], *, workplan_status: str, today: dt.date
) -> None:
    """Set ``update_due`` on each action (annotated with `LAST_NEWS`)."""
    stale_days = settings.REMINDER_STALE_DAYS
    for action in actions:
        action.update_due = is_update_due(
            action, workplan_status=workplan_status, today=today, stale_days=stale_days
        )


def action_update_due(action: Action, *, today: dt.date | None = None) -> int:
    """An action page's flag: how many days it has had no news when an update
    is due, else 0; from its prefetched progress updates and its (selected)
    workplan, no query."""
    today = today or timezone.localdate()
    news_from_updates(action, action.progress_updates.all())
    if not is_update_due(action, workplan_status=action.workplan.status, today=today):
        return 0
    return due_reminders.days_quiet(action_facts(action), today=today)
