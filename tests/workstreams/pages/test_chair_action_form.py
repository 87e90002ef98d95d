"""Adding and editing an action through the site's forms, as a chair would."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.workstreams.factories import WorkplanFactory
from tests.workstreams.fixtures import (
    action_form_data,
    build_world,
    create_url,
    date,
    summary_links,
)
from workstreams.models import Action, Workplan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    return build_world(role_users)


def test_the_form_offers_only_this_workstreams_current_activities(world, client_as):
    html = client_as(world.users["chair"]).get(create_url(world)).content.decode()
    assert "Retrofit council homes" in html and "Advice on damp" in html
    assert "Old activity no longer in the model" not in html
    assert "Apprenticeships for young people" not in html
    assert "Homes retrofitted" not in html  # an output, not an activity
    assert "Warm homes" in html and "Jobs" not in html  # this workplan's priorities
    assert "The action goes into the workstream's current workplan, 2024/25" in html


def test_a_chair_adds_an_action_with_every_field(world, client_as):
    client = client_as(world.users["chair"])
    response = client.post(create_url(world), action_form_data(world))
    action = Action.objects.get(title="Warm homes grants")
    assert response.status_code == 302
    assert response["Location"] == reverse("action-detail", args=[action.pk])
    assert action.workplan == world.workplan
    assert action.description == "Grants for insulation in the coldest homes."
    assert action.priority == world.priorities[1]
    assert action.lead_organisation == world.org
    assert action.lead_person == "Jo Bloggs, Housing"
    assert action.start_date == dt.date(2024, 5, 1)
    assert action.due_date == dt.date(2025, 2, 28)
    assert (action.status, action.rag) == ("planned", "amber")
    assert set(action.principles.all()) == set(world.principles)
    assert list(action.activities.all()) == [world.activities[1]]
    assert list(action.recommendations.all()) == [world.recommendation]
    page = client.get(response["Location"]).content.decode()
    assert "Action added: Warm homes grants" in page
    assert "govuk-notification-banner--success" in page


def test_the_newest_open_workplan_gets_the_action(world, client_as):
    newer = WorkplanFactory(
        workstream=world.own,
        year_label="2025/26",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    WorkplanFactory(
        workstream=world.own,
        year_label="2026/27",
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2027, 3, 31),
        status=Workplan.Status.CLOSED,
        signed_off_on=dt.date(2026, 5, 1),
    )
    client_as(world.users["chair"]).post(
        create_url(world), action_form_data(world, priority="")
    )
    assert Action.objects.get(title="Warm homes grants").workplan == newer


def test_without_an_open_workplan_the_page_explains(world, client_as):
    Workplan.objects.filter(workstream=world.own).update(
        status="closed", signed_off_on=dt.date(2024, 5, 1)
    )
    client = client_as(world.users["chair"])
    response = client.get(create_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "has no open workplan" in html and 'name="title"' not in html
    response = client.post(create_url(world), action_form_data(world, priority=""))
    assert response.status_code == 200
    assert not Action.objects.filter(title="Warm homes grants").exists()


@pytest.mark.parametrize(
    "overrides, anchor, message",
    [
        ({"title": ""}, "id_title", "Enter a title"),
        ({"title": "x" * 301}, "id_title", "The title must be 300 characters or fewer"),
        (
            {"title": "Damp and mould taskforce"},
            "id_title",
            "This workplan already has that action.",
        ),
        (
            {"lead_person": "x" * 201},
            "id_lead_person",
            "The lead contact must be 200 characters or fewer",
        ),
        (
            date("start_date", "31", "2", "2025"),
            "id_start_date_day",
            "Enter a real date, for example 27 3 2026",
        ),
        (
            date("due_date", "x", "2", "2025"),
            "id_due_date_day",
            "Enter a real date, for example 27 3 2026",
        ),
        (
            date("due_date", "1", "4", "2024"),
            "id_due_date_day",
            "The due date must be the same as or after the start date.",
        ),
        ({"status": None}, "id_status_0", "Select a status"),
        ({"status": "finished"}, "id_status_0", "Select a status from the list"),
        (
            {"status": "completed"},
            "id_completed_on_day",
            "A completed action needs the date it was completed.",
        ),
        (
            date("completed_on", "1", "3", "2025"),
            "id_completed_on_day",
            "Only a completed action has a completion date.",
        ),
        ({"rag": "purple"}, "id_rag_0", "Select a RAG rating from the list"),
        ({"priority": "other"}, "id_priority", "Select a priority from the list"),
        (
            {"lead_organisation": "999999"},
            "id_lead_organisation",
            "Select an organisation from the list",
        ),
        (
            {"principles": ["999999"]},
            "id_principles_0",
            "Select principles from the list",
        ),
        (
            {"recommendations": ["999999"]},
            "id_recommendations_0",
            "Select recommendations from the list",
        ),
    ],
)
def test_bad_input_lists_each_error_and_saves_nothing(
    world, client_as, overrides, anchor, message
):
    before = Action.objects.count()
    response = client_as(world.users["chair"]).post(
        create_url(world), action_form_data(world, **overrides)
    )
    assert response.status_code == 200
    assert summary_links(response) == [(anchor, message)]
    html = response.content.decode()
    assert "<title>Error: Add an action" in html
    assert f'id="{anchor}"' in html  # the link leads to the field's first input
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in html
    assert Action.objects.count() == before


@pytest.mark.parametrize(
    "activity", ["other_activity", "old_activity", "output"], ids=str
)
def test_activities_outside_the_current_logic_model_are_refused(
    world, client_as, activity
):
    response = client_as(world.users["chair"]).post(
        create_url(world),
        action_form_data(world, activities=[getattr(world, activity).pk]),
    )
    assert summary_links(response) == [
        ("id_activities_0", "Select activities from the list")
    ]
    assert not Action.objects.filter(title="Warm homes grants").exists()


def test_a_priority_of_another_workplan_is_refused(world, client_as):
    response = client_as(world.users["chair"]).post(
        create_url(world), action_form_data(world, priority=world.other_priority.pk)
    )
    assert summary_links(response) == [
        ("id_priority", "Select a priority from the list")
    ]
