"""Which reminders are due: pure rules over plain values, no database.

`workstreams.services.reminders` loads the facts (one row per open action of a
signed-off workplan, one per undecided submission, who chairs what, what was
already sent) and these functions decide who gets what, so every rule can be
tested without a database.

- A lead is reminded about their actions that are **overdue** (due date passed,
  not completed or cancelled) or **stale** (no progress update, nor creation,
  for ``stale_days`` days): one email listing all of them.
- A lead reminded in the last ``repeat_days`` days is not reminded again unless
  an action has joined their list since (so a daily cron does not nag daily).
- Each chair and deputy gets one weekly digest of their workstreams: overdue, at
  risk (RAG red or amber), stale, and new submissions; actions with no named
  lead are marked, as nobody else is reminded about them. Empty digests are not
  sent.
- Output KPIs (ADR 32): a KPI period that ended more than ``KPI_DUE_DAYS``
  ago with no approved value (`indicators.output_progress`; retired KPIs nag
  nobody) goes into the reminder of whoever reports it — the partners of its
  reporting organisation, or the workstream's chairs when it has none — and
  into the digest of every chair of its workstream. A period with a partner's
  entry waiting for the chair's approval is left out of the reporter's
  reminder (they have done their part) but stays in the chair's digest, marked
  as waiting for approval. The reporter's reminder is the lead reminder (one
  email per person, same repeat rule): a KPI period counts as one more item.
- Idempotency keys: the ISO date for lead reminders, the ISO week ("2026-W48")
  for digests. The items a reminder listed are recorded with it (action ids,
  and "kpi:<id>:<period>" for KPI periods) for the repeat rule.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workstreams.models import Action, Submission, Workplan

# Only actions of the agreed, current year nag anyone: draft and consultation
# workplans are still being written, closed ones are finished years.
REMINDED_WORKPLAN_STATUSES = (Workplan.Status.SIGNED_OFF,)
DONE_STATUSES = frozenset({Action.Status.COMPLETED, Action.Status.CANCELLED})
AT_RISK_RAGS = (Action.Rag.RED, Action.Rag.AMBER)
UNDECIDED_SUBMISSION_STATUSES = (
    Submission.Status.SUBMITTED,
    Submission.Status.MORE_INFO,
)

OVERDUE = "overdue"
STALE = "stale"


@dataclass(frozen=True)
class ActionFacts:
    """What the rules need to know about one action."""

    pk: int
    workstream_id: int
    status: str
    rag: str
    due_date: dt.date | None
    last_activity_on: dt.date  # created, or the latest progress update
    lead_user_id: int | None = None  # None: nobody who can be emailed


@dataclass(frozen=True)
class SubmissionFacts:
    pk: int
    workstream_id: int
    status: str


def is_open(action: ActionFacts) -> bool:
    return action.status not in DONE_STATUSES


def is_overdue(action: ActionFacts, *, today: dt.date) -> bool:
    """Due before today and neither completed nor cancelled."""
    return is_open(action) and action.due_date is not None and action.due_date < today


def days_quiet(action: ActionFacts, *, today: dt.date) -> int:
    """Days since the action was created or last had a progress update."""
    return (today - action.last_activity_on).days


def is_stale(action: ActionFacts, *, today: dt.date, stale_days: int) -> bool:
    """Open, and no progress update (nor creation) for ``stale_days`` days."""
    return is_open(action) and days_quiet(action, today=today) >= stale_days


def is_at_risk(action: ActionFacts) -> bool:
    return is_open(action) and action.rag in AT_RISK_RAGS


def reasons(action: ActionFacts, *, today: dt.date, stale_days: int) -> tuple:
    """Why a lead should hear about the action: overdue, stale, both or none."""
    found = []
    if is_overdue(action, today=today):
        found.append(OVERDUE)
    if is_stale(action, today=today, stale_days=stale_days):
        found.append(STALE)
    return tuple(found)


def _by_due_date(action: ActionFacts) -> tuple:
    return (action.due_date is None, action.due_date or dt.date.max, action.pk)


@dataclass(frozen=True)
class KpiPeriodFacts:
    """One overdue period of an output KPI: ended more than ``KPI_DUE_DAYS``
    ago with no approved value. ``reporter_ids``: who records it and can be
    emailed (the reporting organisation's partners, or the chairs when it has
    none); ``waiting``: a partner's entry waits for the chair's approval."""

    kpi_id: int
    workstream_id: int
    period: str
    sort_key: int = 0  # order of the KPI on its workstream's pages
    reporter_ids: tuple[int, ...] = ()
    waiting: bool = False

    @property
    def key(self) -> str:
        return kpi_key(self.kpi_id, self.period)


def kpi_key(kpi_id: int, period: str) -> str:
    """How a KPI period is recorded among a reminder's items: "kpi:12:2026/27 Q3"."""
    return f"kpi:{kpi_id}:{period}"


