"""The chair's landing page (`/my-workstreams/`): each workstream the visitor
chairs or deputises for (officers: every workstream) with what needs their
attention, each a count with a link to the page where it is dealt with.

Nothing is decided here that is decided elsewhere: the current workplan is
`selectors.workstream_summaries`' (as on the progress page); overdue and
"update due" are the reminders' rules (`workstreams.due_reminders`, through
`page_selectors.update_due`); overdue KPI periods come from
`indicators.output_progress`. A fixed number of queries whatever the number
of workstreams, actions, submissions, comments and KPIs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from indicators.output_progress import output_progress
from indicators.selectors import place_get
from marmot.principals import principal_for
from workstreams import due_reminders, selectors
from workstreams.models import (
    Action,
    Kpi,
    KpiEntry,
    Submission,
    Workplan,
    WorkplanComment,
    Workstream,
)
from workstreams.page_selectors.update_due import (
    LAST_NEWS,
    action_facts,
    is_update_due,
)

#: How many of an item's actions are named under it (the rest are counted).
ACTIONS_NAMED = 5


@dataclass
class AttentionItem:
    """One thing to deal with: ``count`` of them, dealt with at ``href``."""

    key: str
    count: int
    text: str  # "2 actions are overdue"
    href: str
    actions: list[Action] = field(default_factory=list)

    @property
    def named(self) -> list[Action]:
        return self.actions[:ACTIONS_NAMED]

    @property
    def more(self) -> int:
        return max(0, len(self.actions) - ACTIONS_NAMED)


@dataclass
class WorkstreamAttention:
    workstream: Workstream
    workplan: Workplan | None
    items: list[AttentionItem]
    action_count: int = 0


@dataclass
class ChairHomePage:
    workstreams: list[WorkstreamAttention]
    sees_all: bool  # an officer: every workstream, not only their own

    @property
    def total(self) -> int:
        return sum(item.count for w in self.workstreams for item in w.items)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _workstreams(user) -> list[Workstream]:
    queryset = Workstream.objects.order_by("display_order", "name")
    if not principal_for(user).officer:
        queryset = queryset.filter(pk__in=principal_for(user).chaired_workstream_ids)
    return list(queryset)


def _actions(workplans: dict[int, Workplan]) -> dict[int, list[Action]]:
    """The current workplans' actions (not archived), with their last news
    (one query), by workplan id, in the progress page's order."""
    if not workplans:
        return {}
    found: dict[int, list[Action]] = defaultdict(list)
    queryset = (
        Action.objects.filter(workplan_id__in=list(workplans), archived_at=None)
        .only(
            "pk",
            "workplan_id",
            "title",
            "status",
            "rag",
            "due_date",
            "lead_organisation_id",
            "created_at",
            "archived_at",
        )
        .annotate(**LAST_NEWS)
        .order_by("due_date", "pk")
    )
    for action in queryset:
        found[action.workplan_id].append(action)
    return found


def _count_by(queryset, key: str) -> dict[int, int]:
    return {
        row[key]: row["n"]
        for row in queryset.values(key).annotate(n=Count("pk")).order_by()
    }


def _kpi_overdue(ids: list[int], today: dt.date) -> dict[int, int]:
    """Overdue periods of each workstream's active KPIs (`output_progress`, all
    KPIs at once): one query, two more when there are KPIs."""
    active = Q(indicator__retired_on__isnull=True) | Q(indicator__retired_on__gt=today)
    kpis = list(
        Kpi.objects.filter(active, workstream_id__in=ids).select_related("indicator")
    )
    if not kpis:
        return {}
    place = place_get()
    progress = output_progress(
        [kpi.indicator for kpi in kpis],
        area_id=place.area_id if place else None,
        today=today,
    )
    found: dict[int, int] = defaultdict(int)
    for kpi in kpis:
        found[kpi.workstream_id] += len(progress[kpi.indicator_id].overdue)
    return found


