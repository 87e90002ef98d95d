"""POST /workplans/{id}/status/ and status in PATCH: the one status rule,
with the ETag check of every other write."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.workstreams.api.conftest import ROLES
from workstreams.models import Workplan

pytestmark = pytest.mark.django_db

BOARD = "Testshire Health and Wellbeing Board"


def _status(client, workplan, body, etag=None):
    headers = {} if etag is False else {"HTTP_IF_MATCH": etag or '"1"'}
    return client.post(
        f"/api/v1/workplans/{workplan.pk}/status/", body, format="json", **headers
    )


def _at(workplan, status, **fields):
    Workplan.objects.filter(pk=workplan.pk).update(status=status, **fields)
    workplan.refresh_from_db()
    return workplan


def _status_error(response):
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


def _refused(response):
    """A move the workplan's status refuses: a 409 naming the field (issue 18)."""
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "conflict"
    return response.json()["error"]["fields"]


def test_a_draft_goes_to_consultation_and_is_signed_off(world, client_for):
    workplan = world["draft_workplan"]
    client = client_for("chair")

    consulted = _status(client, workplan, {"status": "consultation"})
    assert consulted.status_code == 200, consulted.content
    assert consulted.json()["status"] == "consultation"
    assert consulted["ETag"].startswith('"2-')

    signed = _status(
        client,
        workplan,
        {"status": "signed_off", "signed_off_on": "2025-03-20", "signed_off_at": BOARD},
        etag=consulted["ETag"],
    )
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert (body["status"], body["signed_off_on"], body["signed_off_at"]) == (
        "signed_off",
        "2025-03-20",
        BOARD,
    )
    assert body["row_version"] == 3
    # Signed off is published: the public now sees it.
    public = client_for("anonymous").get(f"/api/v1/workplans/{workplan.pk}/")
    assert public.status_code == 200


def test_officer_reopens_a_signed_off_workplan(world, client_for):
    response = _status(client_for("officer"), world["workplan"], {"status": "draft"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["signed_off_on"], body["signed_off_at"]) == (
        "draft",
        None,
        "",
    )


def test_chair_cannot_reopen(world, client_for):
    response = _status(client_for("chair"), world["workplan"], {"status": "draft"})
    assert _status_error(response) == {
        "status": [
            "A workplan can move from signed off to draft only when an officer "
            "reopens it."
        ]
    }
    assert Workplan.objects.get(pk=world["workplan"].pk).status == "signed_off"


def test_signed_off_workplan_closes(world, client_for):
    response = _status(client_for("chair"), world["workplan"], {"status": "closed"})
    assert response.status_code == 200, response.content
    assert response.json()["signed_off_on"] == "2024-03-20"


REFUSED = [
    ("draft", "signed_off", "only after consultation: move it to consultation"),
    ("draft", "closed", "only once it has been signed off"),
    ("consultation", "closed", "only once it has been signed off"),
    ("signed_off", "consultation", "only by an officer reopening it as a draft"),
    ("closed", "draft", "a closed workplan is final"),
    ("closed", "signed_off", "a closed workplan is final"),
]


@pytest.mark.parametrize(("current", "status", "why"), REFUSED)
def test_moves_the_rule_refuses(world, client_for, current, status, why):
    workplan = _at(world["draft_workplan"], current, signed_off_on=dt.date(2025, 1, 1))
    body = {"status": status}
    if status == "signed_off":
        body["signed_off_on"] = "2025-03-01"
    response = _status(client_for("officer"), workplan, body)
    [message] = _refused(response)["status"]
    start, end = (s.replace("_", " ") for s in (current, status))
    assert message.startswith("A workplan can")
    assert f" move from {start} to {end}" in message
    assert why in message
    assert Workplan.objects.get(pk=workplan.pk).status == current


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"status": "signed_off"}, {"signed_off_on"}),
        ({"status": "signed_off", "signed_off_on": "tomorrow"}, {"signed_off_on"}),
        ({"status": "published"}, {"status"}),
        ({}, {"status"}),
        ({"status": "draft", "signed_off_on": "2025-01-01"}, {"signed_off_on"}),
    ],
)
def test_bad_bodies_are_field_errors(world, client_for, body, fields):
    workplan = _at(world["draft_workplan"], "consultation")
    response = _status(client_for("chair"), workplan, body)
    assert set(_status_error(response)) == fields
    assert Workplan.objects.get(pk=workplan.pk).row_version == 1