def _kpi_order(kpi: KpiPeriodFacts) -> tuple:
    """KPIs in page order; a KPI's periods as given (oldest first: sorting is
    stable, and labels such as "April 2026" do not sort as text)."""
    return (kpi.sort_key, kpi.kpi_id)


@dataclass(frozen=True)
class LeadReminder:
    recipient_id: int
    actions: tuple[ActionFacts, ...]
    kpis: tuple[KpiPeriodFacts, ...] = ()

    @property
    def action_ids(self) -> list[int]:
        return [action.pk for action in self.actions]

    @property
    def item_keys(self) -> list:
        """What the reminder lists, as recorded in `ReminderSent.action_ids`:
        action ids, then KPI period keys."""
        return [*self.action_ids, *(kpi.key for kpi in self.kpis)]


def lead_reminders(
    actions: Iterable[ActionFacts],
    *,
    today: dt.date,
    stale_days: int,
    kpis: Iterable[KpiPeriodFacts] = (),
) -> list[LeadReminder]:
    """One reminder per lead, listing all their overdue or stale actions
    (earliest due first), and the overdue KPI periods they report (those
    waiting for the chair's approval left out). Actions without a lead are
    nobody's reminder."""
    by_lead: dict[int, list[ActionFacts]] = defaultdict(list)
    for action in actions:
        if action.lead_user_id is None:
            continue
        if reasons(action, today=today, stale_days=stale_days):
            by_lead[action.lead_user_id].append(action)
    by_reporter: dict[int, list[KpiPeriodFacts]] = defaultdict(list)
    for kpi in kpis:
        if kpi.waiting:
            continue
        for user_id in set(kpi.reporter_ids):
            by_reporter[user_id].append(kpi)
    return [
        LeadReminder(
            recipient_id=user_id,
            actions=tuple(sorted(by_lead.get(user_id, ()), key=_by_due_date)),
            kpis=tuple(sorted(by_reporter.get(user_id, ()), key=_kpi_order)),
        )
        for user_id in sorted({*by_lead, *by_reporter})
    ]


def day_key(today: dt.date) -> str:
    """The idempotency key of a lead reminder: "2026-11-23"."""
    return today.isoformat()


