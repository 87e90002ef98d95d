"""The published record through the API (issue 14, findings 1, 4, 5 and 7):
a signed-off workplan's record only grows, a closed one is read-only, sign-off
fields move only through the status transition, an action with a public record
is archived rather than deleted, and counts go through the visibility rules.

A refusal is a 409 with the error envelope, and nothing is written."""

import datetime as dt

import pytest

from tests.workstreams.factories import (
    ActionFactory,
    RecommendationFactory,
    WorkplanPriorityFactory,
)
from workstreams import services
from workstreams.models import (
    Action,
    ProgressUpdate,
    Submission,
    Workplan,
    WorkplanPriority,
)
from workstreams.services.actions import action_archive

pytestmark = pytest.mark.django_db


def _closed(world):
    """The signed-off workplan of the world, closed at the end of its year."""
    workplan = world["workplan"]
    Workplan.objects.filter(pk=workplan.pk).update(status=Workplan.Status.CLOSED)
    workplan.refresh_from_db()
    return workplan


def _conflict(response) -> str:
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (409, "conflict")
    return error["message"]


def _snapshot():
    return (
        list(Workplan.objects.order_by("pk").values()),
        list(WorkplanPriority.objects.order_by("pk").values()),
        list(Action.objects.order_by("pk").values()),
        list(ProgressUpdate.objects.order_by("pk").values()),
    )


# --- a closed workplan is read-only ----------------------------------------------


@pytest.mark.parametrize("role", ["chair", "officer"])
@pytest.mark.parametrize(
    "body",
    [
        {"year_label": "2099/00"},
        {"starts_on": "2024-05-01"},
        {"signed_off_on": "2024-01-01"},
        {"signed_off_at": "Another meeting"},
    ],
)
def test_a_closed_workplan_cannot_be_rewritten(world, client_for, role, body):
    workplan = _closed(world)
    before = _snapshot()
    response = client_for(role).patch(
        f"/api/v1/workplans/{workplan.pk}/",
        body,
        format="json",
        HTTP_IF_MATCH=f'"{workplan.row_version}"',
    )
    assert "closed" in _conflict(response)
    assert _snapshot() == before


@pytest.mark.parametrize("role", ["chair", "officer"])
def test_nothing_is_added_to_a_closed_workplan(world, client_for, role):
    workplan = _closed(world)
    before = _snapshot()
    client = client_for(role)
    for url, body in [
        ("/api/v1/actions/", {"workplan": workplan.pk, "title": "Late addition"}),
        ("/api/v1/priorities/", {"workplan": workplan.pk, "title": "Afterthought"}),
        (
            "/api/v1/progress-updates/",
            {
                "action": world["action"].pk,
                "reported_on": "2025-04-02",
                "text": "Rewritten after the year closed.",
                "status": "completed",
            },
        ),
    ]:
        _conflict(client.post(url, body, format="json"))
    assert _snapshot() == before


@pytest.mark.parametrize("role", ["chair", "officer"])
def test_a_closed_workplans_actions_and_priorities_are_read_only(
    world, client_for, role
):
    workplan = _closed(world)
    action, priority = world["action"], world["priority"]
    before = _snapshot()
    client = client_for(role)
    _conflict(
        client.patch(
            f"/api/v1/actions/{action.pk}/",
            {"title": "Rewritten"},
            format="json",
            HTTP_IF_MATCH=f'"{action.row_version}"',
        )
    )
    _conflict(
        client.patch(
            f"/api/v1/priorities/{priority.pk}/", {"title": "Rewritten"}, format="json"
        )
    )
    _conflict(
        client.post(
            f"/api/v1/workplans/{workplan.pk}/reorder-priorities/",
            {"priority_ids": [priority.pk]},
            format="json",
        )
    )
    _conflict(client.delete(f"/api/v1/actions/{action.pk}/"))
    _conflict(client.post(f"/api/v1/actions/{action.pk}/archive/"))
    assert _snapshot() == before


# --- a signed-off workplan's record only grows ------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"year_label": "2023/24"},
        {"starts_on": "2024-05-01"},
        {"ends_on": "2025-06-30"},
        {"signed_off_on": "2024-01-01"},
        {"signed_off_at": "Another meeting"},
    ],
)
def test_a_signed_off_workplans_details_are_the_published_record(
    world, client_for, body
):
    workplan = world["workplan"]
    before = _snapshot()
    response = client_for("officer").patch(
        f"/api/v1/workplans/{workplan.pk}/",
        body,
        format="json",
        HTTP_IF_MATCH=f'"{workplan.row_version}"',
    )
    assert "signed off" in _conflict(response)
    assert _snapshot() == before


