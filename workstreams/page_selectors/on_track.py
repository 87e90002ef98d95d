"""Each workstream's on-track judgement as a visitor sees it (ADR 19): the
rule's verdict (`workstreams.on_track`) on the current workplan the visitor
sees, and the override of its chair, a deputy or an officer where one was set.

An override belongs to the workplan it judged and to what the rule said then:
- set on another workplan (a past year, or a draft the visitor cannot see), it
  is not shown at all;
- once the rule says something else than when it was set, it *lapses*: the
  rule's judgement is shown, with the lapsed override beside it, so an
  override can never hide a position that has changed since.

One query for the actions of any number of workplans, one for the output KPIs
of every workstream judged (two more, `output_progress` for all of them at
once, when there are any), one more for the names of those who set overrides
(signed-in visitors only; anonymous visitors read "a programme user", as on an
action's timeline: `rules.person_label`, ADR 26).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Q, Subquery
from django.utils import timezone

from indicators.models import Place
from indicators.output_progress import output_progress
from workstreams import due_reminders, rules, selectors
from workstreams.models import Action, Kpi, Workplan, Workstream
from workstreams.on_track import (
    Judgement,
    KpiFacts,
    Verdict,
    facts_count,
    judge,
    judgement_shape,
    kpi_facts_count,
)


@dataclass(frozen=True)
class OnTrackOverride:
    judgement: Judgement
    reason: str
    set_by: str  # as this visitor may see it
    set_at: dt.datetime
    rule_said: Judgement
    applies: bool  # False: the rule has said something else since

    @property
    def label(self) -> str:
        return self.judgement.label

    @property
    def shape(self) -> str:
        return judgement_shape(self.judgement)


@dataclass(frozen=True)
class OnTrack:
    """What a workstream's pages show: the judgement in force, the rule's own,
    and the override (applying or lapsed), if any."""

    computed: Verdict
    override: OnTrackOverride | None = None
    stale_days: int = 30  # for "How this is judged"

    @property
    def overridden(self) -> bool:
        return self.override is not None and self.override.applies

    @property
    def judgement(self) -> Judgement:
        return self.override.judgement if self.overridden else self.computed.judgement

    @property
    def label(self) -> str:
        return self.judgement.label

    @property
    def shape(self) -> str:
        return judgement_shape(self.judgement)


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _action_facts(user, workplan_ids: list[int]) -> dict[int, list]:
    """Each workplan's actions as the reminders' rules read them: one query."""
    if not workplan_ids:
        return {}
    rows = (
        rules.visible_actions(user, Action.objects.filter(workplan_id__in=workplan_ids))
        .values("pk", "workplan_id", "status", "rag", "due_date", "created_at")
        .annotate(
            last_update_at=Max("progress_updates__created_at"),
            last_reported_on=Max("progress_updates__reported_on"),
        )
        .order_by()
    )
    found: dict[int, list] = defaultdict(list)
    for row in rows:
        days = [
            _local_date(row["created_at"]),
            _local_date(row["last_update_at"]),
            row["last_reported_on"],
        ]
        found[row["workplan_id"]].append(
            due_reminders.ActionFacts(
                pk=row["pk"],
                workstream_id=0,
                status=row["status"],
                rag=row["rag"],
                due_date=row["due_date"],
                last_activity_on=max(day for day in days if day is not None),
            )
        )
    return found


def kpi_facts(workstream_ids: Iterable[int], *, today: dt.date) -> dict[int, KpiFacts]:
    """Each workstream's output KPIs as the rule reads them (by workstream id;
    none: absent): KPIs not retired by ``today``, each with its year-to-date
    judgement and whether a value is overdue, from `output_progress` (the
    year each KPI's pages show). KPIs and approved values are public, so this
    is the same for every visitor. One query, and two more when there are KPIs."""
    kpis = list(
        Kpi.objects.filter(workstream_id__in=list(workstream_ids))
        .filter(
            Q(indicator__retired_on__isnull=True) | Q(indicator__retired_on__gt=today)
        )
        .select_related("indicator")
        .annotate(place_area_id=Subquery(Place.objects.values("area_id")[:1]))
        .order_by("pk")
    )
    if not kpis:
        return {}
    progress = output_progress(
        [kpi.indicator for kpi in kpis], area_id=kpis[0].place_area_id, today=today
    )
    by_workstream = defaultdict(list)
    for kpi in kpis:
        by_workstream[kpi.workstream_id].append(progress[kpi.indicator_id])
    return {
        workstream_id: kpi_facts_count(
            [
                p.year_to_date_judgement.status if p.year_to_date_judgement else None
                for p in found
            ],
            overdue=sum(1 for p in found if p.overdue),
        )
        for workstream_id, found in by_workstream.items()
    }


def _names(user, workstreams: Iterable[Workstream]) -> dict[int, str]:
    """Who set each override, as ``user`` may see them (one query, or none)."""
    ids = {w.on_track_set_by_id for w in workstreams if w.on_track_override}
    ids.discard(None)
    if not ids:
        return {}
    if not rules.shows_people(user):  # no query: the public reads no names
        return dict.fromkeys(ids, rules.PUBLIC_PERSON)
    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)}
    return {pk: rules.person_label(user, people.get(pk)) for pk in ids}


def _override(
    workstream: Workstream, computed: Verdict, workplan, names: Mapping[int, str]
) -> OnTrackOverride | None:
    if not workstream.on_track_override or workplan is None:
        return None
    if workstream.on_track_workplan_id != workplan.pk:
        return None
    rule_said = Judgement(workstream.on_track_rule_said)
    return OnTrackOverride(
        judgement=Judgement(workstream.on_track_override),
        reason=workstream.on_track_reason,
        set_by=names.get(workstream.on_track_set_by_id, rules.PERSON_NOT_RECORDED),
        set_at=workstream.on_track_set_at,
        rule_said=rule_said,
        applies=rule_said == computed.judgement,
    )


def on_track_judgements(
    *,
    user,
    workstreams: Iterable[Workstream],
    workplans: Mapping[int, Workplan | None],
    today: dt.date | None = None,
) -> dict[int, OnTrack]:
    """Each workstream's judgement, given the current workplan ``user`` sees of
    each (``workplans``, by workstream id): five queries at most (the actions,
    the KPIs, their values and targets, the names), whatever the number of
    workstreams and KPIs."""
    today = today or timezone.localdate()
    stale_days = settings.REMINDER_STALE_DAYS
    workstreams = list(workstreams)
    ids = [w.pk for w in workplans.values() if w is not None]
    facts = _action_facts(user, ids)
    kpis = kpi_facts([w.pk for w in workstreams], today=today)
    names = _names(user, workstreams)
    found = {}
    for workstream in workstreams:
        workplan = workplans.get(workstream.pk)
        counted = facts_count(
            facts.get(workplan.pk, []) if workplan else [],
            workplan_status=workplan.status if workplan else None,
            today=today,
            stale_days=stale_days,
            drafts_hidden=not rules.can_read_drafts_of(user, workstream.pk),
        )
        computed = judge(
            replace(counted, **kpis.get(workstream.pk, KpiFacts()).fields())
        )
        found[workstream.pk] = OnTrack(
            computed,
            _override(workstream, computed, workplan, names),
            stale_days=stale_days,
        )
    return found


def current_workplan_seen(*, user, workstream: Workstream) -> Workplan | None:
    """The current workplan of ``workstream`` as ``user`` sees it (its pages')."""
    summary = selectors.workstream_summaries(user=user, workstream_ids=[workstream.pk])[
        workstream.pk
    ]
    return summary.workplan.workplan if summary.workplan else None


def on_track_judgement(
    *, user, workstream: Workstream, today: dt.date | None = None
) -> tuple[OnTrack, Workplan | None]:
    """One workstream's judgement and the workplan it judges, as ``user`` sees it."""
    workplan = current_workplan_seen(user=user, workstream=workstream)
    judgements = on_track_judgements(
        user=user,
        workstreams=[workstream],
        workplans={workstream.pk: workplan},
        today=today,
    )
    return judgements[workstream.pk], workplan