def _action_items(
    slug: str, workplan: Workplan, actions: list[Action], today: dt.date
) -> list[AttentionItem]:
    progress = reverse("workstream-detail", args=[slug])
    facts = {a.pk: action_facts(a) for a in actions}
    open_ = [a for a in actions if due_reminders.is_open(facts[a.pk])]
    overdue = [a for a in open_ if due_reminders.is_overdue(facts[a.pk], today=today)]
    update_due = [
        a
        for a in open_
        if is_update_due(a, workplan_status=workplan.status, today=today)
    ]
    unrated = [a for a in open_ if not a.rag]
    no_lead = [a for a in open_ if a.lead_organisation_id is None]
    no_due = [a for a in open_ if a.due_date is None]
    found = [
        ("overdue", overdue, "action is overdue", "actions are overdue", "#attention"),
        (
            "update-due",
            update_due,
            "action has a progress update due",
            "actions have a progress update due",
            "#actions",
        ),
        (
            "unrated",
            unrated,
            "action has no RAG rating",
            "actions have no RAG rating",
            "#actions",
        ),
        (
            "no-lead",
            no_lead,
            "action has no lead organisation",
            "actions have no lead organisation",
            "#actions",
        ),
        (
            "no-due-date",
            no_due,
            "action has no due date",
            "actions have no due date",
            "#actions",
        ),
    ]
    return [
        AttentionItem(
            key=key,
            count=len(rows),
            text=_plural(len(rows), one, many),
            href=progress + anchor,
            actions=rows,
        )
        for key, rows, one, many, anchor in found
        if rows
    ]


def chair_home_page(*, user, today: dt.date) -> ChairHomePage:
    """The visitor's workstreams (officers: all) and what needs attention in
    each: submissions waiting for a decision, comments on the current workplan
    while it is in consultation, its open actions that are overdue, due a
    progress update, unrated, without a lead organisation or a due date, KPI
    values waiting for approval and overdue KPI periods."""
    workstreams = _workstreams(user)
    ids = [w.pk for w in workstreams]
    summaries = selectors.workstream_summaries(user=user, workstream_ids=ids)
    workplans = {
        s.workplan.workplan.pk: s.workplan.workplan
        for s in summaries.values()
        if s.workplan is not None
    }
    actions = _actions(workplans)
    waiting = _count_by(
        Submission.objects.filter(
            workstream_id__in=ids, status=Submission.Status.SUBMITTED
        ),
        "workstream_id",
    )
    consulting = [
        pk for pk, w in workplans.items() if w.status == Workplan.Status.CONSULTATION
    ]
    comments = (
        _count_by(
            WorkplanComment.objects.filter(workplan_id__in=consulting), "workplan_id"
        )
        if consulting
        else {}
    )
    approvals = _count_by(
        KpiEntry.objects.filter(
            kpi__workstream_id__in=ids, status=KpiEntry.Status.SUBMITTED
        ),
        "kpi__workstream_id",
    )
    kpi_overdue = _kpi_overdue(ids, today) if ids else {}
    found = []
    for workstream in workstreams:
        summary = summaries[workstream.pk].workplan
        workplan = summary.workplan if summary else None
        slug = workstream.slug
        items = []
        if n := waiting.get(workstream.pk):
            items.append(
                AttentionItem(
                    "submissions",
                    n,
                    _plural(
                        n,
                        "partner submission is waiting for a decision",
                        "partner submissions are waiting for a decision",
                    ),
                    reverse("submission-queue", args=[slug]),
                )
            )
        if workplan is not None and (n := comments.get(workplan.pk)):
            items.append(
                AttentionItem(
                    "comments",
                    n,
                    _plural(
                        n,
                        f"comment on the {workplan.year_label} workplan in "
                        "consultation",
                        f"comments on the {workplan.year_label} workplan in "
                        "consultation",
                    ),
                    reverse("workplan-comments", args=[workplan.pk]),
                )
            )
        if workplan is not None:
            items += _action_items(slug, workplan, actions.get(workplan.pk, []), today)
        if n := approvals.get(workstream.pk):
            items.append(
                AttentionItem(
                    "kpi-approvals",
                    n,
                    _plural(
                        n,
                        "KPI value is waiting for your approval",
                        "KPI values are waiting for your approval",
                    ),
                    reverse("kpi-approvals", args=[slug]),
                )
            )
        if n := kpi_overdue.get(workstream.pk):
            items.append(
                AttentionItem(
                    "kpi-overdue",
                    n,
                    _plural(n, "KPI period is overdue", "KPI periods are overdue"),
                    reverse("kpi-list", args=[slug]),
                )
            )
        found.append(
            WorkstreamAttention(
                workstream=workstream,
                workplan=workplan,
                items=items,
                action_count=summary.action_count if summary else 0,
            )
        )
    return ChairHomePage(workstreams=found, sees_all=principal_for(user).officer)