def test_a_signed_off_workplan_still_grows(world, client_for):
    client = client_for("chair")
    workplan, action = world["workplan"], world["action"]
    added = client.post(
        "/api/v1/actions/",
        {"workplan": workplan.pk, "title": "Added in year"},
        format="json",
    )
    assert added.status_code == 201, added.content
    update = client.post(
        "/api/v1/progress-updates/",
        {
            "action": action.pk,
            "reported_on": "2024-12-01",
            "text": "Halfway.",
            "status": "in_progress",
            "rag": "amber",
        },
        format="json",
    )
    assert update.status_code == 201, update.content
    action.refresh_from_db()
    moved = client.patch(
        f"/api/v1/actions/{action.pk}/",
        {"status": "on_hold"},
        format="json",
        HTTP_IF_MATCH=f'"{action.row_version}"',
    )
    assert moved.status_code == 200, moved.content


def test_closing_moves_only_the_status(world, client_for):
    workplan = world["workplan"]
    response = client_for("chair").patch(
        f"/api/v1/workplans/{workplan.pk}/",
        {"status": "closed", "signed_off_at": "A rewritten meeting"},
        format="json",
        HTTP_IF_MATCH=f'"{workplan.row_version}"',
    )
    _conflict(response)
    assert Workplan.objects.get(pk=workplan.pk).status == Workplan.Status.SIGNED_OFF
    closed = client_for("chair").post(
        f"/api/v1/workplans/{workplan.pk}/status/",
        {"status": "closed"},
        format="json",
        HTTP_IF_MATCH=f'"{workplan.row_version}"',
    )
    assert closed.status_code == 200, closed.content


# --- sign-off fields move only through the status transition ----------------------


def test_a_draft_cannot_be_given_a_sign_off_by_patch(world, client_for):
    draft = world["draft_workplan"]
    response = client_for("chair").patch(
        f"/api/v1/workplans/{draft.pk}/",
        {"signed_off_on": "2024-03-01", "signed_off_at": "The Board"},
        format="json",
        HTTP_IF_MATCH=f'"{draft.row_version}"',
    )
    _conflict(response)
    draft.refresh_from_db()
    assert (draft.signed_off_on, draft.signed_off_at) == (None, "")


def test_a_drafts_own_details_still_change(world, client_for):
    draft = world["draft_workplan"]
    response = client_for("chair").patch(
        f"/api/v1/workplans/{draft.pk}/",
        {"starts_on": "2025-04-02"},
        format="json",
        HTTP_IF_MATCH=f'"{draft.row_version}"',
    )
    assert response.status_code == 200, response.content
    assert Workplan.objects.get(pk=draft.pk).starts_on == dt.date(2025, 4, 2)


def test_signing_off_by_patch_with_the_status_still_works(world, client_for):
    draft = world["draft_workplan"]
    Workplan.objects.filter(pk=draft.pk).update(status=Workplan.Status.CONSULTATION)
    response = client_for("chair").patch(
        f"/api/v1/workplans/{draft.pk}/",
        {
            "status": "signed_off",
            "signed_off_on": "2025-03-01",
            "signed_off_at": "The Board",
        },
        format="json",
        HTTP_IF_MATCH=f'"{draft.row_version}"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["signed_off_at"] == "The Board"


# --- actions with a public record are archived, never deleted ----------------------


def test_deleting_an_action_with_progress_updates_is_refused(world, client_for):
    action = world["action"]
    updates = ProgressUpdate.objects.filter(action=action).count()
    assert updates
    message = _conflict(client_for("chair").delete(f"/api/v1/actions/{action.pk}/"))
    assert "archive it" in message.lower()
    assert ProgressUpdate.objects.filter(action=action).count() == updates
    assert Action.objects.filter(pk=action.pk).exists()


def test_deleting_an_action_from_an_accepted_submission_is_a_409(world, client_for):
    accepted = services.submission_accept(
        submission=world["submission"],
        user=world["users"]["chair"],
        workplan=world["draft_workplan"],
    )
    response = client_for("chair").delete(f"/api/v1/actions/{accepted.action_id}/")
    assert "submission" in _conflict(response)
    submission = Submission.objects.get(pk=accepted.pk)
    assert submission.status == Submission.Status.ACCEPTED
    assert submission.action_id == accepted.action_id


def test_an_action_added_by_mistake_is_still_deleted(world, client_for):
    action = ActionFactory(workplan=world["workplan"])
    response = client_for("chair").delete(f"/api/v1/actions/{action.pk}/")
    assert response.status_code == 204, response.content
    assert not Action.objects.filter(pk=action.pk).exists()


def test_archiving_hides_an_action_but_keeps_its_record(world, client_for):
    action, update = world["action"], world["progress_update"]
    response = client_for("chair").post(f"/api/v1/actions/{action.pk}/archive/")
    assert response.status_code == 200, response.content
    assert response.json()["archived_at"]
    anonymous = client_for("anonymous")
    answer = anonymous.get("/api/v1/actions/?page_size=500")
    assert answer.status_code == 200, answer.content
    listed = answer.json()["results"]
    assert action.pk not in {row["id"] for row in listed}
    archived = anonymous.get("/api/v1/actions/?archived=true").json()["results"]
    assert [row["id"] for row in archived] == [action.pk]
    # Only true or false, as every boolean filter (ADR 41).
    refused = anonymous.get("/api/v1/actions/?archived=maybe")
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["archived"]
    assert anonymous.get(f"/api/v1/actions/{action.pk}/").status_code == 200
    assert anonymous.get(f"/api/v1/progress-updates/{update.pk}/").status_code == 200
    assert Action.history.filter(id=action.pk, archived_at__isnull=False).exists()
    # An archived action is part of the record: no more changes, no re-archiving.
    client = client_for("chair")
    action.refresh_from_db()
    _conflict(
        client.patch(
            f"/api/v1/actions/{action.pk}/",
            {"title": "Quietly renamed"},
            format="json",
            HTTP_IF_MATCH=f'"{action.row_version}"',
        )
    )
    _conflict(client.post(f"/api/v1/actions/{action.pk}/archive/"))
    _conflict(client.delete(f"/api/v1/actions/{action.pk}/"))


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("partner", 403), ("other_chair", 403), ("oversight", 403)],
)
def test_only_the_workstreams_chairs_and_officers_archive(
    world, client_for, role, expected
):
    action = world["action"]
    response = client_for(role).post(f"/api/v1/actions/{action.pk}/archive/")
    assert response.status_code == expected, response.content
    assert Action.objects.get(pk=action.pk).archived_at is None


