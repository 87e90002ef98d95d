"""Is a workstream on track? The roll-up rule: pure (no queries), over plain
counts (ADR 19).

The facts are those of the workstream's current workplan (the one a visitor
sees on its pages), counted with the reminders' own definitions
(`workstreams.due_reminders`): an action is *open* unless completed or cancelled,
*overdue* when open and due before today, *stale* when open with no progress
update (nor creation) for ``stale_days`` days. Taken in this order, the first
that applies decides:

1. **Not yet known**: no current workplan (for the public: none published
   yet), or it has no actions yet, or every action was cancelled.
2. **On track**: every action completed or cancelled (at least one completed),
   unless the workplan is not signed off (then 6).
3. **Off track**: a third or more of the open actions are red, or a third or
   more are overdue.
4. **Some concerns**: any open action is red or overdue, or a third or more are
   amber, or a third or more are stale.
5. **Not yet known**: more than half the open actions have no RAG rating.
6. **Some concerns**: the workplan is not signed off (a draft, or in
   consultation).
7. **On track**: otherwise.

Then the workstream's output KPIs (ADR 32), judged by their year-to-date
judgement against the pro-rata target (`indicators.output_progress`), can only
make it worse:

8. **Off track**: a third or more of the judged KPIs are off target;
9. **Some concerns** (unless already off track): any KPI is off target or has
   a value overdue, or a third or more of the judged KPIs are within tolerance.

A workstream without KPIs is judged by its actions alone.

The reasons name every count that bears on the judgement, worst first, e.g.
"2 of 6 open actions red; 1 overdue; workplan not signed off (a draft)", then
the KPIs' ("1 of 6 KPIs off target; 1 within tolerance; 1 KPI with values
overdue").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from indicators.statistics.year_to_date import TargetStatus
from workstreams import due_reminders
from workstreams.models import Action, Workplan, Workstream

Judgement = Workstream.Judgement
AGREED_STATUSES = (Workplan.Status.SIGNED_OFF, Workplan.Status.CLOSED)
WORKPLAN_NOT_AGREED = {
    Workplan.Status.DRAFT: "workplan not signed off (a draft)",
    Workplan.Status.CONSULTATION: "workplan not signed off (in consultation)",
}
RAGS = (Action.Rag.RED, Action.Rag.AMBER, Action.Rag.GREEN)
NOT_RATED = "not_rated"


#: The shape shown with the words (`marmot-rag--<shape>`): circle, triangle,
#: diamond, empty square — as the actions' green, amber, red and "Not rated".
SHAPES = {
    Judgement.ON_TRACK: "green",
    Judgement.SOME_CONCERNS: "amber",
    Judgement.OFF_TRACK: "red",
    Judgement.NOT_YET_KNOWN: "none",
}


@dataclass(frozen=True)
class WorkstreamFacts:
    """What the rule reads about one workstream's current workplan.

    ``workplan_status`` is None when there is no current workplan. RAG counts,
    ``overdue`` and ``stale`` are of open actions only."""

    workplan_status: str | None
    completed: int = 0
    cancelled: int = 0
    red: int = 0
    amber: int = 0
    green: int = 0
    not_rated: int = 0
    overdue: int = 0
    stale: int = 0
    stale_days: int = 30
    drafts_hidden: bool = False  # the visitor sees published workplans only
    # The workstream's output KPIs (not retired): how many have a year-to-date
    # judgement against a target, how many of those are off target or within
    # tolerance, and how many have a value overdue.
    kpis_judged: int = 0
    kpis_off_target: int = 0
    kpis_within_tolerance: int = 0
    kpis_overdue: int = 0

    @property
    def open(self) -> int:
        return self.red + self.amber + self.green + self.not_rated

    @property
    def actions(self) -> int:
        return self.open + self.completed + self.cancelled

    @property
    def agreed(self) -> bool:
        return self.workplan_status in AGREED_STATUSES


@dataclass(frozen=True)
class Verdict:
    judgement: Judgement
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.judgement.label

    @property
    def shape(self) -> str:
        return SHAPES[self.judgement]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def judgement_shape(judgement: str) -> str:
    return SHAPES.get(judgement, "none")


def _share(count: int, total: int, *, at_least: int, of: int) -> bool:
    """``count`` is ``at_least``/``of`` or more of ``total`` (exactly, in integers)."""
    return total > 0 and count * of >= total * at_least


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _counts(facts: WorkstreamFacts, *, green: bool = False) -> list[str]:
    """Every count worth saying, worst first (green first when ``green``); the
    first says "of N open actions"."""
    found = [
        *([(facts.green, "green")] if green else []),
        (facts.red, "red"),
        (facts.overdue, "overdue"),
        (facts.amber, "amber"),
        (facts.stale, f"with no update for {facts.stale_days} days"),
        (facts.not_rated, "not rated"),
    ]
    words = []
    for count, what in found:
        if not count:
            continue
        if words:
            words.append(f"{count} {what}")
        else:
            words.append(f"{count} of {_plural(facts.open, 'open action')} {what}")
    return words


def _workplan(facts: WorkstreamFacts) -> list[str]:
    if facts.agreed:
        return []
    return [WORKPLAN_NOT_AGREED.get(facts.workplan_status, "workplan not signed off")]


def _kpi_counts(facts: WorkstreamFacts) -> list[str]:
    """The KPIs' counts worth saying, worst first; the first says "of N KPIs"."""
    judged = facts.kpis_judged
    words = []
    for count, what in (
        (facts.kpis_off_target, "off target"),
        (facts.kpis_within_tolerance, "within tolerance"),
    ):
        if count:
            words.append(
                f"{count} {what}"
                if words
                else f"{count} of {_plural(judged, 'KPI')} {what}"
            )
    if judged and not words:
        words.append(f"{judged} of {_plural(judged, 'KPI')} on target")
    if facts.kpis_overdue:
        words.append(f"{_plural(facts.kpis_overdue, 'KPI')} with values overdue")
    return words


