"""Reminder emails: leads of overdue or stale actions, and the chairs' weekly
digest. The rules of who gets what are pure functions in
`workstreams.reminders`; this module loads their facts (a fixed number of
queries whatever the number of actions), records each reminder once in
`ReminderSent` and sends it.

Order of recording and sending, per recipient, in one transaction:

1. insert the `ReminderSent` row (the unique key per kind, recipient and
   period claims the reminder: a second run, even a concurrent one, finds it
   and sends nothing);
2. render the email (a template error rolls the row back);
3. send it once the row is committed (``transaction.on_commit``).

So a run that fails before committing records nothing and sends nothing, and
the next run tries again. If the mail server refuses the message after the
commit, the row is deleted again, so the next run retries it. Only a process
killed between the commit and the hand-over to the mail server can lose a
reminder (never send one twice): a lost reminder costs a day (a week for a
digest), a duplicate would teach people to ignore them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from marmot.site.mail import absolute_url, mail_render
from workstreams import reminders as rules
from workstreams.models import (
    Action,
    ProgressUpdate,
    ReminderSent,
    Submission,
    Workstream,
)

logger = logging.getLogger(__name__)

LEAD_TEMPLATE = "reminder_lead"
DIGEST_TEMPLATE = "chair_digest"


@dataclass
class ReminderPlan:
    """Who gets what on ``today``, with the rows the emails are written from."""

    today: dt.date
    stale_days: int
    digest_day: bool
    leads: list[rules.LeadReminder]
    leads_skipped: int
    digests: list[rules.ChairDigest]
    digests_skipped: int
    users: dict[int, object]
    actions: dict[int, Action]
    workstreams: dict[int, Workstream]
    submissions: dict[int, Submission]


@dataclass
class ReminderOutcome:
    """Counts of one run (filled in as the emails go, after each commit)."""

    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    already: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _emailable(user) -> bool:
    return user is not None and user.is_active and bool(user.email)


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _open_actions() -> list[Action]:
    """Open actions of signed-off workplans, with when they last had news."""
    updates = ProgressUpdate.objects.filter(action=OuterRef("pk"))
    return list(
        Action.objects.filter(workplan__status__in=rules.REMINDED_WORKPLAN_STATUSES)
        .exclude(status__in=rules.DONE_STATUSES)
        .select_related("workplan__workstream", "lead_user", "lead_organisation")
        .annotate(
            last_update_at=Subquery(
                updates.order_by("-created_at").values("created_at")[:1]
            ),
            last_reported_on=Subquery(
                updates.order_by("-reported_on").values("reported_on")[:1]
            ),
        )
        .order_by("pk")
    )


def _facts(action: Action) -> rules.ActionFacts:
    days = [
        _local_date(action.created_at),
        _local_date(action.last_update_at),
        action.last_reported_on,
    ]
    lead = action.lead_user
    return rules.ActionFacts(
        pk=action.pk,
        workstream_id=action.workplan.workstream_id,
        status=action.status,
        rag=action.rag,
        due_date=action.due_date,
        last_activity_on=max(day for day in days if day is not None),
        lead_user_id=lead.pk if _emailable(lead) else None,
    )


def _chairs() -> tuple[dict[int, list[int]], dict[int, Workstream], dict[int, object]]:
    """Workstream → ids of its chair and deputies who can be emailed."""
    chairs, workstreams, users = {}, {}, {}
    queryset = Workstream.objects.select_related("chair").prefetch_related("deputies")
    for workstream in queryset.order_by("display_order", "name"):
        workstreams[workstream.pk] = workstream
        people = [workstream.chair, *workstream.deputies.all()]
        chairs[workstream.pk] = [p.pk for p in people if _emailable(p)]
        users.update({p.pk: p for p in people if _emailable(p)})
    return chairs, workstreams, users


def _earlier_reminders(*, today: dt.date, repeat_days: int) -> list[ReminderSent]:
    """Lead reminders of the repeat window (today included), this week's digests."""
    days = [
        rules.day_key(today - dt.timedelta(days=n)) for n in range(max(repeat_days, 1))
    ]
    return list(
        ReminderSent.objects.filter(
            Q(kind=ReminderSent.Kind.LEAD_STALE, period_key__in=days)
            | Q(kind=ReminderSent.Kind.CHAIR_DIGEST, period_key=rules.week_key(today))
        ).only("kind", "recipient_id", "period_key", "action_ids")
    )