def week_key(today: dt.date) -> str:
    """The idempotency key of a digest: the ISO week, "2026-W48"."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def digest_due(today: dt.date, *, weekday: int, forced: bool = False) -> bool:
    """Digests go on one weekday (0 = Monday), or whenever forced."""
    return forced or today.weekday() == weekday


def not_yet_sent(reminders: Iterable, *, sent_to: Iterable[int]) -> list:
    """Drop the reminders whose recipient already has one for this period."""
    sent = set(sent_to)
    return [reminder for reminder in reminders if reminder.recipient_id not in sent]


def not_recently_reminded(
    reminders: Iterable[LeadReminder],
    *,
    earlier: Mapping[int, Iterable[tuple[dt.date, Iterable[int]]]],
    today: dt.date,
    repeat_days: int,
) -> list[LeadReminder]:
    """Drop a lead's reminder if they had one in the last ``repeat_days`` days
    (before today) that already listed every item (action or KPI period) it
    lists now.

    ``earlier`` maps a recipient to the (day, item keys) of reminders sent to
    them. ``repeat_days`` of 1 reminds every day; 7, once a week.
    """
    kept = []
    for reminder in reminders:
        recent: set = set()
        for day, item_keys in earlier.get(reminder.recipient_id, ()):
            if 0 < (today - day).days < repeat_days:
                recent.update(item_keys)
        if not set(reminder.item_keys) <= recent:
            kept.append(reminder)
    return kept


@dataclass(frozen=True)
class WorkstreamDigest:
    workstream_id: int
    overdue: tuple[ActionFacts, ...] = ()
    at_risk: tuple[ActionFacts, ...] = ()
    stale: tuple[ActionFacts, ...] = ()
    submissions: tuple[SubmissionFacts, ...] = ()
    kpis: tuple[KpiPeriodFacts, ...] = ()  # overdue KPI periods

    @property
    def is_empty(self) -> bool:
        return not (
            self.overdue or self.at_risk or self.stale or self.submissions or self.kpis
        )

    @property
    def no_named_lead(self) -> tuple[ActionFacts, ...]:
        """Overdue or stale actions nobody was reminded about."""
        seen = {a.pk: a for a in (*self.overdue, *self.stale) if a.lead_user_id is None}
        return tuple(seen.values())


@dataclass(frozen=True)
class ChairDigest:
    recipient_id: int
    workstreams: tuple[WorkstreamDigest, ...]

    @property
    def action_ids(self) -> list[int]:
        ids = set()
        for section in self.workstreams:
            for action in (*section.overdue, *section.at_risk, *section.stale):
                ids.add(action.pk)
        return sorted(ids)

    @property
    def item_keys(self) -> list:
        """Action ids, then the KPI period keys (`ReminderSent.action_ids`)."""
        kpis = [kpi.key for section in self.workstreams for kpi in section.kpis]
        return [*self.action_ids, *kpis]


def workstream_digest(
    workstream_id: int,
    *,
    actions: Iterable[ActionFacts],
    submissions: Iterable[SubmissionFacts],
    today: dt.date,
    stale_days: int,
    kpis: Iterable[KpiPeriodFacts] = (),
) -> WorkstreamDigest:
    """One workstream's section of a digest (``actions`` and ``kpis`` may be
    everyone's): every overdue KPI period of the workstream, waiting or not."""
    own = sorted(
        (a for a in actions if a.workstream_id == workstream_id), key=_by_due_date
    )
    return WorkstreamDigest(
        workstream_id=workstream_id,
        overdue=tuple(a for a in own if is_overdue(a, today=today)),
        at_risk=tuple(a for a in own if is_at_risk(a)),
        stale=tuple(a for a in own if is_stale(a, today=today, stale_days=stale_days)),
        submissions=tuple(
            s
            for s in submissions
            if s.workstream_id == workstream_id
            and s.status in UNDECIDED_SUBMISSION_STATUSES
        ),
        kpis=tuple(
            sorted(
                (k for k in kpis if k.workstream_id == workstream_id), key=_kpi_order
            )
        ),
    )


def chair_digests(
    *,
    chairs: Mapping[int, Iterable[int]],
    actions: Iterable[ActionFacts],
    submissions: Iterable[SubmissionFacts],
    today: dt.date,
    stale_days: int,
    kpis: Iterable[KpiPeriodFacts] = (),
) -> list[ChairDigest]:
    """One digest per chair or deputy (``chairs`` maps a workstream to the
    users who chair it), with a section for each of their workstreams that has
    something to report; chairs with nothing to report get no digest."""
    actions, submissions, kpis = list(actions), list(submissions), list(kpis)
    sections = {
        workstream_id: workstream_digest(
            workstream_id,
            actions=actions,
            submissions=submissions,
            kpis=kpis,
            today=today,
            stale_days=stale_days,
        )
        for workstream_id in chairs
    }
    by_user: dict[int, list[WorkstreamDigest]] = defaultdict(list)
    for workstream_id, users in chairs.items():
        section = sections[workstream_id]
        if section.is_empty:
            continue
        for user_id in sorted(set(users)):
            by_user[user_id].append(section)
    return [
        ChairDigest(recipient_id=user_id, workstreams=tuple(found))
        for user_id, found in sorted(by_user.items())
    ]
