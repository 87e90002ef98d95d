"""A change the record's state refuses is a 409 in the error envelope, never a
400 "see fields" (issue 18): a decision on a submission already decided, a
workplan moved from a status it cannot leave that way. A client retries a 400
after fixing its request; a 409 tells it to read the record again."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from marmot import roles
from tests.conftest import user_with_role
from tests.workstreams.factories import (
    SubmissionFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from workstreams import services
from workstreams.models import Submission, Workplan

pytestmark = pytest.mark.django_db


def _officer_client():
    client = APIClient()
    officer = user_with_role(roles.OFFICER, is_staff=True)
    client.force_authenticate(officer)
    return client, officer


def _conflict(response) -> None:
    assert response.status_code == 409, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["status"] == 409
    assert error["message"]


@pytest.mark.parametrize(
    ("decision", "body"),
    [
        ("accept", {}),
        ("reject", {"reason": "Again"}),
        ("request-info", {"reason": "Tell us more"}),
    ],
)
@pytest.mark.parametrize("decided", ["rejected", "accepted"])
def test_a_decision_on_a_decided_submission_is_a_409(decision, body, decided):
    client, officer = _officer_client()
    workstream = WorkstreamFactory()
    WorkplanFactory(
        workstream=workstream,
        status=Workplan.Status.SIGNED_OFF,
        signed_off_on=dt.date(2024, 3, 1),
    )
    submission = SubmissionFactory(workstream=workstream)
    if decided == "rejected":
        services.submission_reject(submission=submission, user=officer, reason="No")
    else:
        services.submission_accept(submission=submission, user=officer)
    response = client.post(
        f"/api/v1/submissions/{submission.pk}/{decision}/", body, format="json"
    )
    _conflict(response)
    submission.refresh_from_db()
    assert submission.status == decided


def test_a_valid_decision_is_still_a_200():
    client, _ = _officer_client()
    submission = SubmissionFactory()
    response = client.post(
        f"/api/v1/submissions/{submission.pk}/reject/", {"reason": "No"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == Submission.Status.REJECTED


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (Workplan.Status.CLOSED, Workplan.Status.DRAFT),
        (Workplan.Status.CLOSED, Workplan.Status.SIGNED_OFF),
        (Workplan.Status.DRAFT, Workplan.Status.DRAFT),
        (Workplan.Status.DRAFT, Workplan.Status.CLOSED),
    ],
)
def test_a_workplan_move_its_status_refuses_is_a_409(current, wanted):
    client, _ = _officer_client()
    signed = current in (Workplan.Status.SIGNED_OFF, Workplan.Status.CLOSED)
    workplan = WorkplanFactory(
        status=current, signed_off_on=dt.date(2024, 3, 1) if signed else None
    )
    body = {"status": wanted}
    if wanted == Workplan.Status.SIGNED_OFF:
        body["signed_off_on"] = "2024-03-01"
    response = client.post(
        f"/api/v1/workplans/{workplan.pk}/status/",
        body,
        format="json",
        HTTP_IF_MATCH=f'"{workplan.row_version}"',
    )
    _conflict(response)
    workplan.refresh_from_db()
    assert workplan.status == current


def test_a_bad_status_value_is_still_a_400():
    client, _ = _officer_client()
    workplan = WorkplanFactory()
    response = client.post(
        f"/api/v1/workplans/{workplan.pk}/status/",
        {"status": "nonsense"},
        format="json",
        HTTP_IF_MATCH=f'"{workplan.row_version}"',
    )
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]
