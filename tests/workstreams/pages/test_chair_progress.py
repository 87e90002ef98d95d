"""Posting a progress update: the note is kept, dated today or earlier, and
the action moves to the status and RAG given, or keeps them ("leave
unchanged"), or has its rating cleared."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workstreams.factories import ActionFactory, ProgressUpdateFactory
from tests.workstreams.fixtures import build_world, date, summary_links
from workstreams.models import Action, ProgressUpdate, Workplan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    return build_world(role_users)


def url(action):
    return reverse("progress-update-create", args=[action.pk])


def on(day: dt.date | None = None, **data):
    """The form's fields as posted, dated ``day`` (today by default)."""
    day = day or timezone.localdate()
    return {**date("reported_on", str(day.day), str(day.month), str(day.year)), **data}


def test_the_form_starts_today_leaving_status_and_rating_unchanged(world, client_as):
    html = client_as(world.users["chair"]).get(url(world.action)).content.decode()
    today = timezone.localdate()
    assert re.search(rf'id="id_reported_on_day"[^>]+value="{today.day}"', html)
    assert 'name="status" type="radio" value="unchanged" checked' in html
    assert 'name="rag" type="radio" value="unchanged" checked' in html
    assert "Leave unchanged (currently In progress)" in html
    assert "Leave unchanged (currently Green – on track)" in html
    assert "Clear the rating" in html
    assert "Leave it unchanged to keep the action&#x27;s current rating" in html
    assert "The action is in progress and rated" in html
    assert 'enctype="multipart/form-data"' in html


def test_an_update_is_kept_and_moves_the_action(world, client_as):
    client = client_as(world.users["chair"])
    response = client.post(
        url(world.action),
        on(status="on_hold", rag="red", text="Funding paused until April."),
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
        url(world.action), on(status="completed", rag="green", text="Done.")
    )
    action = Action.objects.get(pk=world.action.pk)
    assert (action.status, action.completed_on) == (
        "completed",
        timezone.localdate(),
    )


@pytest.mark.parametrize(
    "rag, status, kept",
    [
        (None, "in_progress", ("in_progress", "green", "", False)),
        ("unchanged", "unchanged", ("in_progress", "green", "", False)),
        ("clear", "unchanged", ("in_progress", "", "", True)),
        ("red", "on_hold", ("on_hold", "red", "red", False)),
    ],
)
def test_status_and_rating_left_unchanged_set_or_cleared(
    world, client_as, rag, status, kept
):
    data = on(status=status, text="Still going.")
    if rag is not None:
        data["rag"] = rag
    response = client_as(world.users["chair"]).post(url(world.action), data)
    assert response.status_code == 302
    action = Action.objects.get(pk=world.action.pk)
    update = ProgressUpdate.objects.get(action=action)
    assert (action.status, action.rag, update.rag, update.rag_cleared) == kept
    assert update.status == action.status
    page = client_as(world.users["chair"]).get(response["Location"]).content.decode()
    if rag == "clear":
        assert "Rating cleared: not rated" in page


def test_a_post_without_the_date_boxes_is_dated_today(world, client_as):
    client_as(world.users["chair"]).post(
        url(world.action), {"status": "unchanged", "text": "An old page."}
    )
    assert ProgressUpdate.objects.get().reported_on == timezone.localdate()


def test_an_update_may_be_dated_in_the_past(world, client_as):
    day = timezone.localdate() - dt.timedelta(days=40)
    client_as(world.users["chair"]).post(
        url(world.action), on(day, status="completed", text="Finished last month.")
    )
    update = ProgressUpdate.objects.get()
    assert update.reported_on == day
    assert Action.objects.get(pk=world.action.pk).completed_on == day


@pytest.mark.parametrize(
    "data, anchor, message",
    [
        (on(status="in_progress", text=""), "id_text", "Enter a progress note"),
        (on(status="in_progress", text="   "), "id_text", "Enter a progress note"),
        (on(text="A note"), "id_status_0", "Select the action's status now"),
        (
            on(status="done", text="A note"),
            "id_status_0",
            "Select a status from the list",
        ),
        (
            on(status="planned", rag="blue", text="A note"),
            "id_rag_0",
            "Select a RAG rating from the list",
        ),
        (
            on(timezone.localdate() + dt.timedelta(days=1), status="planned", text="x"),
            "id_reported_on_day",
            "The date of the update must be today or in the past",
        ),
        (
            {
                **on(status="planned", text="x"),
                "reported_on_day": "",
                "reported_on_month": "",
                "reported_on_year": "",
            },
            "id_reported_on_day",
            "Enter the date of the update",
        ),
        (
            {
                **on(status="planned", text="x"),
                "reported_on_day": "31",
                "reported_on_month": "2",
            },
            "id_reported_on_day",
            "Enter a real date, for example 27 3 2026",
        ),
        (
            on(status="planned", text="x", evidence_link="javascript:alert(1)"),
            "id_evidence_link",
            "Enter a web address starting https:// or http://, for example "
            "https://www.example.org/report",
        ),
        (
            on(status="planned", text="x", evidence_link="ftp://example.org/a.pdf"),
            "id_evidence_link",
            "Enter a web address starting https:// or http://, for example "
            "https://www.example.org/report",
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
        url(world.action), on(status="in_progress", rag="amber", text="On it.")
    )
    assert response["Location"] == reverse("action-detail", args=[world.action.pk])
    assert ProgressUpdate.objects.get().author == world.users["partner"]


def test_a_partner_on_their_draft_action_goes_back_to_it(world, client_as):
    """Partners read their own organisation's actions wherever they are
    (`rules.can_view_action`), so they return to its page."""
    response = client_as(world.users["partner"]).post(
        url(world.action), on(status="in_progress", text="On it.")
    )
    assert response["Location"] == reverse("action-detail", args=[world.action.pk])
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
    response = client.post(url(action), on(status="planned", text="x"))
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
