"""A fixed number of SQL queries for the submissions pages, whatever the data
size (2 or 20 submissions and actions)."""

import pytest
from django.urls import reverse

from tests.workstreams.factories import ActionFactory, SubmissionFactory
from tests.workstreams.fixtures import build_submission_world
from workstreams import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    return build_submission_world(role_users)


def grow(world, n):
    """``n`` more submissions of every status, ``n`` open actions led by
    the partner's organisation, and ``n`` messages on the shown submission."""
    chair = world.users["chair"]
    for i in range(n):
        submission = SubmissionFactory(
            organisation=world.org, workstream=world.own, submitted_by=world.deputy
        )
        submission.principles.set(world.principles)
        if i % 3 == 1:
            services.submission_reject(submission=submission, user=chair, reason="No")
        elif i % 3 == 2:
            services.submission_request_info(
                submission=submission, user=chair, reason="?"
            )
        ActionFactory(workplan=world.workplan, lead_organisation=world.org)
        services.submission_message_post(
            submission=world.submission,
            user=world.users["partner" if i % 2 else "chair"],
            body=f"Message {i}",
        )


# role, page → the most queries it may take
LIMITS = {
    ("partner", "list"): 9,
    ("chair", "list"): 9,
    ("officer", "list"): 9,
    ("partner", "detail"): 9,
    ("chair", "detail"): 14,
    ("chair", "queue"): 8,
    ("oversight", "queue"): 8,
}


def url(world, page):
    return {
        "list": reverse("submission-list"),
        "detail": reverse("submission-detail", args=[world.submission.pk]),
        "queue": reverse("submission-queue", args=[world.own.slug]),
    }[page]


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize(("role", "page"), list(LIMITS))
def test_a_fixed_number_of_queries(
    world, client_as, django_assert_max_num_queries, size, role, page
):
    grow(world, size)
    world.submission.principles.set(world.principles)
    client = client_as(world.users[role])
    with django_assert_max_num_queries(LIMITS[role, page]):
        response = client.get(url(world, page))
    assert response.status_code == 200
