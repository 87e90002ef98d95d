"""What the reminder run would send today, nothing sent (the plan).

Loads the facts the pure rules in `workstreams.due_reminders` decide on — open
actions of signed-off workplans with when they last had news, the workstreams'
chairs and deputies who can be emailed, undecided submissions, the overdue
periods of output KPIs with who reports them, and the reminders already sent —
in a fixed number of queries, and applies the rules.
`workstreams.services.reminders` writes the emails from the plan and sends them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from indicators.models import Place
from indicators.output_progress import output_progress
from workstreams import due_reminders
from workstreams.models import (
    Action,
    Kpi,
    KpiEntry,
    OrganisationMembership,
    ProgressUpdate,
    ReminderSent,
    Submission,
    Workstream,
)


@dataclass
class ReminderPlan:
    """Who gets what on ``today``, with the rows the emails are written from."""

    today: dt.date
    stale_days: int
    digest_day: bool
    leads: list[due_reminders.LeadReminder]
    leads_skipped: int
    digests: list[due_reminders.ChairDigest]
    digests_skipped: int
    users: dict[int, object]
    actions: dict[int, Action]
    workstreams: dict[int, Workstream]
    submissions: dict[int, Submission]
    kpis: dict[int, Kpi] = field(default_factory=dict)
    kpi_periods: list[due_reminders.KpiPeriodFacts] = field(default_factory=list)


def _emailable(user) -> bool:
    return user is not None and user.is_active and bool(user.email)


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _open_actions() -> list[Action]:
    """Open actions of signed-off workplans, with when they last had news."""
    updates = ProgressUpdate.objects.filter(action=OuterRef("pk"))
    return list(
        Action.objects.filter(
            workplan__status__in=due_reminders.REMINDED_WORKPLAN_STATUSES,
            archived_at=None,
        )
        .exclude(status__in=due_reminders.DONE_STATUSES)
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


def _facts(action: Action) -> due_reminders.ActionFacts:
    days = [
        local_date(action.created_at),
        local_date(action.last_update_at),
        action.last_reported_on,
    ]
    lead = action.lead_user
    return due_reminders.ActionFacts(
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


def _active_kpis(today: dt.date) -> list[Kpi]:
    """KPIs that expect values and are not retired by ``today``, each with the
    place's area (one query)."""
    return list(
        Kpi.objects.filter(indicator__values_expected_from__isnull=False)
        .filter(
            Q(indicator__retired_on__isnull=True) | Q(indicator__retired_on__gt=today)
        )
        .select_related("workstream", "indicator", "reporting_organisation")
        .annotate(place_area_id=Subquery(Place.objects.values("area_id")[:1]))
        .order_by("workstream_id", "display_order", "pk")
    )


def _overdue_kpi_periods(
    *, today: dt.date, chairs: dict[int, list[int]], users: dict[int, object]
) -> tuple[dict[int, Kpi], list[due_reminders.KpiPeriodFacts]]:
    """Every overdue period of an active KPI (`output_progress`, all KPIs at
    once), with who reports it; adds the reporting partners to ``users``.

    One query without KPIs; at most five with: the KPIs, their values and
    targets, the entries waiting for approval, the reporting organisations'
    members."""
    kpis = {kpi.pk: kpi for kpi in _active_kpis(today)}
    if not kpis:
        return {}, []
    area_id = next(iter(kpis.values())).place_area_id
    progress = output_progress(
        [kpi.indicator for kpi in kpis.values()], area_id=area_id, today=today
    )
    overdue = {
        kpi.pk: progress[kpi.indicator_id].overdue
        for kpi in kpis.values()
        if progress[kpi.indicator_id].overdue
    }
    if not overdue:
        return kpis, []
    waiting = set(
        KpiEntry.objects.filter(
            kpi_id__in=overdue, status=KpiEntry.Status.SUBMITTED
        ).values_list("kpi_id", "period__label")
    )
    organisations = {kpis[pk].reporting_organisation_id for pk in overdue} - {None}
    partners: dict[int, list[int]] = defaultdict(list)
    if organisations:
        for membership in (
            OrganisationMembership.objects.filter(organisation_id__in=organisations)
            .select_related("user")
            .order_by("user_id")
        ):
            if _emailable(membership.user):
                partners[membership.organisation_id].append(membership.user_id)
                users[membership.user_id] = membership.user
    found = []
    for pk, labels in overdue.items():
        kpi = kpis[pk]
        if kpi.reporting_organisation_id is None:
            reporters = chairs.get(kpi.workstream_id, [])
        else:
            reporters = partners.get(kpi.reporting_organisation_id, [])
        found += [
            due_reminders.KpiPeriodFacts(
                kpi_id=pk,
                workstream_id=kpi.workstream_id,
                period=label,
                sort_key=kpi.display_order,
                reporter_ids=tuple(reporters),
                waiting=(pk, label) in waiting,
            )
            for label in labels
        ]
    return kpis, found


