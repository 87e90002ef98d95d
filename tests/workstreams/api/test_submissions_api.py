"""PATCH /api/v1/submissions/{id}/: the submitting organisation's partner (or
an officer) edits a submission not yet decided, with the ETag it read; one
with more information requested is resubmitted (ADR 0010's 412/428 apply)."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tests.workstreams.fixtures import build_submission_world
from workstreams import services
from workstreams.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    return build_submission_world(role_users)


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(type(user).objects.get(pk=user.pk))
    return client


def url(submission):
    return f"/api/v1/submissions/{submission.pk}/"


def fresh(submission):
    return Submission.objects.get(pk=submission.pk)


def test_a_partner_resubmits_with_the_etag(world, django_capture_on_commit_callbacks):
    services.submission_request_info(
        submission=world.submission, user=world.users["chair"], reason="Costs?"
    )
    client = api(world.users["partner"])
    etag = client.get(url(world.submission))["ETag"]
    assert etag.startswith('"2-')
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            url(world.submission),
            {
                "description": "Costed at £4,000.",
                "principles": [world.principles[1].number],
            },
            format="json",
            HTTP_IF_MATCH=etag,
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["row_version"]) == ("submitted", 3)
    assert body["description"] == "Costed at £4,000."
    assert body["principles"] == [world.principles[1].number]
    assert response["ETag"].startswith('"3-')
    [message] = mail.outbox
    assert message.subject.startswith("Resubmitted for Housing and communities")


def test_without_the_etag_428_and_stale_412_and_nothing_changes(world):
    client = api(world.users["partner"])
    missing = client.patch(
        url(world.submission), {"title": "x"}, format="json", HTTP_IF_MATCH=""
    )
    assert missing.status_code == 428
    services.submission_update(
        submission=world.submission, user=world.users["officer"], title="Officer's"
    )
    stale = client.patch(
        url(world.submission), {"title": "x"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    assert fresh(world.submission).title == "Officer's"


@pytest.mark.parametrize(
    "role, status",
    [
        ("anonymous", 401),
        ("other_partner", 404),  # another organisation's: not even seen
        ("chair", 403),  # chairs decide, they do not edit
        ("other_chair", 404),
        ("oversight", 403),
        ("officer", 200),
    ],
)
def test_who_may_patch(world, role, status):
    response = api(world.users[role]).patch(
        url(world.submission), {"title": "Changed"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == status
    changed = fresh(world.submission).title == "Changed"
    assert changed is (status == 200)


def test_a_decided_submission_cannot_be_patched(world):
    services.submission_reject(
        submission=world.submission, user=world.users["officer"], reason="No"
    )
    response = api(world.users["partner"]).patch(
        url(world.submission), {"title": "Again"}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert response.status_code == 409  # decided: a conflict (issue 14)
    assert response.json()["error"]["code"] == "conflict"
    assert fresh(world.submission).title == "Warm spaces in libraries"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"supports_activity": "OTHER"}, "supports_activity"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"organisation": "OTHER_ORG"}, "organisation"),
        ({"start_date": "2025-05-01", "end_date": "2025-01-01"}, "end_date"),
    ],
)
def test_bad_changes_are_field_errors_and_save_nothing(world, change, field):
    change = {
        key: {"OTHER": world.other_activity.pk, "OTHER_ORG": world.other_org.pk}.get(
            value, value
        )
        for key, value in change.items()
    }
    response = api(world.users["partner"]).patch(
        url(world.submission), change, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    submission = fresh(world.submission)
    assert (submission.row_version, submission.organisation) == (1, world.org)


def test_put_is_not_offered(world):
    response = api(world.users["partner"]).put(
        url(world.submission), {"title": "x"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 405
