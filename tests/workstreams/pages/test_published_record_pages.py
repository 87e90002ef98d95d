"""The published record on the site's chair pages and in the Django admin
(issue 14, finding 1; ADR 22): a closed workplan, and an archived action, are
read-only whoever asks; an action with a public record is never deleted; a
signed-off workplan keeps its year, dates and sign-off. Refusals say why and
write nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workstreams.factories import (
    ActionFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)
from workstreams.models import Action, ProgressUpdate, Workplan
from workstreams.services.actions import action_archive

pytestmark = pytest.mark.django_db

MARCH = dt.date(2024, 3, 20)


@pytest.fixture
def record(role_users):
    """A workstream with a signed-off workplan and an action with an update."""
    workstream = WorkstreamFactory(slug="homes")
    users = role_users(chair_of=workstream)
    workplan = WorkplanFactory(
        workstream=workstream, status=Workplan.Status.SIGNED_OFF, signed_off_on=MARCH
    )
    priority = WorkplanPriorityFactory(workplan=workplan, title="Warm homes")
    action = ActionFactory(workplan=workplan, priority=priority, title="Insulate")
    ProgressUpdateFactory(action=action)
    return {"users": users, "workplan": workplan, "action": action}


def _close(workplan):
    Workplan.objects.filter(pk=workplan.pk).update(status=Workplan.Status.CLOSED)
    workplan.refresh_from_db()


def _messages(client, response) -> str:
    return client.get(response["Location"]).content.decode()


# --- the chair's pages ----------------------------------------------------------


@pytest.mark.parametrize("role", ["chair", "officer"])
def test_an_action_of_a_closed_workplan_cannot_be_edited(record, client_as, role):
    _close(record["workplan"])
    action = record["action"]
    client = client_as(record["users"][role])
    url = reverse("action-edit", args=[action.pk])
    shown = client.get(url)
    assert shown.status_code == 302
    assert "workplan is closed" in _messages(client, shown)
    posted = client.post(url, {"title": "Rewritten", "row_version": "1"})
    assert posted.status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Insulate"


def test_an_archived_action_cannot_be_edited(record, client_as):
    action = action_archive(action=record["action"])
    client = client_as(record["users"]["chair"])
    response = client.post(
        reverse("action-edit", args=[action.pk]),
        {"title": "Rewritten", "row_version": str(action.row_version)},
    )
    assert response.status_code == 302
    assert "is archived" in _messages(client, response)
    assert Action.objects.get(pk=action.pk).title == "Insulate"


@pytest.mark.parametrize("role", ["chair", "officer"])
def test_no_progress_update_on_a_closed_workplans_action(record, client_as, role):
    _close(record["workplan"])
    action = record["action"]
    before = ProgressUpdate.objects.count()
    client = client_as(record["users"][role])
    response = client.post(
        reverse("progress-update-create", args=[action.pk]),
        {"text": "Rewriting the year.", "status": "completed", "rag": "green"},
    )
    assert response.status_code == 302
    assert "workplan is closed" in _messages(client, response)
    assert ProgressUpdate.objects.count() == before


def test_an_archived_action_keeps_its_page_but_leaves_the_lists(record, client_as):
    action = record["action"]
    recommendation = RecommendationFactory(workstream=action.workplan.workstream)
    action.recommendations.add(recommendation)
    action_archive(action=action)
    client = client_as(None)
    assert client.get(reverse("action-detail", args=[action.pk])).status_code == 200
    page = client.get(reverse("workstream-detail", args=["homes"])).context["page"]
    assert page.action_count == 0  # its updates stay in the recent updates
    assert [update.action_id for update in page.updates] == [action.pk]
    coverage = client.get("/recommendations/?has_actions=true").content.decode()
    assert recommendation.text not in coverage


# --- the admin ---------------------------------------------------------------------


def _admin(record, client_as):
    return client_as(record["users"]["officer"])


def test_admin_refuses_to_rewrite_a_signed_off_workplan(record, client_as):
    workplan = record["workplan"]
    client = _admin(record, client_as)
    url = reverse("admin:workstreams_workplan_change", args=[workplan.pk])
    html = client.get(url).content.decode()
    assert 'name="year_label"' not in html
    assert 'name="signed_off_on"' not in html
    client.post(
        url,
        {
            "year_label": "1999/00",
            "starts_on": "1999-04-01",
            "ends_on": "2000-03-31",
            "signed_off_on": "1999-01-01",
            "signed_off_at": "Nobody",
            "status": "signed_off",
        },
    )
    workplan.refresh_from_db()
    assert (workplan.year_label, workplan.signed_off_on) == ("2024/25", MARCH)


def test_admin_shows_a_closed_workplan_read_only(record, client_as):
    _close(record["workplan"])
    client = _admin(record, client_as)
    url = reverse("admin:workstreams_workplan_change", args=[record["workplan"].pk])
    html = client.get(url).content.decode()
    assert 'name="status"' not in html
    assert 'name="actions-0-title"' not in html
    action_url = reverse("admin:workstreams_action_change", args=[record["action"].pk])
    assert 'name="title"' not in client.get(action_url).content.decode()
    response = client.post(action_url, {"title": "Rewritten"})
    assert response.status_code == 403
    assert Action.objects.get(pk=record["action"].pk).title == "Insulate"


def test_admin_gives_a_draft_no_sign_off_without_its_status(record, client_as):
    draft = WorkplanFactory(
        workstream=record["workplan"].workstream,
        year_label="2025/26",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    client = _admin(record, client_as)
    response = client.post(
        reverse("admin:workstreams_workplan_change", args=[draft.pk]),
        {
            "workstream": draft.workstream_id,
            "year_label": "2025/26",
            "starts_on": "2025-04-01",
            "ends_on": "2026-03-31",
            "status": "draft",
            "signed_off_on": "2025-03-01",
            "signed_off_at": "The Board",
            "priorities-TOTAL_FORMS": "0",
            "priorities-INITIAL_FORMS": "0",
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "change only as the workplan is signed off" in response.content.decode()
    draft.refresh_from_db()
    assert draft.signed_off_on is None


def test_admin_does_not_delete_an_action_with_a_public_record(record, client_as):
    action = record["action"]
    client = _admin(record, client_as)
    url = reverse("admin:workstreams_action_delete", args=[action.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()
    assert ProgressUpdate.objects.filter(action=action).exists()


def test_admin_archives_actions(record, client_as):
    action = record["action"]
    client = _admin(record, client_as)
    response = client.post(
        reverse("admin:workstreams_action_changelist"),
        {"action": "archive_actions", "_selected_action": [action.pk]},
    )
    assert response.status_code == 302
    archived = Action.objects.get(pk=action.pk).archived_at
    assert archived is not None and archived <= timezone.now()


def test_admin_adds_no_progress_update_to_a_closed_workplans_action(record, client_as):
    _close(record["workplan"])
    before = ProgressUpdate.objects.count()
    client = _admin(record, client_as)
    response = client.post(
        reverse("admin:workstreams_progressupdate_add"),
        {
            "action": record["action"].pk,
            "reported_on": "2025-05-01",
            "status": "completed",
            "rag": "green",
            "text": "After the year closed.",
        },
    )
    assert response.status_code == 200
    assert "takes no more updates" in response.content.decode()
    assert ProgressUpdate.objects.count() == before


# --- archiving on the site ------------------------------------------------------


def test_a_chair_archives_an_action_from_its_page(record, client_as):
    action = record["action"]
    client = client_as(record["users"]["chair"])
    detail = client.get(reverse("action-detail", args=[action.pk])).content.decode()
    archive_url = reverse("action-archive", args=[action.pk])
    assert archive_url in detail
    confirm = client.get(archive_url)
    assert confirm.status_code == 200
    assert (
        "cannot be changed or take progress updates again" in confirm.content.decode()
    )
    response = client.post(archive_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("action-detail", args=[action.pk])
    page = _messages(client, response)
    assert "Action archived: Insulate" in page
    assert "This action was archived on" in page
    # Its page no longer offers to change it, and its record is kept.
    assert reverse("action-edit", args=[action.pk]) not in page
    assert reverse("progress-update-create", args=[action.pk]) not in page
    assert archive_url not in page
    action.refresh_from_db()
    assert action.archived_at is not None
    assert ProgressUpdate.objects.filter(action=action).count() == 1


def test_an_archived_action_cannot_be_archived_again(record, client_as):
    action = action_archive(action=record["action"])
    client = client_as(record["users"]["chair"])
    response = client.post(reverse("action-archive", args=[action.pk]))
    assert response.status_code == 302
    assert "is archived: its record is kept" in _messages(client, response)


@pytest.mark.parametrize("role", ["partner", "oversight", "other_chair"])
def test_only_the_chairs_and_officers_archive(record, client_as, role):
    action = record["action"]
    response = client_as(record["users"][role]).post(
        reverse("action-archive", args=[action.pk])
    )
    assert response.status_code in (403, 404)
    action.refresh_from_db()
    assert action.archived_at is None


def test_a_closed_workplans_page_says_so_and_offers_nothing(record, client_as):
    _close(record["workplan"])
    action = record["action"]
    page = client_as(record["users"]["chair"]).get(
        reverse("action-detail", args=[action.pk])
    )
    body = page.content.decode()
    assert "workplan is closed" in body
    assert reverse("action-edit", args=[action.pk]) not in body
    assert reverse("action-archive", args=[action.pk]) not in body
