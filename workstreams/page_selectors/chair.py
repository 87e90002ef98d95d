"""Read-models for the chairs' pages: an action with its progress updates and
its history, the choices of the action form, the workplan a new action goes
into, and the workplan page (priorities in order, the status moves open to the
user). Each is a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from indicators.models import MarmotPrinciple
from workstreams import rules
from workstreams.models import (
    Action,
    LogicModel,
    LogicModelItem,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Workplan,
    WorkplanPriority,
    Workstream,
)
from workstreams.page_selectors.milestones import MilestonesPanel, milestones_panel
from workstreams.page_selectors.timeline import TimelineEntry, action_timeline
from workstreams.page_selectors.update_due import action_update_due
from workstreams.services import WORKPLAN_TRANSITIONS


def action_get(pk: int) -> Action:
    """The action with its workplan and workstream (for the permission check)."""
    return get_object_or_404(
        Action.objects.select_related("workplan__workstream"), pk=pk
    )


def action_with_links(pk: int) -> Action:
    """The action with everything the detail page and the edit form show."""
    activities = LogicModelItem.objects.select_related("logic_model").order_by(
        "logic_model__version", "position", "id"
    )
    updates = (
        ProgressUpdate.objects.select_related("author")
        .prefetch_related("evidence_files")
        .order_by("-reported_on", "-id")
    )
    queryset = Action.objects.select_related(
        "workplan__workstream",
        "priority",
        "lead_organisation",
        "carried_from__workplan",
    ).prefetch_related(
        Prefetch("carried_to", queryset=Action.objects.select_related("workplan")),
        "principles",
        Prefetch("activities", queryset=activities),
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.order_by("source", "number"),
        ),
        Prefetch("progress_updates", queryset=updates),
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass
class ActionPage:
    action: Action
    updates: list[ProgressUpdate]
    can_edit: bool
    can_add_update: bool
    show_authors: bool
    timeline: list[TimelineEntry]
    milestones: MilestonesPanel | None = None  # `milestones_panel`
    update_due: int = 0  # days with no news, when an update is due (`update_due`)
    carried_from: Action | None = None  # the earlier action it continues, if seen
    carried_to: tuple = ()  # the later actions that continue it, those seen


def action_detail_page(*, user, action: Action) -> ActionPage:
    """The action (fetched by `action_with_links`), what the user may do, and
    its history (`action_timeline`)."""
    return ActionPage(
        action=action,
        updates=list(action.progress_updates.all()),
        can_edit=rules.action_open(action) and rules.can_edit_action(user, action),
        can_add_update=rules.action_open(action)
        and rules.can_add_progress_update(user, action),
        show_authors=rules.shows_people(user),
        timeline=action_timeline(user=user, action=action),
        milestones=milestones_panel(user=user, action=action),
        update_due=action_update_due(action),
        carried_from=action.carried_from
        if action.carried_from and rules.can_view_action(user, action.carried_from)
        else None,
        carried_to=tuple(
            later
            for later in action.carried_to.all()
            if rules.can_view_action(user, later)
        ),
    )


def workstream_get(slug: str) -> Workstream:
    return get_object_or_404(Workstream, slug=slug)


def current_workplan(workstream: Workstream) -> Workplan | None:
    """The workplan new actions go into: the latest one not closed (as partner
    submissions choose it when accepted)."""
    return (
        Workplan.objects.filter(workstream=workstream)
        .exclude(status=Workplan.Status.CLOSED)
        .select_related("workstream")
        .order_by("-starts_on")
        .first()
    )


def action_form_choices(
    *, workplan: Workplan, action: Action | None = None
) -> dict[str, QuerySet]:
    """Querysets for the action form's choices (evaluated when rendered).

    Activities: those of the workstream's current logic model, plus any the
    action already serves (so editing never drops them unasked)."""
    activities = Q(
        kind=LogicModelItem.Kind.ACTIVITY,
        logic_model__workstream_id=workplan.workstream_id,
        logic_model__status=LogicModel.Status.CURRENT,
    )
    if action is not None:
        activities |= Q(pk__in=action.activities.values("pk"))
    return {
        "priority": WorkplanPriority.objects.filter(workplan=workplan).order_by(
            "position", "id"
        ),
        "lead_organisation": Organisation.objects.order_by("name"),
        "principles": MarmotPrinciple.objects.order_by("number"),
        "activities": LogicModelItem.objects.filter(activities)
        .select_related("logic_model")
        .order_by("logic_model__status", "logic_model__version", "position", "id"),
        "recommendations": Recommendation.objects.order_by("source", "number"),
    }


# Forward moves first, then going back.
MOVE_ORDER = (
    Workplan.Status.CONSULTATION,
    Workplan.Status.SIGNED_OFF,
    Workplan.Status.CLOSED,
    Workplan.Status.DRAFT,
)


def workplan_moves(*, user, workplan: Workplan) -> list[str]:
    """The statuses this user may move the workplan to now (the services' rule)."""
    allowed = {
        to
        for (start, to), needs in WORKPLAN_TRANSITIONS.items()
        if start == workplan.status and (needs is None or needs(user))
    }
    return [status for status in MOVE_ORDER if status in allowed]


@dataclass
class WorkplanPage:
    workstream: Workstream
    workplan: Workplan
    priorities: list[WorkplanPriority]
    moves: list[str]
    # The current workplan (new actions go into it) and the earlier ones not
    # closed yet, which the chair closes once next year's plan is started.
    current: Workplan | None = None
    earlier: tuple[Workplan, ...] = ()

    @property
    def is_current(self) -> bool:
        return self.current is None or self.current.pk == self.workplan.pk


def open_workplans(workstream: Workstream) -> list[Workplan]:
    """The workstream's workplans not closed, newest first: the first is the
    current one (`current_workplan`)."""
    return list(
        Workplan.objects.filter(workstream=workstream)
        .exclude(status=Workplan.Status.CLOSED)
        .select_related("workstream")
        .order_by("-starts_on")
    )


def workplan_manage_page(
    *, user, workplan: Workplan, open_plans: list[Workplan] | None = None
) -> WorkplanPage:
    """The workplan's priorities in order (with how many actions each has),
    the status moves open to the user, and which open workplan is current."""
    open_plans = open_plans or []
    priorities = (
        WorkplanPriority.objects.filter(workplan=workplan)
        .annotate(action_count=Count("actions"))
        .order_by("position", "id")
    )
    return WorkplanPage(
        workstream=workplan.workstream,
        workplan=workplan,
        priorities=list(priorities),
        moves=workplan_moves(user=user, workplan=workplan),
        current=open_plans[0] if open_plans else None,
        earlier=tuple(open_plans[1:]),
    )
