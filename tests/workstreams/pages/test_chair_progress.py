"""Posting a progress update: the note is kept and the action moves to the
status and RAG given."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workstreams.factories import ActionFactory, ProgressUpdateFactory
from tests.workstreams.fixtures import build_world, summary_links
from workstreams.models import Action, ProgressUpdate, Workplan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    return build_world(role_users)


def url(action):
    return reverse("progress-update-create", args=[action.pk])


def test_the_form_starts_at_the_actions_status_and_rating(world, client_as):
    html = client_as(world.users["chair"]).get(url(world.action)).content.decode()
    assert 'name="status" type="radio" value="in_progress" checked' in html
    assert 'name="rag" type="radio" value="green" checked' in html
    assert "The action is in progress and rated" in html


def test_an_update_is_kept_and_moves_the_action(world, client_as):
    client = client_as(world.users["chair"])
    response = client.post(
        url(world.action),
        {"status": "on_hold", "rag": "red", "text": "Funding paused until April."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("action-detail", args=[world.action.pk])
    update = ProgressUpdate.objects.get(action=world.action)
    assert update.text == "Funding paused until April."
    assert (update.status, update.rag) == ("on_hold", "red")
    assert update.author == world.users["chair"]
    assert update.reported_on == timezone.localdate()
    action = Action.objects.get(pk=world.action.pk)
    assert (action.status, action.rag, action.row_version) == ("on_hold", "red", 2)
    page = client.get(response["Location"]).content.decode()
    assert "Progress update posted: Damp and mould taskforce" in page
    assert "Funding paused until April." in page


def test_completing_through_an_update_dates_the_completion(world, client_as):
    client_as(world.users["officer"]).post(
        url(world.action), {"status": "completed", "rag": "green", "text": "Done."}
    )
    action = Action.objects.get(pk=world.action.pk)
    assert (action.status, action.completed_on) == (
        "completed",
        timezone.localdate(),
    )


def test_no_rating_keeps_the_actions_rating(world, client_as):
    client_as(world.users["chair"]).post(
        url(world.action), {"status": "in_progress", "text": "Still going."}
    )
    assert Action.objects.get(pk=world.action.pk).rag == "green"


@pytest.mark.parametrize(
    "data, anchor, message",
    [
        ({"status": "in_progress", "text": ""}, "id_text", "Enter a progress note"),
        ({"status": "in_progress", "text": "   "}, "id_text", "Enter a progress note"),
        ({"text": "A note"}, "id_status_0", "Select the action's status now"),
        (
            {"status": "done", "text": "A note"},
            "id_status_0",
            "Select a status from the list",
        ),
        (
            {"status": "planned", "rag": "blue", "text": "A note"},
            "id_rag_0",
            "Select a RAG rating from the list",
        ),
    ],
)
def test_bad_input_lists_the_error_and_saves_nothing(
    world, client_as, data, anchor, message
):
    response = client_as(world.users["chair"]).post(url(world.action), data)
    assert response.status_code == 200
    assert summary_links(response) == [(anchor, message)]
    assert "<title>Error: Post a progress update" in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    action = Action.objects.get(pk=world.action.pk)
    assert (action.status, action.rag, action.row_version) == (
        "in_progress",
        "green",
        1,
    )


def test_a_partner_posts_on_their_organisations_published_action(role_users, client_as):
    world = build_world(role_users, own_status=Workplan.Status.SIGNED_OFF)
    response = client_as(world.users["partner"]).post(
        url(world.action), {"status": "in_progress", "rag": "amber", "text": "On it."}
    )
    assert response["Location"] == reverse("action-detail", args=[world.action.pk])
    assert ProgressUpdate.objects.get().author == world.users["partner"]


def test_a_partner_on_a_draft_action_goes_back_to_the_overview(world, client_as):
    response = client_as(world.users["partner"]).post(
        url(world.action), {"status": "in_progress", "text": "On it."}
    )
    assert response["Location"] == reverse("home")
    assert ProgressUpdate.objects.count() == 1


@pytest.mark.parametrize(
    "which", ["another organisation's action", "a completed action"]
)
def test_a_partner_may_not_post_on_other_actions(world, client_as, which):
    if which == "a completed action":
        action = ActionFactory(
            workplan=world.workplan,
            lead_organisation=world.org,
            status="completed",
            completed_on="2024-12-01",
        )
    else:
        action = ActionFactory(
            workplan=world.workplan, lead_organisation=world.other_org
        )
    client = client_as(world.users["partner"])
    assert client.get(url(action)).status_code == 403
    response = client.post(url(action), {"status": "planned", "text": "x"})
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("updates", [2, 20])
def test_a_fixed_number_of_queries(
    world, client_as, django_assert_max_num_queries, updates
):
    for _ in range(updates):
        ProgressUpdateFactory(action=world.action)
    client = client_as(world.users["chair"])
    with django_assert_max_num_queries(7) as queries:
        assert client.get(url(world.action)).status_code == 200
    print(f"progress-update-create with {updates} updates: {len(queries)} queries")
