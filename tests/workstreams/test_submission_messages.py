"""A submission's conversation (issue 17, ADR 36): the services that write it,
who may write and read it (per role), the API under
``/api/v1/submissions/<id>/messages/``, the migration of old reasons into
first messages, what changed after a resubmission, and the chair's
confirmation when accepting dates outside the workplan."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from marmot.services import StateConflict
from tests.conftest import make_role_users, rolled_back_after
from tests.workstreams.factories import SubmissionFactory
from tests.workstreams.fixtures import build_submission_world
from workstreams import services
from workstreams.models import Submission, SubmissionMessage
from workstreams.page_selectors.submissions import (
    submission_changes,
    submission_messages,
)
from workstreams.services.submissions import SubmissionConflict

pytestmark = pytest.mark.django_db
Kind = SubmissionMessage.Kind


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with rolled_back_after(django_db_blocker):
        world = build_submission_world(make_role_users)
        for role, name in [("chair", ("Chris", "Chair")), ("partner", ("Pat", "Lee"))]:
            user = world.users[role]
            user.first_name, user.last_name = name
            user.save()
        yield world


@pytest.fixture
def world(world_once, db):
    return world_once


def fresh(submission):
    return Submission.objects.get(pk=submission.pk)


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(type(user).objects.get(pk=user.pk))
    return client


def messages_url(submission):
    return f"/api/v1/submissions/{submission.pk}/messages/"


# --- the services ---------------------------------------------------------------


def test_request_reply_and_resubmit_make_a_thread_and_keep_the_description(
    world, django_capture_on_commit_callbacks
):
    submission, chair, partner = (
        world.submission,
        world.users["chair"],
        world.users["partner"],
    )
    description = submission.description
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_request_info(
            submission=submission, user=chair, reason="Which libraries?"
        )
        services.submission_message_post(
            submission=submission, user=partner, body="Three, in the north."
        )
        services.submission_update(
            submission=fresh(submission),
            user=partner,
            title="Warm spaces in three libraries",
            reply="Named them in the title.",
        )
    thread = submission_messages(submission)
    assert [(m.kind, m.author, m.body) for m in thread] == [
        (Kind.REQUEST, chair, "Which libraries?"),
        (Kind.REPLY, partner, "Three, in the north."),
        (Kind.REPLY, partner, "Named them in the title."),
    ]
    saved = fresh(submission)
    assert saved.status == Submission.Status.SUBMITTED
    assert saved.description == description  # never overwritten by a message
    decision, reply, resubmitted = mail.outbox
    assert "Which libraries?" in decision.body and "conversation" in decision.body
    assert "Three, in the north." in reply.body
    assert sorted(reply.to) == ["chair@example.org", "deputy@example.org"]
    assert "Their reply, now in the submission's conversation:" in resubmitted.body
    assert "Named them in the title." in resubmitted.body
    # what changed since the request, in words
    changes = submission_changes(saved, thread)
    assert [(c.label, c.before, c.after) for c in changes.fields] == [
        ("Title", "Warm spaces in libraries", "Warm spaces in three libraries")
    ]


@pytest.mark.parametrize(
    "role, kind",
    [
        ("partner", Kind.REPLY),
        ("chair", Kind.NOTE),
        ("officer", Kind.NOTE),
        ("other_partner", None),
        ("other_chair", None),
        ("oversight", None),
    ],
)
def test_who_may_write_in_the_conversation(world, role, kind):
    post = lambda: services.submission_message_post(  # noqa: E731
        submission=world.submission, user=world.users[role], body="A question."
    )
    if kind is None:
        with pytest.raises(PermissionDenied):
            post()
        assert not SubmissionMessage.objects.exists()
    else:
        assert post().kind == kind


def test_an_empty_message_or_a_decided_submission_is_refused(world):
    partner = world.users["partner"]
    with pytest.raises(ValidationError) as empty:
        services.submission_message_post(
            submission=world.submission, user=partner, body="   "
        )
    assert empty.value.message_dict == {"body": ["Enter your message."]}
    services.submission_reject(
        submission=world.submission, user=world.users["chair"], reason="No budget."
    )
    with pytest.raises(SubmissionConflict, match="its conversation is closed"):
        services.submission_message_post(
            submission=world.submission, user=partner, body="Why?"
        )
    assert not SubmissionMessage.objects.exists()


def test_changes_read_as_labels(world):
    submission, chair = world.submission, world.users["chair"]
    submission.principles.set([world.principles[0]])
    services.submission_request_info(submission=submission, user=chair, reason="?")
    services.submission_update(
        submission=fresh(submission),
        user=world.users["partner"],
        start_date=dt.date(2024, 10, 1),
        supports_activity=world.activities[0],
        supports_recommendation=world.recommendation,
        principles=list(world.principles),
    )
    saved = fresh(submission)
    changes = submission_changes(saved, submission_messages(saved))
    assert {c.label: (c.before, c.after) for c in changes.fields} == {
        "Marmot principles": (
            f"1. {world.principles[0].title}",
            f"1. {world.principles[0].title}; 6. {world.principles[1].title}",
        ),
        "Start date": ("None given", "1 October 2024"),
        "Logic model activity it supports": ("None chosen", "Retrofit council homes"),
        "Recommendation it answers": (
            "None chosen",
            f"{world.recommendation.get_source_display()}, recommendation 7: "
            "Improve the quality of private rented homes.",
        ),
    }


def test_the_migration_turns_old_reasons_into_first_messages(world):
    chair = world.users["chair"]
    asked_at = dt.datetime(2024, 6, 1, 10, tzinfo=dt.UTC)
    waiting = SubmissionFactory(
        organisation=world.org,
        workstream=world.own,
        status=Submission.Status.MORE_INFO,
        decision_reason="Costs?",
        decided_by=chair,
        decided_at=asked_at,
    )
    resubmitted = SubmissionFactory(
        organisation=world.org,
        workstream=world.own,
        decision_reason="Dates?",
        decided_by=chair,
        decided_at=asked_at,
    )
    SubmissionFactory(  # rejected: its reason is not a request
        organisation=world.org,
        workstream=world.own,
        status=Submission.Status.REJECTED,
        decision_reason="No.",
        decided_at=asked_at,
    )
    migration = importlib.import_module(
        "workstreams.migrations.0012_submission_messages"
    )
    migration.reasons_to_messages(apps, None)
    rows = SubmissionMessage.objects.order_by("submission_id").values_list(
        "submission_id", "kind", "author_id", "body", "created_at"
    )
    assert list(rows) == [
        (waiting.pk, Kind.REQUEST, chair.pk, "Costs?", asked_at),
        (resubmitted.pk, Kind.REQUEST, chair.pk, "Dates?", asked_at),
    ]


# --- accepting dates outside the workplan -------------------------------------------


def test_accepting_dates_outside_the_workplan_needs_confirming(world):
    submission = world.submission
    Submission.objects.filter(pk=submission.pk).update(
        start_date=dt.date(2025, 1, 1), end_date=dt.date(2026, 6, 30)
    )
    chair = world.users["chair"]
    with pytest.raises(StateConflict) as refused:
        services.submission_accept(submission=fresh(submission), user=chair)
    assert refused.value.message_dict["confirm_outside_plan"] == [
        "The submission's dates (1 January 2025 to 30 June 2026) fall outside the "
        "2024/25 workplan (1 April 2024 to 31 March 2025). Confirm that it should "
        "go into this workplan."
    ]
    assert fresh(submission).status == Submission.Status.SUBMITTED
    client = api(chair)
    url = f"/api/v1/submissions/{submission.pk}/accept/"
    conflict = client.post(url, {}, format="json")
    assert conflict.status_code == 409
    assert conflict.json()["error"]["message"].endswith(
        'To accept it anyway, send "confirm_outside_plan": true.'
    )
    accepted = client.post(url, {"confirm_outside_plan": True}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"


# --- the API --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, read, write",
    [
        ("anonymous", 401, 401),
        ("partner", 200, 201),
        ("other_partner", 404, 404),
        ("chair", 200, 201),
        ("other_chair", 404, 404),
        ("oversight", 200, 403),
        ("officer", 200, 201),
    ],
)
def test_the_messages_api_per_role(world, role, read, write):
    services.submission_request_info(
        submission=world.submission, user=world.users["chair"], reason="When?"
    )
    client = api(world.users[role])
    url = messages_url(world.submission)
    listed = client.get(url)
    assert listed.status_code == read
    if read == 200:
        [first] = listed.json()
        assert (first["kind"], first["body"], first["author_name"]) == (
            "request",
            "When?",
            "Chris Chair",
        )
    made = client.post(url, {"body": "From April.", "kind": "request"}, format="json")
    assert made.status_code == write, made.content
    count = SubmissionMessage.objects.count()
    if write == 201:
        body = made.json()
        expected = "reply" if role == "partner" else "note"  # kind is not chosen
        assert (body["kind"], body["body"], body["author"]) == (
            expected,
            "From April.",
            world.users[role].pk,
        )
        assert count == 2
    else:
        assert count == 1


def test_the_api_refuses_an_empty_message_and_a_decided_submission(world):
    client = api(world.users["partner"])
    url = messages_url(world.submission)
    empty = client.post(url, {"body": ""}, format="json")
    assert empty.status_code == 400
    assert "body" in empty.json()["error"]["fields"]
    services.submission_reject(
        submission=world.submission, user=world.users["chair"], reason="No."
    )
    closed = client.post(url, {"body": "Why?"}, format="json")
    assert closed.status_code == 409
    assert "conversation is closed" in closed.json()["error"]["message"]


def test_a_patch_with_a_reply_resubmits_and_adds_it_to_the_thread(world):
    services.submission_request_info(
        submission=world.submission, user=world.users["chair"], reason="Costs?"
    )
    client = api(world.users["partner"])
    url = f"/api/v1/submissions/{world.submission.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(
        url, {"reply": "About £4,000."}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    assert "reply" not in response.json()
    thread = client.get(messages_url(world.submission)).json()
    assert [(m["kind"], m["body"]) for m in thread] == [
        ("request", "Costs?"),
        ("reply", "About £4,000."),
    ]


@pytest.mark.parametrize("size", [2, 20])
def test_the_messages_list_is_a_fixed_number_of_queries(
    world, django_assert_max_num_queries, size
):
    chair, partner = world.users["chair"], world.users["partner"]
    for n in range(size):
        services.submission_message_post(
            submission=world.submission, user=partner if n % 2 else chair, body=f"{n}"
        )
    client = api(chair)
    with django_assert_max_num_queries(8):
        response = client.get(messages_url(world.submission))
    assert len(response.json()) == size
