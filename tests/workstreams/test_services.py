"""Workstreams services: one set of rules for the admin, the site, API and loaders."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.indicators.factories import AreaFactory, IndicatorFactory
from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    LogicModelItemFactory,
    MarmotPrincipleFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)
from workstreams import services
from workstreams.models import (
    Action,
    LogicModel,
    MarmotPrinciple,
    Organisation,
    Place,
    ProgressUpdate,
    Workstream,
)

pytestmark = pytest.mark.django_db

Item = services.LogicModelItemData


def test_record_upsert_saves_only_changes():
    organisation, created = services.record_upsert(
        model=Organisation, lookup={"name": "Acme"}, values={"kind": "business"}
    )
    again, changed_again = services.record_upsert(
        model=Organisation, lookup={"name": "Acme"}, values={"kind": "business"}
    )
    _, changed = services.record_upsert(
        model=Organisation, lookup={"name": "Acme"}, values={"kind": "vcfse"}
    )

    assert (created, changed_again, changed) == (True, False, True)
    assert again.pk == organisation.pk
    assert organisation.history.count() == 2
    assert Organisation.objects.get().kind == "vcfse"


def test_record_upsert_validates_before_saving():
    with pytest.raises(ValidationError) as raised:
        services.organisation_upsert(name="Acme", kind="guild")

    assert "kind" in raised.value.message_dict
    assert not Organisation.objects.exists()


def test_principle_upsert_is_keyed_by_number():
    services.principle_upsert(number=3, title="Old")
    principle = services.principle_upsert(number=3, title="Create fair employment")

    assert MarmotPrinciple.objects.get().title == principle.title


def test_place_upsert_keeps_one_place():
    areas = {
        "area": AreaFactory(),
        "country": AreaFactory(area_type="country"),
        "region": AreaFactory(area_type="region"),
    }
    services.place_upsert(name="Testshire", service_name="One", **areas)
    services.place_upsert(name="Testshire", service_name="Two", **areas)

    assert Place.objects.get().service_name == "Two"


def test_workstream_upsert_keeps_the_chair_and_sets_principles():
    workstream = WorkstreamFactory(slug="homes")
    chair = workstream.chair
    principles = [MarmotPrincipleFactory(number=4), MarmotPrincipleFactory(number=5)]

    updated = services.workstream_upsert(
        slug="homes", name="Homes", chair_role="Director", principles=principles
    )

    assert updated.pk == workstream.pk
    assert Workstream.objects.get().chair == chair
    assert sorted(p.number for p in updated.principles.all()) == [4, 5]


def test_logic_model_items_are_replaced_in_order():
    workstream = WorkstreamFactory()
    outcome_measure = IndicatorFactory()
    model = services.logic_model_upsert(
        workstream=workstream,
        version=1,
        items=[
            Item("activity", "Train staff"),
            Item("outcome", "Fewer cold homes", [outcome_measure]),
            Item("activity", "Insulate homes"),
        ],
    )
    train = model.items.get(text="Train staff")

    services.logic_model_upsert(
        workstream=workstream,
        version=1,
        items=[Item("activity", "Train more staff")],
    )

    assert list(model.items.values_list("kind", "position", "text")) == [
        ("activity", 1, "Train more staff")
    ]
    assert model.items.get().pk == train.pk


def test_logic_model_item_positions_count_within_each_kind():
    model = services.logic_model_upsert(
        workstream=WorkstreamFactory(),
        version=1,
        items=[
            Item("assumption", "A"),
            Item("activity", "B"),
            Item("activity", "C"),
            Item("outcome", "D", [IndicatorFactory()]),
        ],
    )

    positions = list(model.items.values_list("kind", "position", "text"))
    assert positions == [
        ("activity", 1, "B"),
        ("activity", 2, "C"),
        ("assumption", 1, "A"),
        ("outcome", 1, "D"),
    ]
    assert model.items.get(text="D").indicators.count() == 1


def test_only_outputs_and_outcomes_link_to_indicators():
    with pytest.raises(ValidationError) as raised:
        services.logic_model_upsert(
            workstream=WorkstreamFactory(),
            version=1,
            items=[Item("activity", "Insulate homes", [IndicatorFactory()])],
        )

    assert raised.value.messages == [
        'Only outputs and outcomes can link to indicators; "Insulate homes" is an '
        "activity."
    ]
    assert not LogicModel.objects.exists()


def test_a_new_current_logic_model_supersedes_the_old():
    workstream = WorkstreamFactory()
    first = services.logic_model_upsert(
        workstream=workstream, version=1, status="current"
    )

    second = services.logic_model_upsert(
        workstream=workstream, version=2, status="current"
    )

    first.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "current")


def test_logic_model_row_version_moves_when_its_items_change():
    workstream = WorkstreamFactory()
    model = services.logic_model_upsert(
        workstream=workstream, version=1, items=[Item("input", "Staff")]
    )
    services.logic_model_upsert(
        workstream=workstream, version=1, items=[Item("input", "Staff")]
    )
    model.refresh_from_db()
    assert model.row_version == 1

    services.logic_model_upsert(
        workstream=workstream, version=1, items=[Item("input", "Time")]
    )

    model.refresh_from_db()
    assert model.row_version == 2


def test_workplan_signed_off_needs_a_date():
    with pytest.raises(ValidationError):
        services.workplan_upsert(
            workstream=WorkstreamFactory(),
            year_label="2024/25",
            starts_on=dt.date(2024, 4, 1),
            ends_on=dt.date(2025, 3, 31),
            status="signed_off",
        )


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


def test_recommendation_upsert_is_keyed_by_source_and_number():
    services.recommendation_upsert(source="evaluation", number=4, text="Old")
    principle = MarmotPrincipleFactory(number=7)

    recommendation = services.recommendation_upsert(
        source="evaluation", number=4, text="New", principle=principle
    )

    assert recommendation.text == "New"
    assert recommendation.principle.number == 7
    assert recommendation.history.count() == 2
