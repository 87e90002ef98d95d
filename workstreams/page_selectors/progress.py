"""The workstream progress page (`/workstreams/<slug>/`): who leads it, why,
its current workplan and actions (filterable), what needs attention, recent
progress, its output KPIs against their targets, its outcome measures and next
steps. A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import django_filters as filters
from django.core.paginator import Page, Paginator
from django.db.models import Max, Q
from django.http import Http404, QueryDict
from django.utils import timezone

from indicators.formatting import value_display
from indicators.models import Assessment, Indicator
from indicators.output_progress import output_progress
from indicators.page_selectors.output_summary import OutputSummary, output_summary
from indicators.rules import visible_indicators
from indicators.selectors import IndicatorLatest, indicator_latest_values, place_get
from marmot.site.forms import GovukForm
from workstreams import rules, selectors
from workstreams.filters import CLOSED_ACTION_STATUSES, ActionFilter
from workstreams.models import (
    Action,
    Kpi,
    LogicModel,
    Organisation,
    ProgressUpdate,
    Submission,
    Workplan,
    WorkplanPriority,
    Workstream,
)
from workstreams.page_selectors.milestones import MILESTONE_COUNTS
from workstreams.page_selectors.on_track import OnTrack, on_track_judgements
from workstreams.page_selectors.update_due import LAST_NEWS, flag_update_due
from workstreams.templatetags.statuses import RAG_WORDS

RECENT_UPDATES = 10
#: The "All actions" list is paginated; "Overdue or at risk" shows the most urgent.
ACTIONS_PER_PAGE = 50
ATTENTION_SHOWN = 10
AT_RISK_RAGS = (Action.Rag.RED, Action.Rag.AMBER)


class ProgressActionFilter(ActionFilter):
    """The API's action filter, narrowed to what the page offers: status, RAG
    and the organisations leading this workplan's actions."""

    status = filters.ChoiceFilter(
        label="Status",
        choices=Action.Status.choices,
        empty_label="Any status",
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    rag = filters.ChoiceFilter(
        label="RAG rating",
        choices=list(RAG_WORDS.items()),
        empty_label="Any rating",
        error_messages={"invalid_choice": "Select a RAG rating from the list"},
    )
    lead_organisation = filters.ModelChoiceFilter(
        label="Lead organisation",
        queryset=Organisation.objects.none(),
        empty_label="Any organisation",
        error_messages={"invalid_choice": "Select a lead organisation from the list"},
    )
    # The API's other filters are not offered on this page.
    workstream = principle = due_before = due_after = None
    overdue = archived = updated_since = None

    class Meta(ActionFilter.Meta):
        fields = ["status", "rag", "lead_organisation"]
        form = GovukForm

    def __init__(self, *args, workplan_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["lead_organisation"].queryset = Organisation.objects.filter(
            led_actions__workplan_id=workplan_id
        ).distinct()

    @property
    def active(self) -> bool:
        return any(self.form.cleaned_data.get(name) for name in self.filters)


# Every GET parameter the page reads (the key of its cached body).
PROGRESS_PARAMS = (*ProgressActionFilter.base_filters, "page")


@dataclass
class PriorityGroup:
    priority: WorkplanPriority | None
    actions: list[Action]


@dataclass
class MeasureRow:
    entry: IndicatorLatest
    value_text: str
    national: Assessment | None


@dataclass
class KpiRow:
    """One active output KPI of the workstream and where it stands (ADR 32)."""

    kpi: Kpi
    summary: OutputSummary


@dataclass
class ProgressPage:
    workstream: Workstream
    national_name: str
    can_edit: bool
    reads_drafts: bool
    logic_model: LogicModel | None
    workplan: Workplan | None
    filterset: ProgressActionFilter
    priorities: list[WorkplanPriority] = field(default_factory=list)
    action_count: int = 0
    attention: list[Action] = field(default_factory=list)
    attention_total: int = 0
    groups: list[PriorityGroup] = field(default_factory=list)
    shown: int = 0
    actions_page: Page | None = None
    filter_query: str = ""  # the filters as a query string, for page links
    next_steps: list[Action] = field(default_factory=list)
    updates: list[ProgressUpdate] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    kpis: list[KpiRow] = field(default_factory=list)
    on_track: OnTrack | None = None  # is it on track? (ADR 19)
    can_override_on_track: bool = False
    submissions_waiting: int = 0  # for those who moderate them (can_edit)


def _workstream(slug: str) -> Workstream:
    workstream = (
        selectors.workstream_list().prefetch_related("deputies").filter(slug=slug)
    ).first()
    if workstream is None:
        raise Http404("No workstream has that address.")
    return workstream


def _flag(actions: list[Action], today: dt.date) -> None:
    for action in actions:
        is_open = action.status not in CLOSED_ACTION_STATUSES
        action.is_overdue = bool(
            is_open and action.due_date and action.due_date < today
        )
        action.is_at_risk = is_open and action.rag in AT_RISK_RAGS


def _attention(actions: list[Action]) -> list[Action]:
    """Overdue or at-risk actions: overdue first, then red, then amber."""
    flagged = [a for a in actions if a.is_overdue or a.is_at_risk]
    rank = {Action.Rag.RED: 0, Action.Rag.AMBER: 1}
    return sorted(
        flagged,
        key=lambda a: (
            not a.is_overdue,
            rank.get(a.rag, 2),
            a.due_date or dt.date.max,
            a.pk,
        ),
    )


def _groups(priorities, actions: list[Action]) -> list[PriorityGroup]:
    by_priority: dict[int | None, list[Action]] = {}
    for action in actions:
        by_priority.setdefault(action.priority_id, []).append(action)
    groups = [
        PriorityGroup(p, by_priority[p.pk]) for p in priorities if p.pk in by_priority
    ]
    if None in by_priority:
        groups.append(PriorityGroup(None, by_priority[None]))
    return groups


def value_text(entry: IndicatorLatest) -> str:
    """The latest value with the indicator's decimals and unit (ADR 0017)."""
    return value_display(entry.value, entry.indicator)


def _measures(user, workstream: Workstream) -> list[MeasureRow]:
    """The outcome measures linked to the workstream (its output KPIs, linked
    too, have their own section)."""
    linked = Indicator.objects.filter(workstreams=workstream).exclude(
        kind=Indicator.Kind.LOCAL_OUTPUT
    )
    visible = visible_indicators(user, linked)
    entries = indicator_latest_values(
        indicator_ids=visible.values_list("pk", flat=True)
    )
    return [
        MeasureRow(
            entry,
            value_text(entry),
            entry.assessments.get(Assessment.Benchmark.NATIONAL),
        )
        for entry in entries
    ]


def _kpis(user, workstream: Workstream, area_id, today: dt.date) -> list[KpiRow]:
    """The workstream's active output KPIs that ``user`` may see, each with its
    progress from :func:`indicators.output_progress.output_progress` (ADR
    32). Three queries whatever their number; one when there are none."""
    active = Q(indicator__retired_on__isnull=True) | Q(indicator__retired_on__gt=today)
    kpis = list(
        visible_indicators(
            user,
            Kpi.objects.filter(active, workstream=workstream).select_related(
                "indicator"
            ),
            prefix="indicator__",
        )
    )
    progress = output_progress(
        [kpi.indicator for kpi in kpis], area_id=area_id, today=today
    )
    return [KpiRow(kpi, output_summary(progress[kpi.indicator_id])) for kpi in kpis]


def progress_page(
    *, user, slug: str, params: QueryDict, today: dt.date | None = None
) -> ProgressPage:
    """Everything the progress page shows of workstream ``slug`` that ``user``
    may see, with its actions filtered by ``params`` (404 for an unknown slug)."""
    today = today or timezone.localdate()
    workstream = _workstream(slug)
    summary = selectors.workstream_summaries(user=user, workstream_ids=[workstream.pk])[
        workstream.pk
    ]
    workplan = summary.workplan.workplan if summary.workplan else None
    actions = Action.objects.none()
    if workplan is not None:
        actions = (
            rules.visible_actions(user, Action.objects.filter(workplan=workplan))
            .select_related("priority", "lead_organisation")
            .annotate(last_update=Max("progress_updates__reported_on"), **LAST_NEWS)
            .annotate(**MILESTONE_COUNTS)
        )
    place = place_get()
    page = ProgressPage(
        workstream=workstream,
        national_name=place.country.name if place else "England",
        can_edit=rules.can_edit_workstream(user, workstream.pk),
        reads_drafts=rules.can_read_drafts_of(user, workstream.pk),
        logic_model=summary.logic_model,
        workplan=workplan,
        filterset=ProgressActionFilter(
            params,
            queryset=actions,
            workplan_id=workplan.pk if workplan else None,
        ),
    )
    if workplan is not None:
        page.priorities = list(WorkplanPriority.objects.filter(workplan=workplan))
        everything = list(actions)
        shown = list(page.filterset.qs)
        _flag(everything, today)
        _flag(shown, today)
        for flagged in (everything, shown):
            flag_update_due(flagged, workplan_status=workplan.status, today=today)
        page.action_count = len(everything)
        attention = _attention(everything)
        page.attention_total = len(attention)
        page.attention = attention[:ATTENTION_SHOWN]
        page.actions_page = Paginator(shown, ACTIONS_PER_PAGE).get_page(
            params.get("page")
        )
        page.groups = _groups(page.priorities, list(page.actions_page))
        page.shown = len(shown)
        filters_only = params.copy()
        filters_only.pop("page", None)
        page.filter_query = filters_only.urlencode()
        page.next_steps = [a for a in everything if a.is_next_step]
    updates = rules.visible_progress_updates(
        user,
        ProgressUpdate.objects.filter(action__workplan__workstream=workstream),
    ).select_related("action")
    page.updates = list(updates.order_by("-reported_on", "-id")[:RECENT_UPDATES])
    page.measures = _measures(user, workstream)
    page.kpis = _kpis(user, workstream, place.area_id if place else None, today)
    page.on_track = on_track_judgements(
        user=user,
        workstreams=[workstream],
        workplans={workstream.pk: workplan},
        today=today,
    )[workstream.pk]
    page.can_override_on_track = rules.can_override_on_track(user, workstream.pk)
    if page.can_edit:  # who moderates its submissions: the queue's link
        page.submissions_waiting = Submission.objects.filter(
            workstream=workstream, status=Submission.Status.SUBMITTED
        ).count()
    return page
