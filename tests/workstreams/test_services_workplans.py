"""Workplan services: the status rule, priorities and their order, deletion."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marmot import roles
from marmot.services import StaleRowVersion
from tests.workstreams.factories import (
    ActionFactory,
    UserFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)
from workstreams import services
from workstreams.models import Action, Workplan, WorkplanPriority

pytestmark = pytest.mark.django_db

MARCH = dt.date(2024, 3, 20)


def _user(role):
    user = UserFactory()
    user.groups.add(roles.roles_ensure_groups()[role])
    return user


def _workplan(status="draft", **fields):
    if status in ("signed_off", "closed"):
        fields.setdefault("signed_off_on", MARCH)
    return WorkplanFactory(status=status, **fields)


def _refusal(raised):
    return raised.value.message_dict


# --- the status rule ----------------------------------------------------------


def test_the_whole_life_of_a_workplan():
    workplan = _workplan()
    officer = _user(roles.OFFICER)
    for status, extra in [
        ("consultation", {}),
        ("draft", {}),
        ("consultation", {}),
        ("signed_off", {"signed_off_on": MARCH, "signed_off_at": "The Board"}),
        ("draft", {"user": officer}),
        ("consultation", {}),
        ("signed_off", {"signed_off_on": MARCH}),
        ("closed", {}),
    ]:
        workplan = services.workplan_status_change(
            workplan=workplan, status=status, **extra
        )
        assert Workplan.objects.get(pk=workplan.pk).status == status
    workplan.refresh_from_db()
    assert (workplan.signed_off_on, workplan.signed_off_at) == (MARCH, "")
    assert workplan.row_version == 9
    assert workplan.history.count() == 9


def test_signing_off_records_date_and_meeting():
    workplan = services.workplan_status_change(
        workplan=_workplan("consultation"),
        status="signed_off",
        signed_off_on=MARCH,
        signed_off_at="Luton Health and Wellbeing Board",
    )
    assert (workplan.status, workplan.signed_off_on, workplan.signed_off_at) == (
        "signed_off",
        MARCH,
        "Luton Health and Wellbeing Board",
    )


@pytest.mark.parametrize(
    ("current", "status", "message"),
    [
        (
            "draft",
            "signed_off",
            "A workplan can move from draft to signed off only after consultation: "
            "move it to consultation first.",
        ),
        (
            "signed_off",
            "draft",
            "A workplan can move from signed off to draft only when an officer "
            "reopens it.",
        ),
        (
            "closed",
            "signed_off",
            "A workplan cannot move from closed to signed off: a closed workplan is "
            "final, and its record is kept as it was (ADR 22).",
        ),
        (
            "consultation",
            "closed",
            "A workplan can move from consultation to closed only once it has been "
            "signed off.",
        ),
        ("draft", "draft", "The workplan is already draft."),
        ("draft", "archived", '"archived" is not a workplan status.'),
    ],
)
@pytest.mark.parametrize("role", [roles.WORKSTREAM_CHAIR, roles.OVERSIGHT_MEMBER])
def test_refused_moves_name_both_ends(current, status, message, role):
    workplan = _workplan(current)
    with pytest.raises(ValidationError) as raised:
        services.workplan_status_change(
            workplan=workplan, status=status, user=_user(role), signed_off_on=MARCH
        )
    assert _refusal(raised) == {"status": [message]}
    assert Workplan.objects.get(pk=workplan.pk).row_version == 1


def test_only_officers_reopen():
    workplan = _workplan("signed_off", signed_off_at="Board")
    with pytest.raises(ValidationError):
        services.workplan_status_change(workplan=workplan, status="draft")
    reopened = services.workplan_status_change(
        workplan=workplan, status="draft", user=_user(roles.OFFICER)
    )
    assert (reopened.status, reopened.signed_off_on, reopened.signed_off_at) == (
        "draft",
        None,
        "",
    )


@pytest.mark.parametrize(
    ("status", "date", "field", "message"),
    [
        ("signed_off", None, "signed_off_on", "Give the date"),
        ("signed_off", "tomorrow", "signed_off_on", "cannot be in the future"),
        ("draft", MARCH, "signed_off_on", "Only signing a workplan off takes a date"),
    ],
)
def test_sign_off_dates(status, date, field, message):
    if date == "tomorrow":
        date = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        services.workplan_status_change(
            workplan=_workplan("consultation"), status=status, signed_off_on=date
        )
    assert list(_refusal(raised)) == [field]
    assert message in _refusal(raised)[field][0]


def test_a_stale_status_change_is_refused():
    workplan = _workplan()
    with pytest.raises(StaleRowVersion):
        services.workplan_status_change(
            workplan=workplan, status="consultation", expected_row_version=2
        )
    assert Workplan.objects.get(pk=workplan.pk).status == "draft"


def test_workplan_update_routes_status_changes_through_the_rule():
    workplan = _workplan("signed_off")
    with pytest.raises(ValidationError) as raised:
        services.workplan_update(workplan=workplan, status="consultation")
    assert "only by an officer reopening it" in _refusal(raised)["status"][0]
    agreed_at = workplan.signed_off_at
    updated = services.workplan_update(workplan=workplan, status="closed")
    assert (updated.status, updated.signed_off_at) == ("closed", agreed_at)


def test_workplan_update_refuses_a_future_sign_off_date():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        services.workplan_update(
            workplan=_workplan("signed_off"), signed_off_on=tomorrow
        )
    assert list(_refusal(raised)) == ["signed_off_on"]


def test_workplan_create_starts_as_a_draft():
    workstream = WorkstreamFactory()
    fields = {"starts_on": dt.date(2030, 4, 1), "ends_on": dt.date(2031, 3, 31)}
    with pytest.raises(ValidationError) as raised:
        services.workplan_create(
            workstream=workstream, year_label="2030/31", status="consultation", **fields
        )
    assert list(_refusal(raised)) == ["status"]
    created = services.workplan_create(
        workstream=workstream, year_label="2030/31", **fields
    )
    assert created.status == "draft"


def test_every_allowed_move_is_in_the_table():
    assert set(services.WORKPLAN_TRANSITIONS) == {
        ("draft", "consultation"),
        ("consultation", "draft"),
        ("consultation", "signed_off"),
        ("signed_off", "closed"),
        ("signed_off", "draft"),
    }


# --- priorities ---------------------------------------------------------------


def _order(workplan):
    return list(
        workplan.priorities.order_by("position").values_list("title", "position")
    )


def test_priorities_are_created_last_and_move_the_workplan_version():
    workplan = _workplan()
    WorkplanPriorityFactory(workplan=workplan, title="Loaded", position=7)
    created = services.workplan_priority_create(workplan=workplan, title="New")
    assert created.position == 8
    assert Workplan.objects.get(pk=workplan.pk).row_version == 2


def test_priority_titles_are_unique_within_a_workplan():
    workplan = _workplan()
    services.workplan_priority_create(workplan=workplan, title="Housing")
    with pytest.raises(ValidationError) as raised:
        services.workplan_priority_create(workplan=workplan, title="Housing")
    assert list(_refusal(raised)) == ["title"]
    other = services.workplan_priority_create(workplan=_workplan(), title="Housing")
    with pytest.raises(ValidationError):
        services.workplan_priority_update(priority=other, title="")
    with pytest.raises(TypeError):
        services.workplan_priority_update(priority=other, position=3)


def test_priority_update_bumps_only_when_something_changed():
    workplan = _workplan()
    priority = services.workplan_priority_create(workplan=workplan, title="Housing")
    services.workplan_priority_update(priority=priority, title="Housing")
    assert Workplan.objects.get(pk=workplan.pk).row_version == 2
    services.workplan_priority_update(priority=priority, description="Warm homes")
    assert Workplan.objects.get(pk=workplan.pk).row_version == 3


def test_reorder_is_all_or_nothing():
    workplan = _workplan()
    a, b, c = (
        services.workplan_priority_create(workplan=workplan, title=title)
        for title in ("A", "B", "C")
    )
    services.workplan_priorities_reorder(
        workplan=workplan, priority_ids=[c.pk, a.pk, b.pk]
    )
    assert _order(workplan) == [("C", 1), ("A", 2), ("B", 3)]
    version = Workplan.objects.get(pk=workplan.pk).row_version
    elsewhere = WorkplanPriorityFactory()
    with pytest.raises(ValidationError) as raised:
        services.workplan_priorities_reorder(
            workplan=workplan, priority_ids=[b.pk, b.pk, elsewhere.pk]
        )
    [message] = _refusal(raised)["priority_ids"]
    assert f"missing {a.pk}, {c.pk}" in message
    assert f"not priorities of this workplan: {elsewhere.pk}" in message
    assert f"given more than once: {b.pk}" in message
    assert _order(workplan) == [("C", 1), ("A", 2), ("B", 3)]
    services.workplan_priorities_reorder(
        workplan=workplan, priority_ids=[c.pk, a.pk, b.pk]
    )
    assert Workplan.objects.get(pk=workplan.pk).row_version == version


def test_reorder_of_a_workplan_without_priorities():
    workplan = _workplan()
    services.workplan_priorities_reorder(workplan=workplan, priority_ids=[])
    with pytest.raises(ValidationError, match="it has none"):
        services.workplan_priorities_reorder(workplan=workplan, priority_ids=[1])


def test_priority_delete_refuses_while_actions_use_it_then_closes_up():
    workplan = _workplan()
    first, second, third = (
        services.workplan_priority_create(workplan=workplan, title=title)
        for title in ("A", "B", "C")
    )
    action = ActionFactory(workplan=workplan, priority=second, title="Warm homes")
    with pytest.raises(ValidationError, match='Move them \\("Warm homes"\\)'):
        services.workplan_priority_delete(priority=second)
    assert WorkplanPriority.objects.filter(pk=second.pk).exists()

    services.action_update(action=action, priority=None)
    services.workplan_priority_delete(priority=second)
    assert _order(workplan) == [("A", 1), ("C", 2)]
    assert Action.objects.get(pk=action.pk).priority is None


# --- deleting a workplan ------------------------------------------------------


def test_workplan_delete_refuses_with_actions_and_takes_its_priorities():
    workplan = _workplan()
    priority = WorkplanPriorityFactory(workplan=workplan)
    action = ActionFactory(workplan=workplan)
    with pytest.raises(ValidationError, match="still used by 1 action"):
        services.workplan_delete(workplan=workplan)
    services.action_delete(action=action)
    services.workplan_delete(workplan=workplan)
    assert not Workplan.objects.filter(pk=workplan.pk).exists()
    assert not WorkplanPriority.objects.filter(pk=priority.pk).exists()
