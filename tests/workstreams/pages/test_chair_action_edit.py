"""Editing an action: the saved values, saving, and no lost updates."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.workstreams.factories import ActionFactory
from tests.workstreams.fixtures import (
    action_form_data,
    build_world,
    create_url,
    date,
    summary_links,
)
from workstreams import services
from workstreams.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    return build_world(role_users)


def edit_url(action):
    return reverse("action-edit", args=[action.pk])


def test_the_edit_form_shows_the_saved_values(world, client_as):
    html = client_as(world.users["chair"]).get(edit_url(world.action)).content.decode()
    assert 'name="title" value="Damp and mould taskforce"' in html
    assert 'name="row_version" value="1"' in html
    assert f'<option value="{world.priorities[0].pk}" selected>Warm homes' in html
    assert 'value="in_progress" checked' in html
    assert f'value="{world.activities[0].pk}" checked' in html


def test_a_chair_edits_an_action(world, client_as):
    client = client_as(world.users["chair"])
    data = action_form_data(
        world,
        title="Damp and mould taskforce (phase 2)",
        status="completed",
        **date("completed_on", "3", "3", "2025"),
        row_version="1",
    )
    response = client.post(edit_url(world.action), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("action-detail", args=[world.action.pk])
    action = Action.objects.get(pk=world.action.pk)
    assert action.title == "Damp and mould taskforce (phase 2)"
    assert (action.status, action.completed_on) == ("completed", dt.date(2025, 3, 3))
    assert action.row_version == 2
    assert list(action.activities.all()) == [world.activities[1]]
    assert "Action saved: Damp and mould taskforce (phase 2)" in (
        client.get(response["Location"]).content.decode()
    )


def test_editing_keeps_an_activity_of_an_older_logic_model(world, client_as):
    world.action.activities.add(world.old_activity)
    client = client_as(world.users["chair"])
    html = client.get(edit_url(world.action)).content.decode()
    assert "Old activity no longer in the model (logic model version" in html
    ids = [world.activities[0].pk, world.old_activity.pk]
    client.post(
        edit_url(world.action), action_form_data(world, activities=ids, row_version="1")
    )
    assert set(world.action.activities.values_list("pk", flat=True)) == set(ids)


def test_a_stale_edit_shows_the_other_change_and_overwrites_nothing(world, client_as):
    client = client_as(world.users["chair"])
    client.get(edit_url(world.action))  # the form, at row_version 1
    services.action_update(
        action=world.action, title="Renamed by the officer", rag="red"
    )
    response = client.post(
        edit_url(world.action),
        action_form_data(world, title="My new title", rag="green", row_version="1"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Someone else changed this action since you opened it. Their changes are "
        "shown below; make your changes again."
    ) in html
    assert 'name="title" value="Renamed by the officer"' in html
    assert 'value="red" checked' in html
    assert 'name="row_version" value="2"' in html
    action = Action.objects.get(pk=world.action.pk)
    assert (action.title, action.rag, action.row_version) == (
        "Renamed by the officer",
        "red",
        2,
    )
    # Making the changes again on the fresh copy saves them.
    client.post(
        edit_url(world.action),
        action_form_data(world, title="My new title", rag="green", row_version="2"),
    )
    assert Action.objects.get(pk=world.action.pk).title == "My new title"


def test_a_missing_row_version_is_treated_as_stale(world, client_as):
    response = client_as(world.users["chair"]).post(
        edit_url(world.action), action_form_data(world, title="Sneaky")
    )
    assert "Someone else changed this action" in response.content.decode()
    assert Action.objects.get(pk=world.action.pk).title == "Damp and mould taskforce"


def test_bad_input_on_edit_saves_nothing(world, client_as):
    response = client_as(world.users["chair"]).post(
        edit_url(world.action),
        action_form_data(world, title="", status="completed", row_version="1"),
    )
    assert summary_links(response) == [("id_title", "Enter a title")]
    assert "<title>Error: Edit action" in response.content.decode()
    action = Action.objects.get(pk=world.action.pk)
    assert (action.title, action.row_version) == ("Damp and mould taskforce", 1)


def test_edit_service_errors_go_on_their_field(world, client_as):
    response = client_as(world.users["chair"]).post(
        edit_url(world.action),
        action_form_data(world, status="completed", row_version="1"),
    )
    assert summary_links(response) == [
        ("id_completed_on_day", "A completed action needs the date it was completed.")
    ]
    assert Action.objects.get(pk=world.action.pk).status == "in_progress"


@pytest.mark.parametrize("actions", [2, 20])
def test_the_forms_make_a_fixed_number_of_queries(
    world, client_as, django_assert_max_num_queries, actions
):
    for _ in range(actions):
        ActionFactory(workplan=world.workplan)
    client = client_as(world.users["chair"])
    with django_assert_max_num_queries(13) as queries:
        assert client.get(create_url(world)).status_code == 200
    print(f"action-create with {actions} actions: {len(queries)} queries")
    # 17: the form shares the action page's loader, whose "carried forward
    # to" links are one more query at any size.
    with django_assert_max_num_queries(17) as queries:
        assert client.get(edit_url(world.action)).status_code == 200
    print(f"action-edit with {actions} actions: {len(queries)} queries")
