"""The overview page (`/`): each workstream as a card, then the outcome measures
summarised by Marmot principle. A fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone

from indicators.models import Assessment, Indicator
from indicators.selectors import IndicatorLatest, indicator_latest_values, place_get
from marmot.site.data_version import data_version
from marmot.site.page_cache import CACHE_SECONDS
from workstreams import rules, selectors
from workstreams.filters import CLOSED_ACTION_STATUSES
from workstreams.models import Action, MarmotPrinciple, Workstream
from workstreams.selectors import WorkstreamSummary

NATIONAL = Assessment.Benchmark.NATIONAL
IMPROVING_SUFFIX = "getting better"
WORSENING_SUFFIX = "getting worse"
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

    @property
    def workplan(self):
        return self.summary.workplan.workplan if self.summary.workplan else None

    @property
    def action_count(self) -> int:
        return self.summary.workplan.action_count if self.summary.workplan else 0


@dataclass
class PrincipleRow:
    """How the measures under one principle compare with the national benchmark."""

    principle: MarmotPrinciple | None
    measures: int = 0
    better: int = 0
    similar: int = 0
    worse: int = 0
    not_compared: int = 0
    improving: int = 0
    worsening: int = 0
    worse_and_worsening: int = 0

    def add(self, entry: IndicatorLatest) -> None:
        self.measures += 1
        national = entry.assessments.get(NATIONAL)
        result = national.result if national else None
        if result in ("better", "similar", "worse"):
            setattr(self, result, getattr(self, result) + 1)
        else:
            self.not_compared += 1
        label = entry.trend.label if entry.trend else ""
        if label.endswith(IMPROVING_SUFFIX):
            self.improving += 1
        elif label.endswith(WORSENING_SUFFIX):
            self.worsening += 1
            if result == "worse":
                self.worse_and_worsening += 1


@dataclass
class OverviewPage:
    cards: list[WorkstreamCard]
    principles: list[PrincipleRow]
    totals: PrincipleRow
    national_name: str


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
        Action.objects.filter(workplan_id__in=list(by_workplan))
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
    return cards


def principle_rows(*, user) -> tuple[list[PrincipleRow], PrincipleRow]:
    """Each principle with its visible measures counted by their effective
    national assessment and trend; overarching measures last (if any).

    Counting judges every indicator's latest value, so the result is cached
    under the data version (ADR 15), one entry for those who see unpublished
    indicators and one for everyone else: after a write the first visitor
    counts afresh, the rest read one number."""
    audience = "all" if rules.sees_unpublished_indicators(user) else "published"
    key = f"overview-principles:{data_version()}:{audience}"
    cached = cache.get(key)
    if cached is None:
        cached = _principle_rows(user=user)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _principle_rows(*, user) -> tuple[list[PrincipleRow], PrincipleRow]:
    visible = rules.visible_indicators(user, Indicator.objects.all())
    entries = indicator_latest_values(
        indicator_ids=visible.values_list("pk", flat=True)
    )
    rows = {p.pk: PrincipleRow(p) for p in selectors.principle_list()}
    overarching = PrincipleRow(None)
    totals = PrincipleRow(None)
    for entry in entries:
        row = rows.get(entry.indicator.principle_id, overarching)
        row.add(entry)
        totals.add(entry)
    ordered = list(rows.values())
    if overarching.measures:
        ordered.append(overarching)
    return ordered, totals


def overview_page(*, user, today: dt.date | None = None) -> OverviewPage:
    today = today or timezone.localdate()
    principles, totals = principle_rows(user=user)
    place = place_get()
    return OverviewPage(
        cards=workstream_cards(user=user, today=today),
        principles=principles,
        totals=totals,
        national_name=place.country.name if place else "England",
    )
