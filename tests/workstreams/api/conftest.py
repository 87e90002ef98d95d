"""A small programme with one user per role, and API clients for them."""

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from marmot import roles
from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    LogicModelItemFactory,
    MarmotPrincipleFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    SubmissionFactory,
    UserFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)
from workstreams.models import LogicModel, Workplan

ROLES = ("anonymous", "partner", "chair", "other_chair", "oversight", "officer")


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def user_with_role(role, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(roles.roles_ensure_groups()[role])
    return user


@pytest.fixture
def world(db):
    return build_api_world()


def build_api_world():
    """The programme and its users (``world``); test_permission_matrix.py builds
    it once for the module."""
    principle = MarmotPrincipleFactory(number=1)
    org, other_org = OrganisationFactory(), OrganisationFactory()
    chair = user_with_role(roles.WORKSTREAM_CHAIR, username="chair")
    other_chair = user_with_role(roles.WORKSTREAM_CHAIR, username="other_chair")
    partner = user_with_role(roles.PARTNER, username="partner")
    OrganisationMembershipFactory(user=partner, organisation=org)
    own = WorkstreamFactory(slug="own", chair=chair)
    own.principles.add(principle)
    other = WorkstreamFactory(slug="other", chair=other_chair)
    # Published: a signed-off workplan and a current logic model.
    workplan = WorkplanFactory(
        workstream=own,
        status=Workplan.Status.SIGNED_OFF,
        signed_off_on=dt.date(2024, 3, 20),
    )
    priority = WorkplanPriorityFactory(workplan=workplan, title="Good work")
    logic_model = LogicModelFactory(
        workstream=own, version=1, status=LogicModel.Status.CURRENT
    )
    activity = LogicModelItemFactory(logic_model=logic_model, kind="activity")
    action = ActionFactory(workplan=workplan, priority=priority, lead_organisation=org)
    action.activities.add(activity)
    update = ProgressUpdateFactory(action=action)
    recommendation = RecommendationFactory(workstream=own, principle=principle)
    submission = SubmissionFactory(
        organisation=org, submitted_by=partner, workstream=own
    )
    # Drafts: only the programme (own chair, oversight, officers) sees them.
    draft_workplan = WorkplanFactory(
        workstream=own,
        year_label="2025/26",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    draft_action = ActionFactory(workplan=draft_workplan, lead_organisation=org)
    draft_priority = WorkplanPriorityFactory(workplan=draft_workplan, title="Drafted")
    return {
        "principle": principle,
        "org": org,
        "other_org": other_org,
        "own": own,
        "other": other,
        "workplan": workplan,
        "priority": priority,
        "logic_model": logic_model,
        "activity": activity,
        "action": action,
        "progress_update": update,
        "recommendation": recommendation,
        "submission": submission,
        "draft_workplan": draft_workplan,
        "draft_logic_model": LogicModelFactory(workstream=own, version=2),
        "draft_action": draft_action,
        "draft_priority": draft_priority,
        "draft_progress_update": ProgressUpdateFactory(action=draft_action),
        "other_submission": SubmissionFactory(organisation=other_org, workstream=other),
        "users": {
            "anonymous": None,
            "partner": partner,
            "chair": chair,
            "other_chair": other_chair,
            "oversight": user_with_role(roles.OVERSIGHT_MEMBER, username="oversee"),
            "officer": user_with_role(roles.OFFICER, username="officer"),
        },
    }


@pytest.fixture
def client_for(world):
    def make(role):
        client = APIClient()
        user = world["users"][role]
        if user is not None:
            # A fresh copy, as each real request loads its own user.
            client.force_authenticate(type(user).objects.get(pk=user.pk))
        return client

    return make


def _with_current_etag(write):
    """``APIClient.patch``/``put`` that first GETs the row for its ETag and
    sends it in If-Match (ADR 40), unless the test sends If-Match (an empty
    one: none at all, for the 428) or ``row_version`` itself."""

    def send(client, path, data=None, *args, **kwargs):
        has_version = isinstance(data, dict) and "row_version" in data
        if "HTTP_IF_MATCH" not in kwargs and not has_version:
            etag = client.get(path).headers.get("ETag")
            if etag:
                kwargs["HTTP_IF_MATCH"] = etag
        return write(client, path, data, *args, **kwargs)

    return send


@pytest.fixture(autouse=True)
def _edits_send_the_current_etag(monkeypatch):
    """Tests of what an edit does read the row first, as a client must."""
    monkeypatch.setattr(APIClient, "patch", _with_current_etag(APIClient.patch))
    monkeypatch.setattr(APIClient, "put", _with_current_etag(APIClient.put))
