"""Shared data for the chairs' page tests (no tests here): two workstreams, the
chair's with a draft workplan, priorities, a current logic model; the other's
with a signed-off workplan; one user per role."""

import datetime as dt
from types import SimpleNamespace

from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    LogicModelItemFactory,
    MarmotPrincipleFactory,
    OrganisationFactory,
    PlaceFactory,
    RecommendationFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)
from workstreams.models import LogicModel, LogicModelItem, Workplan


def build_world(role_users, *, own_status=Workplan.Status.DRAFT):
    """The chair chairs ``own``; the other chair chairs ``other``; the partner
    belongs to ``org``, which leads ``action`` (in ``own``'s workplan)."""
    PlaceFactory()
    own = WorkstreamFactory(name="Housing and communities", slug="housing")
    other = WorkstreamFactory(name="Work and skills", slug="work")
    org = OrganisationFactory(name="Testshire Housing Trust")
    other_org = OrganisationFactory(name="Testshire College")
    users = role_users(chair_of=own, other=other, organisation=org)
    signed = {
        "status": Workplan.Status.SIGNED_OFF,
        "signed_off_on": dt.date(2024, 5, 1),
    }
    own_kwargs = signed if own_status == Workplan.Status.SIGNED_OFF else {}
    workplan = WorkplanFactory(workstream=own, **{"status": own_status, **own_kwargs})
    other_workplan = WorkplanFactory(workstream=other, **signed)
    priorities = [
        WorkplanPriorityFactory(workplan=workplan, title=title, position=n)
        for n, title in enumerate(["Warm homes", "Fair tenancies"])
    ]
    other_priority = WorkplanPriorityFactory(workplan=other_workplan, title="Jobs")
    model = LogicModelFactory(workstream=own, status=LogicModel.Status.CURRENT)
    old_model = LogicModelFactory(workstream=own, status=LogicModel.Status.SUPERSEDED)
    activities = [
        LogicModelItemFactory(logic_model=model, text=text, position=n)
        for n, text in enumerate(["Retrofit council homes", "Advice on damp"])
    ]
    old_activity = LogicModelItemFactory(
        logic_model=old_model, text="Old activity no longer in the model"
    )
    output = LogicModelItemFactory(
        logic_model=model, kind=LogicModelItem.Kind.OUTPUT, text="Homes retrofitted"
    )
    other_model = LogicModelFactory(workstream=other, status=LogicModel.Status.CURRENT)
    other_activity = LogicModelItemFactory(
        logic_model=other_model, text="Apprenticeships for young people"
    )
    principles = [MarmotPrincipleFactory(number=n) for n in (1, 6)]
    recommendation = RecommendationFactory(
        workstream=own, number=7, text="Improve the quality of private rented homes."
    )
    action = ActionFactory(
        workplan=workplan,
        title="Damp and mould taskforce",
        priority=priorities[0],
        lead_organisation=org,
        lead_person="Sam Patel",
    )
    action.activities.set([activities[0]])
    other_action = ActionFactory(
        workplan=other_workplan, title="Skills bootcamp", lead_organisation=org
    )
    return SimpleNamespace(**locals())