# --- finding 5: a partner's update on an action of a draft workplan ----------------


def test_partner_progress_update_on_a_draft_workplans_action_is_a_201(
    world, client_for
):
    action = world["draft_action"]  # led by the partner's organisation
    before = ProgressUpdate.objects.filter(action=action).count()
    response = client_for("partner").post(
        "/api/v1/progress-updates/",
        {
            "action": action.pk,
            "reported_on": "2025-06-01",
            "text": "Venue booked.",
            "status": "in_progress",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["action"] == action.pk
    assert ProgressUpdate.objects.filter(action=action).count() == before + 1


def test_partner_refused_a_progress_update_writes_nothing(world, client_for):
    action = ActionFactory(workplan=world["draft_workplan"])  # another organisation
    response = client_for("partner").post(
        "/api/v1/progress-updates/",
        {
            "action": action.pk,
            "reported_on": "2025-06-01",
            "text": "Not ours.",
            "status": "in_progress",
        },
        format="json",
    )
    # A draft action the partner may not see reads as no such action (400 on
    # the field, as for an id that does not exist; ADR 28), not a 403.
    assert response.status_code == 400, response.content
    assert list(response.json()["error"]["fields"]) == ["action"]
    assert not ProgressUpdate.objects.filter(action=action).exists()


# --- finding 4: recommendation counts see only what the reader may see -------------


def test_recommendation_counts_leave_out_draft_actions(world, client_for):
    drafted = RecommendationFactory(workstream=world["own"])
    world["draft_action"].recommendations.add(drafted)
    answered = world["recommendation"]
    world["action"].recommendations.add(answered)
    anonymous = client_for("anonymous")
    rows = {
        row["id"]: row["action_count"]
        for row in anonymous.get("/api/v1/recommendations/").json()["results"]
    }
    assert (rows[drafted.pk], rows[answered.pk]) == (0, 1)
    with_actions = anonymous.get("/api/v1/recommendations/?has_actions=true").json()
    assert {row["id"] for row in with_actions["results"]} == {answered.pk}
    without = anonymous.get("/api/v1/recommendations/?has_actions=false").json()
    assert drafted.pk in {row["id"] for row in without["results"]}
    # The programme, which reads drafts, counts them.
    officer = client_for("officer").get(f"/api/v1/recommendations/{drafted.pk}/")
    assert officer.json()["action_count"] == 1


def test_recommendation_counts_leave_out_archived_actions(world, client_for):
    recommendation = world["recommendation"]
    world["action"].recommendations.add(recommendation)
    action_archive(action=world["action"])
    row = client_for("officer").get(f"/api/v1/recommendations/{recommendation.pk}/")
    assert row.json()["action_count"] == 0


def test_priorities_of_a_signed_off_workplan_still_change(world, client_for):
    priority = WorkplanPriorityFactory(workplan=world["workplan"], title="Spare")
    response = client_for("chair").patch(
        f"/api/v1/priorities/{priority.pk}/", {"description": "Why"}, format="json"
    )
    assert response.status_code == 200, response.content


def test_a_progress_update_on_an_archived_action_is_refused(world, client_for):
    action = world["action"]
    action_archive(action=action)
    before = ProgressUpdate.objects.count()
    response = client_for("chair").post(
        "/api/v1/progress-updates/",
        {
            "action": action.pk,
            "reported_on": "2025-01-01",
            "text": "After archiving.",
            "status": "in_progress",
        },
        format="json",
    )
    _conflict(response)
    assert ProgressUpdate.objects.count() == before
