"""The published-record rule in the services and `workstreams.rules` (issue 14,
finding 1; ADR 22): every entry point (API, site, admin) asks these, so a
refusal here is a refusal everywhere. Each refusal writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.workstreams.factories import (
    ActionFactory,
    OrganisationFactory,
    ProgressUpdateFactory,
    SubmissionFactory,
    UserFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)
from workstreams import rules, services
from workstreams.models import Action, ProgressUpdate, Submission, Workplan
from workstreams.services.actions import action_archive
from workstreams.services.workplan_status import PublishedRecordError

pytestmark = pytest.mark.django_db

MARCH = dt.date(2024, 3, 20)


def _workplan(status):
    signed = status in (Workplan.Status.SIGNED_OFF, Workplan.Status.CLOSED)
    return WorkplanFactory(status=status, signed_off_on=MARCH if signed else None)


@pytest.mark.parametrize(
    ("status", "details", "open_"),
    [
        ("draft", True, True),
        ("consultation", True, True),
        ("signed_off", False, True),
        ("closed", False, False),
    ],
)
def test_the_rule_by_status(status, details, open_):
    workplan = _workplan(status)
    action = ActionFactory(workplan=workplan)
    assert rules.workplan_details_open(workplan) is details
    assert rules.workplan_open(workplan) is open_
    assert rules.action_open(action) is open_
    assert rules.action_deletable(action) is open_
    ProgressUpdateFactory(action=action)
    assert rules.action_deletable(action) is False


def test_a_closed_workplan_refuses_every_change():
    workplan = _workplan(Workplan.Status.CLOSED)
    priority = WorkplanPriorityFactory(workplan=workplan)
    action = ActionFactory(workplan=workplan, priority=priority)
    attempts = [
        lambda: services.workplan_update(
            workplan=workplan, ends_on=dt.date(2025, 6, 1)
        ),
        lambda: services.action_create(workplan=workplan, title="Late"),
        lambda: services.action_update(action=action, title="Renamed"),
        lambda: services.action_delete(action=action),
        lambda: action_archive(action=action),
        lambda: services.progress_update_create(
            action=action, reported_on=MARCH, text="Late", status="completed"
        ),
        lambda: services.workplan_priority_create(workplan=workplan, title="Late"),
        lambda: services.workplan_priority_update(priority=priority, title="Renamed"),
        lambda: services.workplan_priority_delete(priority=priority),
        lambda: services.workplan_priorities_reorder(
            workplan=workplan, priority_ids=[priority.pk]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PublishedRecordError):
            attempt()
    action.refresh_from_db()
    assert action.title != "Renamed" and action.archived_at is None
    assert workplan.actions.count() == 1 and workplan.priorities.count() == 1
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_loaders_still_record_a_closed_programme():
    """Loaders record a programme as published (any status): not people's
    changes, so not refused (ADR 22)."""
    workplan = _workplan(Workplan.Status.CLOSED)
    action = services.action_upsert(workplan=workplan, title="From the report")
    assert action.workplan == workplan


def test_a_signed_off_workplan_keeps_its_year_dates_and_sign_off():
    workplan = _workplan(Workplan.Status.SIGNED_OFF)
    for change in [
        {"year_label": "2099/00"},
        {"starts_on": dt.date(2024, 5, 1)},
        {"signed_off_on": dt.date(2024, 1, 2)},
        {"status": "closed", "signed_off_at": "A rewritten meeting"},
    ]:
        with pytest.raises(PublishedRecordError) as raised:
            services.workplan_update(workplan=workplan, **change)
        assert set(raised.value.message_dict) <= {
            "year_label",
            "starts_on",
            "signed_off_on",
            "signed_off_at",
        }
    assert Workplan.objects.get(pk=workplan.pk).status == Workplan.Status.SIGNED_OFF


def test_reopening_clears_the_sign_off_whatever_is_sent():
    workplan = _workplan(Workplan.Status.SIGNED_OFF)
    officer = UserFactory(is_superuser=True)
    reopened = services.workplan_update(
        workplan=workplan, user=officer, status="draft", signed_off_at="ignored"
    )
    assert (reopened.status, reopened.signed_off_on, reopened.signed_off_at) == (
        "draft",
        None,
        "",
    )


def test_a_new_workplan_has_no_sign_off():
    with pytest.raises(ValidationError) as raised:
        services.workplan_create(
            workstream=WorkstreamFactory(),
            year_label="2030/31",
            starts_on=dt.date(2030, 4, 1),
            ends_on=dt.date(2031, 3, 31),
            signed_off_on=dt.date(2030, 3, 1),
        )
    assert list(raised.value.message_dict) == ["signed_off_on"]
    assert not Workplan.objects.filter(year_label="2030/31").exists()


def test_an_accepted_submissions_action_is_archived_not_deleted():
    workplan = _workplan(Workplan.Status.DRAFT)
    chair = workplan.workstream.chair
    submission = SubmissionFactory(
        workstream=workplan.workstream, organisation=OrganisationFactory()
    )
    accepted = services.submission_accept(
        submission=submission, user=chair, workplan=workplan
    )
    action = accepted.action
    with pytest.raises(PublishedRecordError) as raised:
        services.action_delete(action=action)
    assert "submission" in raised.value.messages[0]
    archived = action_archive(action=action)
    assert archived.archived_at is not None
    assert Submission.objects.get(pk=submission.pk).action_id == action.pk
    assert Action.history.filter(id=action.pk).count() >= 2


def test_an_archived_action_leaves_the_lists_but_not_its_page():
    workplan = _workplan(Workplan.Status.SIGNED_OFF)
    kept, archived = ActionFactory(workplan=workplan), ActionFactory(workplan=workplan)
    action_archive(action=archived)
    listed = rules.visible_actions(None, Action.objects.all())
    assert list(listed) == [kept]
    only = rules.visible_actions(None, Action.objects.all(), archived=True)
    assert list(only) == [archived]
    assert rules.visible_actions(None, Action.objects.all(), archived=None).count() == 2
    assert rules.can_view_action(None, Action.objects.get(pk=archived.pk))
