"""Action and progress update services: completion dates, priorities, links,
row versions and the append-only progress record."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    LogicModelItemFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
)
from workstreams import services
from workstreams.models import Action, ProgressUpdate

pytestmark = pytest.mark.django_db


def test_action_upsert_is_keyed_by_workplan_and_title():
    workplan = WorkplanFactory()
    first = services.action_upsert(workplan=workplan, title="Insulate", rag="green")
    second = services.action_upsert(workplan=workplan, title="Insulate", rag="amber")

    assert first.pk == second.pk
    assert Action.objects.get().rag == "amber"
    assert Action.objects.get().row_version == 2


def test_a_completed_action_needs_its_date():
    with pytest.raises(ValidationError) as raised:
        services.action_upsert(
            workplan=WorkplanFactory(), title="Insulate", status="completed"
        )

    assert raised.value.message_dict == {
        "completed_on": ["A completed action needs the date it was completed."]
    }


def test_only_a_completed_action_has_a_completion_date():
    with pytest.raises(ValidationError, match="Only a completed action"):
        services.action_upsert(
            workplan=WorkplanFactory(),
            title="Insulate",
            status="in_progress",
            completed_on=dt.date(2024, 5, 1),
        )


def test_the_priority_must_be_the_workplans():
    with pytest.raises(ValidationError) as raised:
        services.action_upsert(
            workplan=WorkplanFactory(),
            title="Insulate",
            priority=WorkplanPriorityFactory(),
        )

    assert raised.value.message_dict == {
        "priority": ["This priority belongs to a different workplan."]
    }


def test_actions_link_only_to_activities_of_their_workstream():
    workplan = WorkplanFactory()
    model = LogicModelFactory(workstream=workplan.workstream)
    output = LogicModelItemFactory(logic_model=model, kind="output", text="Homes")
    elsewhere = LogicModelItemFactory(kind="activity", text="Plant trees")

    with pytest.raises(ValidationError) as not_activity:
        services.action_upsert(workplan=workplan, title="A", activities=[output])
    with pytest.raises(ValidationError) as other_workstream:
        services.action_upsert(workplan=workplan, title="A", activities=[elsewhere])

    assert not_activity.value.message_dict == {
        "activities": ['"Homes" is an output: actions link only to activities.']
    }
    assert other_workstream.value.message_dict == {
        "activities": [
            '"Plant trees" is an activity of another workstream\'s logic model.'
        ]
    }
    assert not Action.objects.exists()


def test_action_links_are_set_and_move_the_row_version():
    workplan = WorkplanFactory()
    activity = LogicModelItemFactory(
        logic_model=LogicModelFactory(workstream=workplan.workstream)
    )
    recommendation = RecommendationFactory()
    action = services.action_upsert(workplan=workplan, title="A")

    services.action_upsert(
        workplan=workplan,
        title="A",
        activities=[activity],
        recommendations=[recommendation],
    )

    action.refresh_from_db()
    assert list(action.activities.all()) == [activity]
    assert list(action.recommendations.all()) == [recommendation]
    assert action.row_version == 2


def test_action_update_changes_only_what_it_is_given():
    lead = OrganisationFactory()
    action = ActionFactory(status="completed", completed_on=dt.date(2024, 6, 1))

    services.action_update(action=action, lead_organisation=lead, status="in_progress")

    action.refresh_from_db()
    assert action.lead_organisation == lead
    assert (action.status, action.completed_on) == ("in_progress", None)
    assert action.title.startswith("Action ")


def test_action_update_refuses_unknown_fields():
    with pytest.raises(TypeError, match="cannot change workplan"):
        services.action_update(action=ActionFactory(), workplan=WorkplanFactory())


def test_progress_update_moves_the_action():
    action = ActionFactory(status="in_progress", rag="green")
    author = UserFactory()

    update = services.progress_update_create(
        action=action,
        reported_on=dt.date(2024, 9, 1),
        text="Behind: contractor delayed.",
        status="in_progress",
        rag="red",
        author=author,
    )

    action.refresh_from_db()
    assert (action.status, action.rag) == ("in_progress", "red")
    assert (update.status, update.rag, update.author) == ("in_progress", "red", author)


def test_completing_sets_completed_on_and_reopening_clears_it():
    action = ActionFactory(status="in_progress", rag="amber")

    services.progress_update_create(
        action=action,
        reported_on=dt.date(2024, 10, 2),
        text="Done.",
        status="completed",
    )
    action.refresh_from_db()
    assert (action.status, action.completed_on, action.rag) == (
        "completed",
        dt.date(2024, 10, 2),
        "amber",
    )

    services.progress_update_create(
        action=action,
        reported_on=dt.date(2024, 11, 5),
        text="Reopened: snagging.",
        status="in_progress",
    )
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("in_progress", None)
    assert action.progress_updates.count() == 2


def test_completing_again_keeps_the_first_completion_date():
    action = ActionFactory(status="completed", completed_on=dt.date(2024, 6, 1))

    services.progress_update_create(
        action=action,
        reported_on=dt.date(2024, 7, 1),
        text="Still done.",
        status="completed",
    )

    action.refresh_from_db()
    assert action.completed_on == dt.date(2024, 6, 1)


def test_progress_updates_are_append_only():
    update = services.progress_update_create(
        action=ActionFactory(),
        reported_on=dt.date(2024, 9, 1),
        text="x",
        status="planned",
    )
    update.text = "edited"

    with pytest.raises(ValidationError, match="append-only"):
        update.save()

    assert ProgressUpdate.objects.get().text == "x"


def test_progress_update_rejects_an_unknown_status():
    action = ActionFactory(status="in_progress")

    with pytest.raises(ValidationError):
        services.progress_update_create(
            action=action, reported_on=dt.date(2024, 9, 1), text="?", status="paused"
        )

    assert ProgressUpdate.objects.count() == 0
    action.refresh_from_db()
    assert action.status == "in_progress"
