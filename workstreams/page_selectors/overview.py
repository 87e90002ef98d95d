"""The overview page (`/`): each workstream as a card, then the outcome measures
summarised by Marmot principle. A fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from indicators.selectors import place_get
from workstreams import rules, selectors
from workstreams.filters import CLOSED_ACTION_STATUSES
from workstreams.models import Action, Workstream
from workstreams.page_selectors.on_track import OnTrack, on_track_judgements
from workstreams.page_selectors.overview_measures import (
    OutcomeSummary,
    PrincipleRow,
    outcome_summary,
)
from workstreams.selectors import WorkstreamSummary

NOT_RATED = "none"


@dataclass(frozen=True)
class Tally:
    """One count shown on a card: the value (for the tag), its words, how many."""

    value: str
    label: str
    count: int


@dataclass
class WorkstreamCard:
    workstream: Workstream
    summary: WorkstreamSummary
    overdue: int = 0
    last_update: dt.date | None = None
    by_status: list[Tally] = field(default_factory=list)
    by_rag: list[Tally] = field(default_factory=list)
    reads_drafts: bool = False
    on_track: OnTrack | None = None  # is it on track? (ADR 19)

    @property
    def workplan(self):
        return self.summary.workplan.workplan if self.summary.workplan else None

    @property
    def action_count(self) -> int:
        return self.summary.workplan.action_count if self.summary.workplan else 0


@dataclass
class OverviewPage:
    cards: list[WorkstreamCard]
    measures: OutcomeSummary
    national_name: str

    @property
    def principles(self) -> list[PrincipleRow]:
        return self.measures.principles

    @property
    def totals(self) -> PrincipleRow:
        return self.measures.totals


def _counts(choices, counted: dict[str, int], extra=()) -> list[Tally]:
    return [
        Tally(value, label, counted.get(value, 0))
        for value, label in [*choices, *extra]
        if counted.get(value, 0)
    ]


def workstream_cards(*, user, today: dt.date) -> list[WorkstreamCard]:
    """Workstreams in order with their current workplan's action counts, overdue
    count and last progress update date (what `user` may see): six queries."""
    workstreams = list(selectors.workstream_list().prefetch_related(None))
    summaries = selectors.workstream_summaries(
        user=user, workstream_ids=[w.pk for w in workstreams]
    )
    cards = [
        WorkstreamCard(
            w, summaries[w.pk], reads_drafts=rules.can_read_drafts_of(user, w.pk)
        )
        for w in workstreams
    ]
    by_workplan = {c.workplan.pk: c for c in cards if c.workplan is not None}
    overdue = Q(due_date__lt=today) & ~Q(status__in=CLOSED_ACTION_STATUSES)
    rows = (
        Action.objects.filter(workplan_id__in=list(by_workplan), archived_at=None)
        .values("workplan_id")
        .annotate(
            overdue=Count("id", filter=overdue, distinct=True),
            last_update=Max("progress_updates__reported_on"),
        )
        .order_by()
    )
    for row in rows:
        card = by_workplan[row["workplan_id"]]
        card.overdue = row["overdue"]
        card.last_update = row["last_update"]
    for card in cards:
        if card.summary.workplan is not None:
            card.by_status = _counts(
                Action.Status.choices, card.summary.workplan.by_status
            )
            card.by_rag = _counts(
                Action.Rag.choices,
                card.summary.workplan.by_rag,
                extra=[(NOT_RATED, "Not rated")],
            )
    _add_on_track(cards, user=user, today=today)
    return cards


def _add_on_track(cards: list[WorkstreamCard], *, user, today: dt.date) -> None:
    """Each card's on-track judgement (two queries at most, for all cards)."""
    judged = on_track_judgements(
        user=user,
        workstreams=[card.workstream for card in cards],
        workplans={card.workstream.pk: card.workplan for card in cards},
        today=today,
    )
    for card in cards:
        card.on_track = judged[card.workstream.pk]


def overview_page(*, user, today: dt.date | None = None) -> OverviewPage:
    today = today or timezone.localdate()
    place = place_get()
    national_name = place.country.name if place else "England"
    return OverviewPage(
        cards=workstream_cards(user=user, today=today),
        measures=outcome_summary(user=user, national_name=national_name),
        national_name=national_name,
    )