def judge(facts: WorkstreamFacts) -> Verdict:
    """The rule (see the module's docstring and ADR 19), with its reasons:
    the actions' judgement (steps 1 to 7), made worse by the KPIs' (8, 9)."""
    verdict = _judge_actions(facts)
    reasons = _kpi_counts(facts)
    if not reasons:
        return verdict
    third = {"at_least": 1, "of": 3}
    judgement = verdict.judgement
    if _share(facts.kpis_off_target, facts.kpis_judged, **third):
        judgement = Judgement.OFF_TRACK
    elif judgement != Judgement.OFF_TRACK and (
        facts.kpis_off_target
        or facts.kpis_overdue
        or _share(facts.kpis_within_tolerance, facts.kpis_judged, **third)
    ):
        judgement = Judgement.SOME_CONCERNS
    return Verdict(judgement, (*verdict.reasons, *reasons))


def _judge_actions(facts: WorkstreamFacts) -> Verdict:
    """Steps 1 to 7: the current workplan's actions."""
    if facts.workplan_status is None:
        none = "no published workplan yet" if facts.drafts_hidden else None
        return Verdict(Judgement.NOT_YET_KNOWN, (none or "no current workplan",))
    if facts.actions == 0:
        return Verdict(
            Judgement.NOT_YET_KNOWN,
            ("the workplan has no actions yet", *_workplan(facts)),
        )
    if facts.open == 0:
        if facts.completed == 0:
            every = f"{facts.cancelled} of {_plural(facts.cancelled, 'action')}"
            return Verdict(
                Judgement.NOT_YET_KNOWN,
                (f"{every} cancelled", *_workplan(facts)),
            )
        every = f"{facts.actions} of {_plural(facts.actions, 'action')}"
        done = f"{every} completed or cancelled"
        if not facts.agreed:
            return Verdict(Judgement.SOME_CONCERNS, (done, *_workplan(facts)))
        return Verdict(Judgement.ON_TRACK, (done,))
    reasons = (*_counts(facts), *_workplan(facts))
    third = {"at_least": 1, "of": 3}
    if _share(facts.red, facts.open, **third) or _share(
        facts.overdue, facts.open, **third
    ):
        return Verdict(Judgement.OFF_TRACK, reasons)
    if (
        facts.red
        or facts.overdue
        or _share(facts.amber, facts.open, **third)
        or _share(facts.stale, facts.open, **third)
    ):
        return Verdict(Judgement.SOME_CONCERNS, reasons)
    if facts.not_rated * 2 > facts.open:
        return Verdict(Judgement.NOT_YET_KNOWN, reasons)
    reasons = (*_counts(facts, green=True), "none overdue", *_workplan(facts))
    if not facts.agreed:
        return Verdict(Judgement.SOME_CONCERNS, reasons)
    return Verdict(Judgement.ON_TRACK, (*reasons, "workplan signed off"))


def facts_count(
    actions: Iterable[due_reminders.ActionFacts],
    *,
    workplan_status: str | None,
    today: dt.date,
    stale_days: int,
    drafts_hidden: bool = False,
) -> WorkstreamFacts:
    """Count one workplan's actions as the rule reads them."""
    closed = (Action.Status.COMPLETED, Action.Status.CANCELLED)
    counts = dict.fromkeys((*closed, *RAGS, NOT_RATED), 0)
    overdue = stale = 0
    for action in actions:
        if not due_reminders.is_open(action):
            counts[action.status] += 1
            continue
        counts[action.rag if action.rag in RAGS else NOT_RATED] += 1
        overdue += due_reminders.is_overdue(action, today=today)
        stale += due_reminders.is_stale(action, today=today, stale_days=stale_days)
    return WorkstreamFacts(
        workplan_status=workplan_status,
        completed=counts[Action.Status.COMPLETED],
        cancelled=counts[Action.Status.CANCELLED],
        red=counts[Action.Rag.RED],
        amber=counts[Action.Rag.AMBER],
        green=counts[Action.Rag.GREEN],
        not_rated=counts[NOT_RATED],
        overdue=overdue,
        stale=stale,
        stale_days=stale_days,
        drafts_hidden=drafts_hidden,
    )


@dataclass(frozen=True)
class KpiFacts:
    """The KPI facts of one workstream (`WorkstreamFacts`' kpis_* fields)."""

    judged: int = 0
    off_target: int = 0
    within_tolerance: int = 0
    overdue: int = 0

    def fields(self) -> dict[str, int]:
        return {
            "kpis_judged": self.judged,
            "kpis_off_target": self.off_target,
            "kpis_within_tolerance": self.within_tolerance,
            "kpis_overdue": self.overdue,
        }


def kpi_facts_count(judgements: Iterable[str | None], *, overdue: int) -> KpiFacts:
    """Count one workstream's KPIs: ``judgements`` holds each KPI's year-to-date
    judgement status (`TargetStatus`, or None when not judged); ``overdue``
    the KPIs with a value overdue."""
    statuses = [status for status in judgements if status is not None]
    return KpiFacts(
        judged=len(statuses),
        off_target=statuses.count(TargetStatus.OFF_TARGET),
        within_tolerance=statuses.count(TargetStatus.WITHIN_TOLERANCE),
        overdue=overdue,
    )