def _earlier_reminders(*, today: dt.date, repeat_days: int) -> list[ReminderSent]:
    """Lead reminders of the repeat window (today included), this week's digests."""
    days = [
        due_reminders.day_key(today - dt.timedelta(days=n))
        for n in range(max(repeat_days, 1))
    ]
    return list(
        ReminderSent.objects.filter(
            Q(kind=ReminderSent.Kind.LEAD_STALE, period_key__in=days)
            | Q(
                kind=ReminderSent.Kind.CHAIR_DIGEST,
                period_key=due_reminders.week_key(today),
            )
        ).only("kind", "recipient_id", "period_key", "action_ids")
    )


def reminders_plan(*, today: dt.date, digest_now: bool = False) -> ReminderPlan:
    """Everything ``send_reminders`` would send on ``today``, nothing sent.

    Six queries whatever the number of actions, and five more at most
    whatever the number of KPIs: open actions, workstreams, their deputies,
    active KPIs (and, when any is overdue, their values and targets, the
    entries waiting for approval, the reporting partners), undecided
    submissions, reminders already sent.
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
    kpis, kpi_periods = _overdue_kpi_periods(today=today, chairs=chairs, users=users)
    earlier = _earlier_reminders(today=today, repeat_days=repeat_days)
    sent_today = [
        row.recipient_id
        for row in earlier
        if row.kind == ReminderSent.Kind.LEAD_STALE
        and row.period_key == due_reminders.day_key(today)
    ]
    lead_history = defaultdict(list)
    for row in earlier:
        if row.kind == ReminderSent.Kind.LEAD_STALE:
            day = dt.date.fromisoformat(row.period_key)
            lead_history[row.recipient_id].append((day, row.action_ids))
    due = due_reminders.lead_reminders(
        facts, kpis=kpi_periods, today=today, stale_days=stale_days
    )
    leads = due_reminders.not_yet_sent(due, sent_to=sent_today)
    leads = due_reminders.not_recently_reminded(
        leads, earlier=lead_history, today=today, repeat_days=repeat_days
    )

    digest_day = due_reminders.digest_due(
        today, weekday=settings.REMINDER_DIGEST_WEEKDAY, forced=digest_now
    )
    submissions, digests, digests_due = {}, [], []
    if digest_day:
        undecided = Submission.objects.filter(
            status__in=due_reminders.UNDECIDED_SUBMISSION_STATUSES
        ).select_related("organisation")
        submissions = {s.pk: s for s in undecided.order_by("created_at", "pk")}
        digests_due = due_reminders.chair_digests(
            chairs=chairs,
            actions=facts,
            submissions=[
                due_reminders.SubmissionFacts(s.pk, s.workstream_id, s.status)
                for s in submissions.values()
            ],
            today=today,
            stale_days=stale_days,
            kpis=kpi_periods,
        )
        digested = [
            row.recipient_id
            for row in earlier
            if row.kind == ReminderSent.Kind.CHAIR_DIGEST
        ]
        digests = due_reminders.not_yet_sent(digests_due, sent_to=digested)
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
        kpis=kpis,
        kpi_periods=kpi_periods,
    )
