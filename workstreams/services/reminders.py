"""Reminder emails: leads of overdue or stale actions (and reporters of
overdue KPI periods), and the chairs' weekly digest. The rules of who gets
what are pure functions in `workstreams.due_reminders`;
`workstreams.services.reminder_plan` loads their facts (a fixed number of
queries whatever the number of actions and KPIs) and applies them; this module
records each reminder once in `ReminderSent` and sends it.

Order of recording and sending, per recipient, in one transaction:

1. insert the `ReminderSent` row (the unique key per kind, recipient and
   period claims the reminder: a second run, even a concurrent one, finds it
   and sends nothing);
2. render the email (a template error rolls the row back);
3. hand it over with `marmot.site.mail.mail_deliver_on_commit`.

In production mail is queued (ADR 0023): the queue row is written in the same
transaction as the `ReminderSent` row, so a reminder is recorded if and only if
its email is queued, and the scheduler's `send_mail` delivers it, retrying
while the mail server is down. A run that fails before committing records
and queues nothing, and the next run tries again.

Without the queue (DEBUG trials, tests) the email goes once the row is
committed; if the mail server refuses it the row is deleted again, so the
next run retries it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse

from marmot.site.mail import absolute_url, mail_deliver_on_commit, mail_render
from workstreams import due_reminders
from workstreams.models import ReminderSent, Submission
from workstreams.services.reminder_plan import (
    ReminderPlan,
    local_date,
)
from workstreams.services.reminder_plan import (
    reminders_plan as reminders_plan,  # re-exported: the command plans from here
)

logger = logging.getLogger(__name__)

LEAD_TEMPLATE = "reminder_lead"
DIGEST_TEMPLATE = "chair_digest"


@dataclass
class ReminderOutcome:
    """Counts of one run (filled in as the emails go, after each commit)."""

    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    already: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: dict[str, int] = field(default_factory=lambda: defaultdict(int))


# --- the emails' contents --------------------------------------------------


def _optional_url(name: str, *args) -> str:
    """An absolute link to a page, or "" where the site has no such page."""
    try:
        return absolute_url(reverse(name, args=args))
    except NoReverseMatch:
        return ""


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _action_item(plan: ReminderPlan, facts: due_reminders.ActionFacts) -> dict:
    action = plan.actions[facts.pk]
    return {
        "title": action.title,
        "workstream": action.workplan.workstream.name,
        "lead_organisation": getattr(action.lead_organisation, "name", ""),
        "due_date": action.due_date,
        "rag": action.get_rag_display(),
        "overdue": due_reminders.is_overdue(facts, today=plan.today),
        "stale": due_reminders.is_stale(
            facts, today=plan.today, stale_days=plan.stale_days
        ),
        "days_quiet": due_reminders.days_quiet(facts, today=plan.today),
        "no_named_lead": facts.lead_user_id is None,
        "url": absolute_url(reverse("action-detail", args=[action.pk])),
        "update_url": absolute_url(reverse("progress-update-create", args=[action.pk])),
    }


def _kpi_item(plan: ReminderPlan, facts: due_reminders.KpiPeriodFacts) -> dict:
    kpi = plan.kpis[facts.kpi_id]
    organisation = kpi.reporting_organisation
    grid = _optional_url("kpi-grid", kpi.workstream.slug)
    return {
        "name": kpi.indicator.name,
        "period": facts.period,
        "workstream": kpi.workstream.name,
        "reporter": organisation.name if organisation else "the workstream's chairs",
        "waiting": facts.waiting,
        "record_url": f"{grid}?{urlencode({'period': facts.period})}" if grid else "",
    }


def lead_context(plan: ReminderPlan, reminder: due_reminders.LeadReminder) -> dict:
    return {
        "name": _person(plan.users[reminder.recipient_id]),
        "today": plan.today,
        "stale_days": plan.stale_days,
        "repeat_days": settings.REMINDER_LEAD_REPEAT_DAYS,
        "due_days": settings.KPI_DUE_DAYS,
        "items": [_action_item(plan, facts) for facts in reminder.actions],
        "kpis": [_kpi_item(plan, facts) for facts in reminder.kpis],
    }


def digest_context(plan: ReminderPlan, digest: due_reminders.ChairDigest) -> dict:
    sections = []
    for section in digest.workstreams:
        workstream = plan.workstreams[section.workstream_id]
        sections.append(
            {
                "name": workstream.name,
                "url": absolute_url(
                    reverse("workstream-detail", args=[workstream.slug])
                ),
                "queue_url": _optional_url("submission-queue", workstream.slug),
                "overdue": [_action_item(plan, a) for a in section.overdue],
                "at_risk": [_action_item(plan, a) for a in section.at_risk],
                "stale": [_action_item(plan, a) for a in section.stale],
                "no_named_lead": len(section.no_named_lead),
                "submissions": [
                    _submission_item(plan.submissions[s.pk])
                    for s in section.submissions
                ],
                "kpis": [_kpi_item(plan, k) for k in section.kpis],
                "approvals_url": (
                    _optional_url("kpi-approvals", workstream.slug)
                    if any(k.waiting for k in section.kpis)
                    else ""
                ),
            }
        )
    return {
        "name": _person(plan.users[digest.recipient_id]),
        "week": due_reminders.week_key(plan.today),
        "today": plan.today,
        "stale_days": plan.stale_days,
        "due_days": settings.KPI_DUE_DAYS,
        "sections": sections,
    }


def _submission_item(submission: Submission) -> dict:
    return {
        "title": submission.title,
        "organisation": submission.organisation.name,
        "status": submission.get_status_display(),
        "submitted_on": local_date(submission.created_at),
        "url": _optional_url("submission-detail", submission.pk),
    }


# --- recording and sending -------------------------------------------------


def _sent(*, kind: str, outcome: ReminderOutcome) -> None:
    outcome.sent[kind] += 1


def _failed(error: Exception, *, row_pk: int, kind: str, outcome: ReminderOutcome):
    """Not sent (no queue, and the server refused it): forget the record so
    the next run retries."""
    logger.warning("Reminder %s not sent (%s); will retry next run", kind, error)
    ReminderSent.objects.filter(pk=row_pk).delete()
    outcome.failed[kind] += 1


def reminder_send(
    *,
    kind: str,
    recipient,
    period_key: str,
    action_ids: list,
    template: str,
    context: dict,
    outcome: ReminderOutcome,
) -> bool:
    """Record one reminder and queue (or send) its email with the record;
    False if this recipient already has one of this kind for this period
    (nothing sent). ``action_ids``: the items it lists (action ids, and
    "kpi:<id>:<period>" keys for KPI periods)."""
    try:
        with transaction.atomic():
            row = ReminderSent(
                kind=kind,
                recipient=recipient,
                period_key=period_key,
                action_ids=action_ids,
            )
            row.full_clean()
            row.save()
            subject, body = mail_render(template=template, context=context)
            mail_deliver_on_commit(
                to=[recipient.email],
                subject=subject,
                body=body,
                on_sent=partial(_sent, kind=kind, outcome=outcome),
                on_failed=partial(_failed, row_pk=row.pk, kind=kind, outcome=outcome),
            )
    except (IntegrityError, ValidationError):
        outcome.already[kind] += 1
        return False
    return True


Progress = Callable[[Iterable, str, int], Iterable]


def _no_progress(items: Iterable, description: str, total: int) -> Iterable:
    return items


def reminders_send(
    *, plan: ReminderPlan, progress: Progress = _no_progress
) -> ReminderOutcome:
    """Send what the plan says, each reminder in its own transaction (one
    failure does not stop the others). ``progress`` wraps each step's loop."""
    outcome = ReminderOutcome()
    lead_key = due_reminders.day_key(plan.today)
    for reminder in progress(plan.leads, "Lead reminders", len(plan.leads)):
        reminder_send(
            kind=ReminderSent.Kind.LEAD_STALE,
            recipient=plan.users[reminder.recipient_id],
            period_key=lead_key,
            action_ids=reminder.item_keys,
            template=LEAD_TEMPLATE,
            context=lead_context(plan, reminder),
            outcome=outcome,
        )
    week = due_reminders.week_key(plan.today)
    for digest in progress(plan.digests, "Chair digests", len(plan.digests)):
        reminder_send(
            kind=ReminderSent.Kind.CHAIR_DIGEST,
            recipient=plan.users[digest.recipient_id],
            period_key=week,
            action_ids=digest.item_keys,
            template=DIGEST_TEMPLATE,
            context=digest_context(plan, digest),
            outcome=outcome,
        )
    return outcome