def reminders_plan(*, today: dt.date, digest_now: bool = False) -> ReminderPlan:
    """Everything ``send_reminders`` would send on ``today``, nothing sent.

    Five queries whatever the number of actions: open actions, workstreams,
    their deputies, undecided submissions, reminders already sent.
    """
    stale_days = settings.REMINDER_STALE_DAYS
    repeat_days = settings.REMINDER_LEAD_REPEAT_DAYS
    actions = {action.pk: action for action in _open_actions()}
    facts = [_facts(action) for action in actions.values()]
    chairs, workstreams, users = _chairs()
    users.update(
        {
            a.lead_user_id: a.lead_user
            for a in actions.values()
            if _emailable(a.lead_user)
        }
    )
    earlier = _earlier_reminders(today=today, repeat_days=repeat_days)
    sent_today = [
        row.recipient_id
        for row in earlier
        if row.kind == ReminderSent.Kind.LEAD_STALE
        and row.period_key == rules.day_key(today)
    ]
    lead_history = defaultdict(list)
    for row in earlier:
        if row.kind == ReminderSent.Kind.LEAD_STALE:
            day = dt.date.fromisoformat(row.period_key)
            lead_history[row.recipient_id].append((day, row.action_ids))
    due = rules.lead_reminders(facts, today=today, stale_days=stale_days)
    leads = rules.not_yet_sent(due, sent_to=sent_today)
    leads = rules.not_recently_reminded(
        leads, earlier=lead_history, today=today, repeat_days=repeat_days
    )

    digest_day = rules.digest_due(
        today, weekday=settings.REMINDER_DIGEST_WEEKDAY, forced=digest_now
    )
    submissions, digests, digests_due = {}, [], []
    if digest_day:
        undecided = Submission.objects.filter(
            status__in=rules.UNDECIDED_SUBMISSION_STATUSES
        ).select_related("organisation")
        submissions = {s.pk: s for s in undecided.order_by("created_at", "pk")}
        digests_due = rules.chair_digests(
            chairs=chairs,
            actions=facts,
            submissions=[
                rules.SubmissionFacts(s.pk, s.workstream_id, s.status)
                for s in submissions.values()
            ],
            today=today,
            stale_days=stale_days,
        )
        digested = [
            row.recipient_id
            for row in earlier
            if row.kind == ReminderSent.Kind.CHAIR_DIGEST
        ]
        digests = rules.not_yet_sent(digests_due, sent_to=digested)
    return ReminderPlan(
        today=today,
        stale_days=stale_days,
        digest_day=digest_day,
        leads=leads,
        leads_skipped=len(due) - len(leads),
        digests=digests,
        digests_skipped=len(digests_due) - len(digests),
        users=users,
        actions=actions,
        workstreams=workstreams,
        submissions=submissions,
    )


# --- the emails' contents --------------------------------------------------


def _optional_url(name: str, *args) -> str:
    """An absolute link to a page, or "" where the site has no such page."""
    try:
        return absolute_url(reverse(name, args=args))
    except NoReverseMatch:
        return ""


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _action_item(plan: ReminderPlan, facts: rules.ActionFacts) -> dict:
    action = plan.actions[facts.pk]
    return {
        "title": action.title,
        "workstream": action.workplan.workstream.name,
        "lead_organisation": getattr(action.lead_organisation, "name", ""),
        "due_date": action.due_date,
        "rag": action.get_rag_display(),
        "overdue": rules.is_overdue(facts, today=plan.today),
        "stale": rules.is_stale(facts, today=plan.today, stale_days=plan.stale_days),
        "days_quiet": rules.days_quiet(facts, today=plan.today),
        "no_named_lead": facts.lead_user_id is None,
        "url": absolute_url(reverse("action-detail", args=[action.pk])),
        "update_url": absolute_url(reverse("progress-update-create", args=[action.pk])),
    }


def lead_context(plan: ReminderPlan, reminder: rules.LeadReminder) -> dict:
    return {
        "name": _person(plan.users[reminder.recipient_id]),
        "today": plan.today,
        "stale_days": plan.stale_days,
        "repeat_days": settings.REMINDER_LEAD_REPEAT_DAYS,
        "items": [_action_item(plan, facts) for facts in reminder.actions],
    }


def digest_context(plan: ReminderPlan, digest: rules.ChairDigest) -> dict:
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
            }
        )
    return {
        "name": _person(plan.users[digest.recipient_id]),
        "week": rules.week_key(plan.today),
        "today": plan.today,
        "stale_days": plan.stale_days,
        "sections": sections,
    }


def _submission_item(submission: Submission) -> dict:
    return {
        "title": submission.title,
        "organisation": submission.organisation.name,
        "status": submission.get_status_display(),
        "submitted_on": _local_date(submission.created_at),
        "url": _optional_url("submission-detail", submission.pk),
    }


# --- recording and sending -------------------------------------------------


def _deliver(
    *,
    row_pk: int,
    kind: str,
    to: list[str],
    subject: str,
    body: str,
    outcome: ReminderOutcome,
) -> None:
    """After the commit: send, or forget the record so the next run retries."""
    try:
        EmailMessage(subject=subject, body=body, to=to).send()
    except Exception:
        logger.exception("Reminder %s to %s not sent; will retry next run", kind, to)
        ReminderSent.objects.filter(pk=row_pk).delete()
        outcome.failed[kind] += 1
    else:
        outcome.sent[kind] += 1


def reminder_send(
    *,
    kind: str,
    recipient,
    period_key: str,
    action_ids: list[int],
    template: str,
    context: dict,
    outcome: ReminderOutcome,
) -> bool:
    """Record one reminder and send it once committed; False if this
    recipient already has one of this kind for this period (nothing sent)."""
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
            transaction.on_commit(
                partial(
                    _deliver,
                    row_pk=row.pk,
                    kind=kind,
                    to=[recipient.email],
                    subject=subject,
                    body=body,
                    outcome=outcome,
                )
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
    lead_key = rules.day_key(plan.today)
    for reminder in progress(plan.leads, "Lead reminders", len(plan.leads)):
        reminder_send(
            kind=ReminderSent.Kind.LEAD_STALE,
            recipient=plan.users[reminder.recipient_id],
            period_key=lead_key,
            action_ids=reminder.action_ids,
            template=LEAD_TEMPLATE,
            context=lead_context(plan, reminder),
            outcome=outcome,
        )
    week = rules.week_key(plan.today)
    for digest in progress(plan.digests, "Chair digests", len(plan.digests)):
        reminder_send(
            kind=ReminderSent.Kind.CHAIR_DIGEST,
            recipient=plan.users[digest.recipient_id],
            period_key=week,
            action_ids=digest.action_ids,
            template=DIGEST_TEMPLATE,
            context=digest_context(plan, digest),
            outcome=outcome,
        )
    return outcome
