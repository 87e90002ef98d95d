"""Shared builders for the workstreams tests (no tests here).

``build_world``: the chairs' world: two workstreams, the chair's with a draft
workplan, priorities, a current logic model; the other's with a signed-off
workplan; one user per role.

``build_submission_world``: that world plus a partner of another
organisation, a deputy chair of the "own" workstream, and two submissions to
it: one by the partner's organisation, one by the other organisation.

The form helpers post the chairs' action form and the partners' submission
form as a browser would."""

import datetime as dt
import html as htmllib
import io
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from marmot import roles
from tests.conftest import user_with_role
from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    LogicModelItemFactory,
    MarmotPrincipleFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    PlaceFactory,
    RecommendationFactory,
    SubmissionFactory,
    UserFactory,
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


#          the seven roles every page is tried as
ROLES = (
    "anonymous",
    "partner",
    "other_partner",
    "chair",
    "other_chair",
    "oversight",
    "officer",
)


def build_submission_world(role_users):
    world = build_world(role_users)
    other_partner = user_with_role(roles.PARTNER, username="other_partner")
    OrganisationMembershipFactory(user=other_partner, organisation=world.other_org)
    world.users["other_partner"] = other_partner
    world.deputy = UserFactory(username="deputy", email="deputy@example.org")
    world.own.deputies.add(world.deputy)
    world.submission = SubmissionFactory(
        organisation=world.org,
        submitted_by=world.users["partner"],
        workstream=world.own,
        title="Warm spaces in libraries",
        description="Open three libraries on winter evenings.",
        lead_contact="Ali Khan",
    )
    world.other_submission = SubmissionFactory(
        organisation=world.other_org,
        submitted_by=other_partner,
        workstream=world.own,
        title="College damp survey",
    )
    return world


def submission_form_data(world, **overrides):
    """A valid POST of the submission form (None drops a field)."""
    data = {
        "workstream": world.own.pk,
        "principles": [p.pk for p in world.principles],
        "title": "Winter warmth checks",
        "description": "Home visits to check heating for older tenants.",
        **date("start_date", "1", "10", "2024"),
        **date("end_date", "31", "3", "2025"),
        "lead_contact": "Jo Bloggs",
        "evidence_url": "https://example.org/evidence",
        "supports_activity": world.activities[1].pk,
        "supports_recommendation": world.recommendation.pk,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submission_send(client, data):
    """Propose an action as a user would: the form at /submit/, then "Send" on
    the check-your-answers page. The form's answer when it has errors, else
    the answer to "Send"."""
    answer = client.post("/submit/", data)
    if answer.status_code != 302 or answer["Location"] != "/submit/check/":
        return answer
    return client.post("/submit/check/", {"form_token": data.get("form_token", "")})


def partner_of(organisation, username):
    """A partner user who belongs to ``organisation``."""
    user = UserFactory(username=username)
    user.groups.add(roles.roles_ensure_groups()[roles.PARTNER])
    OrganisationMembershipFactory(user=user, organisation=organisation)
    return user


def date(name, day, month, year):
    """The three fields of a GOV.UK date input."""
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def action_form_data(world, **overrides):
    """A valid POST of the chairs' action form (None drops a field)."""
    data = {
        "title": "Warm homes grants",
        "description": "Grants for insulation in the coldest homes.",
        "priority": world.priorities[1].pk,
        "lead_organisation": world.org.pk,
        "lead_person": "Jo Bloggs, Housing",
        **date("start_date", "1", "5", "2024"),
        **date("due_date", "28", "2", "2025"),
        "status": "planned",
        "rag": "amber",
        "principles": [p.pk for p in world.principles],
        "activities": [world.activities[1].pk],
        "recommendations": [world.recommendation.pk],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def summary_links(response) -> list[tuple[str, str]]:
    """The error summary's links: (anchor, text) pairs."""
    html = response.content.decode()
    summary = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    return [(anchor, htmllib.unescape(text)) for anchor, text in links]


def create_url(world):
    return reverse("action-create", args=[world.own.slug])


#: Luton's data directory, as the project ships it
LUTON_DIR = Path(settings.BASE_DIR) / "data" / "places" / "luton"


def all_counts() -> dict[str, int]:
    """Rows of every model of our apps, history tables included (not the log
    of imports, which records every load, failed or not)."""
    return {
        model._meta.label: model.objects.count()
        for label in ("workstreams", "indicators")
        for model in apps.get_app_config(label).get_models()
        if model._meta.label != "indicators.ImportRun"
    }


def load(*args: str) -> str:
    """Run a management command; return what it printed."""
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def copy_place(tmp_path: Path) -> Path:
    """A copy of Luton's data directory under ``tmp_path``, to spoil."""
    target = tmp_path / "place"
    shutil.copytree(LUTON_DIR, target)
    return target