def test_a_move_to_the_status_it_has_is_a_conflict(world, client_for):
    workplan = _at(world["draft_workplan"], "consultation")
    response = _status(client_for("chair"), workplan, {"status": "consultation"})
    assert _refused(response) == {"status": ["The workplan is already consultation."]}
    assert Workplan.objects.get(pk=workplan.pk).row_version == 1


def test_a_sign_off_date_in_the_future_is_refused(world, client_for):
    workplan = _at(world["draft_workplan"], "consultation")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _status(
        client_for("chair"),
        workplan,
        {"status": "signed_off", "signed_off_on": tomorrow.isoformat()},
    )
    [message] = _status_error(response)["signed_off_on"]
    assert message.startswith("A sign-off date cannot be in the future")


def test_status_needs_the_etag(world, client_for):
    workplan = world["draft_workplan"]
    client = client_for("chair")
    missing = _status(client, workplan, {"status": "consultation"}, etag=False)
    assert missing.status_code == 428
    stale = _status(client, workplan, {"status": "consultation"}, etag='"7"')
    assert stale.status_code == 412
    in_body = _status(
        client, workplan, {"status": "consultation", "row_version": 1}, etag=False
    )
    assert in_body.status_code == 200, in_body.content
    assert Workplan.objects.get(pk=workplan.pk).status == "consultation"


def test_patch_with_a_status_obeys_the_rule(world, client_for):
    url = f"/api/v1/workplans/{world['workplan'].pk}/"
    chair = client_for("chair").patch(
        url, {"status": "draft"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert "only when an officer reopens it" in _status_error(chair)["status"][0]
    officer = client_for("officer").patch(
        url,
        {"status": "draft", "signed_off_at": "ignored"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert officer.status_code == 200, officer.content
    assert (officer.json()["status"], officer.json()["signed_off_at"]) == ("draft", "")


def test_put_keeping_the_status_needs_no_move(world, client_for):
    response = client_for("chair").put(
        f"/api/v1/workplans/{world['workplan'].pk}/",
        {
            "workstream": "own",
            "year_label": "2024/25",
            "starts_on": "2024-04-01",
            "ends_on": "2025-03-31",
            "status": "signed_off",
            "signed_off_on": "2024-03-20",
            "signed_off_at": world["workplan"].signed_off_at,
        },
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["signed_off_on"] == "2024-03-20"


def test_a_new_workplan_starts_as_a_draft(world, client_for):
    response = client_for("chair").post(
        "/api/v1/workplans/",
        {
            "workstream": "own",
            "year_label": "2030/31",
            "starts_on": "2030-04-01",
            "ends_on": "2031-03-31",
            "status": "signed_off",
            "signed_off_on": "2030-03-01",
        },
        format="json",
    )
    assert _status_error(response) == {
        "status": ["A new workplan starts as a draft; then change its status."]
    }


#              anonymous, partner, chair, other_chair, oversight, officer
ON_PUBLISHED = (401, 403, 200, 403, 403, 200)
ON_DRAFT = (401, 404, 200, 404, 403, 200)  # hidden: 404 (issue 14)


@pytest.mark.parametrize("draft", [False, True], ids=["signed_off", "draft"])
@pytest.mark.parametrize("role", ROLES)
def test_status_permissions(world, client_for, role, draft):
    workplan = world["draft_workplan" if draft else "workplan"]
    body = {"status": "consultation" if draft else "closed"}
    response = _status(client_for(role), workplan, body)
    expected = (ON_DRAFT if draft else ON_PUBLISHED)[ROLES.index(role)]
    assert response.status_code == expected, response.content
    moved = Workplan.objects.get(pk=workplan.pk).status == body["status"]
    assert moved is (expected == 200)
