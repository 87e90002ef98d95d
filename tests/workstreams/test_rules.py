"""The shared permission rules, role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command

from indicators.rules import can_view_indicator
from marmot import roles
from marmot.principals import principal_for
from tests.indicators.factories import IndicatorFactory
from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from workstreams import rules
from workstreams.models import Action, Workplan

pytestmark = pytest.mark.django_db


def _with_role(role, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(roles.roles_ensure_groups()[role])
    return user


@pytest.fixture
def world():
    own, other = WorkstreamFactory(), WorkstreamFactory()
    org, other_org = OrganisationFactory(), OrganisationFactory()
    chair = _with_role(roles.WORKSTREAM_CHAIR)
    own.chair = chair
    own.save()
    deputy = _with_role(roles.WORKSTREAM_CHAIR)
    own.deputies.add(deputy)
    partner = _with_role(roles.PARTNER)
    OrganisationMembershipFactory(user=partner, organisation=org)
    drafts = {
        ws: WorkplanFactory(workstream=ws, status=Workplan.Status.DRAFT)
        for ws in (own, other)
    }
    signed = WorkplanFactory(
        workstream=other,
        year_label="2023/24",
        status=Workplan.Status.SIGNED_OFF,
        signed_off_on="2023-10-12",
    )
    consultation = WorkplanFactory(
        workstream=other, year_label="2025/26", status=Workplan.Status.CONSULTATION
    )
    return {
        "own": own,
        "other": other,
        "org": org,
        "other_org": other_org,
        "users": {
            "anonymous": AnonymousUser(),
            "partner": partner,
            "chair": chair,
            "deputy": deputy,
            "oversight": _with_role(roles.OVERSIGHT_MEMBER),
            "officer": _with_role(roles.OFFICER),
            "superuser": UserFactory(is_superuser=True),
            "no role": UserFactory(),
        },
        "own_draft": drafts[own],
        "other_draft": drafts[other],
        "signed": signed,
        "consultation": consultation,
    }


# who: (own draft, other draft, signed off, in consultation) visible?
VISIBILITY = {
    "anonymous": (False, False, True, False),
    "no role": (False, False, True, False),
    "partner": (False, False, True, True),
    "chair": (True, False, True, False),
    "deputy": (True, False, True, False),
    "oversight": (True, True, True, True),
    "officer": (True, True, True, True),
    "superuser": (True, True, True, True),
}


@pytest.mark.parametrize("who", VISIBILITY)
def test_workplan_visibility_per_role(world, who):
    user = world["users"][who]
    plans = [world[k] for k in ("own_draft", "other_draft", "signed", "consultation")]
    expected = VISIBILITY[who]
    assert tuple(rules.can_view_workplan(user, p) for p in plans) == expected
    visible = set(rules.visible_workplans(user, Workplan.objects.all()))
    assert visible == {p for p, shown in zip(plans, expected, strict=True) if shown}


EDIT = {
    "anonymous": (False, False),
    "no role": (False, False),
    "partner": (False, False),
    "chair": (True, False),
    "deputy": (True, False),
    "oversight": (False, False),
    "officer": (True, True),
    "superuser": (True, True),
}


@pytest.mark.parametrize("who", EDIT)
def test_only_own_chairs_and_officers_edit_a_workstream(world, who):
    user = world["users"][who]
    assert (
        rules.can_edit_workstream(user, world["own"].pk),
        rules.can_edit_workstream(user, world["other"].pk),
    ) == EDIT[who]
    action = ActionFactory(workplan=world["own_draft"])
    assert rules.can_edit_action(user, action) is EDIT[who][0]


@pytest.mark.parametrize("who", VISIBILITY)
def test_visible_actions_follow_their_workplan(world, who):
    user = world["users"][who]
    in_draft = ActionFactory(workplan=world["own_draft"])
    published = ActionFactory(workplan=world["signed"])
    visible = set(rules.visible_actions(user, Action.objects.all()))
    assert (in_draft in visible, published in visible) == (VISIBILITY[who][0], True)


def test_partner_adds_progress_only_to_own_organisations_open_actions(world):
    partner = world["users"]["partner"]
    ours = ActionFactory(workplan=world["signed"], lead_organisation=world["org"])
    theirs = ActionFactory(
        workplan=world["signed"], lead_organisation=world["other_org"]
    )
    done = ActionFactory(
        workplan=world["signed"],
        lead_organisation=world["org"],
        status=Action.Status.COMPLETED,
        completed_on="2024-06-01",
    )
    assert rules.can_add_progress_update(partner, ours)
    assert not rules.can_add_progress_update(partner, theirs)
    assert not rules.can_add_progress_update(partner, done)
    assert not rules.can_add_progress_update(world["users"]["oversight"], ours)


def test_logic_model_drafts_are_for_the_programme(world):
    current = LogicModelFactory(workstream=world["other"], status="current")
    draft = LogicModelFactory(workstream=world["other"], status="draft")
    users = world["users"]
    assert rules.can_view_logic_model(users["anonymous"], current)
    assert not rules.can_view_logic_model(users["anonymous"], draft)
    assert not rules.can_view_logic_model(users["chair"], draft)
    assert rules.can_view_logic_model(users["oversight"], draft)


def test_unpublished_indicators_hidden_from_public(world):
    hidden = IndicatorFactory(is_published=False)
    assert not can_view_indicator(world["users"]["anonymous"], hidden)
    assert not can_view_indicator(world["users"]["partner"], hidden)
    assert can_view_indicator(world["users"]["oversight"], hidden)


def test_principal_is_computed_once_per_user(world, django_assert_num_queries):
    chair = world["users"]["chair"]
    with django_assert_num_queries(3):
        principal_for(chair)
    with django_assert_num_queries(0):
        for _ in range(5):
            rules.can_edit_workstream(chair, world["own"].pk)


def test_inactive_user_is_anonymous(world):
    officer = world["users"]["officer"]
    officer.is_active = False
    assert not rules.can_edit_workstream(officer, world["own"].pk)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", False), ("partner", False), ("chair", False)]
    + [("oversight", False), ("officer", True), ("superuser", True)],
)
def test_only_officers_edit_the_programme(world, who, expected):
    assert rules.can_edit_programme(world["users"][who]) is expected


@pytest.mark.parametrize("who", VISIBILITY)
def test_visible_progress_updates_follow_their_action(world, who):
    from tests.workstreams.factories import ProgressUpdateFactory
    from workstreams.models import ProgressUpdate

    plans = [world[k] for k in ("own_draft", "other_draft", "signed", "consultation")]
    updates = [ProgressUpdateFactory(action__workplan=plan) for plan in plans]
    visible = set(
        rules.visible_progress_updates(
            world["users"][who], ProgressUpdate.objects.all()
        ).values_list("pk", flat=True)
    )
    assert tuple(u.pk in visible for u in updates) == VISIBILITY[who]


@pytest.mark.django_db(transaction=True)
def test_officers_hold_every_apps_permissions_after_a_flush():
    """A flush (a fresh migrate does the same) sends post_migrate app by app;
    the officers' group is set up once every app's permissions exist, so an
    app listed after workstreams (indicators) is not left out."""
    call_command("flush", verbosity=0, interactive=False)

    officer = Group.objects.get(name=roles.OFFICER)
    labels = set(officer.permissions.values_list("content_type__app_label", flat=True))
    assert labels == set(roles.OFFICER_APPS)
