"""Who reaches which submissions page, GET and POST, as each of seven roles
(the partner of another organisation included): allowed, sent to sign in
(anonymous), refused with 403 (signed in), or 404 (unknown id or slug). A
refused POST saves nothing."""

import pytest
from django.urls import reverse

from tests.conftest import make_role_users
from tests.shared_data import rolled_back_after
from tests.workstreams.fixtures import (
    ROLES,
    build_submission_world,
    submission_form_data,
)
from workstreams.models import Submission

pytestmark = pytest.mark.django_db

L, F = "login", 403  # L: redirected to sign in

#            anonymous, partner, other_partner, chair, other_chair, oversight, officer
GET = {
    "submission-list": (L, 200, 200, 200, 200, 200, 200),
    "submission-create": (L, 200, 200, F, F, F, 200),
    "submission-detail": (L, 200, F, 200, F, 200, 200),
    "submission-sent": (L, 200, F, 200, F, 200, 200),
    "submission-edit": (L, 200, F, F, F, F, 200),
    "submission-queue": (L, F, F, 200, F, 200, 200),
}
POST = {
    "submission-create": (L, 302, 302, F, F, F, 302),
    "submission-detail": (L, F, F, 302, F, F, 302),  # a decision
    "submission-edit": (L, 302, F, F, F, F, 302),
}
CASES = [
    pytest.param(method, name, role, expected[i], id=f"{method}-{name}-{role}")
    for method, table in (("get", GET), ("post", POST))
    for name, expected in table.items()
    for i, role in enumerate(ROLES)
]


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """The world, built once for the module and rolled back after it; what a
    test writes is rolled back after that test."""
    with rolled_back_after(django_db_blocker):
        yield build_submission_world(make_role_users)


@pytest.fixture
def world(world_once, db):
    return world_once


def url_for(world, name):
    if name in ("submission-list", "submission-create"):
        return reverse(name)
    if name == "submission-queue":
        return reverse(name, args=[world.own.slug])
    return reverse(name, args=[world.submission.pk])


def body_for(world, name, role):
    if name == "submission-create":
        extra = {"organisation": world.org.pk} if role == "officer" else {}
        return submission_form_data(world, **extra)
    if name == "submission-detail":
        return {"decision": "reject", "reason": "Out of scope."}
    return submission_form_data(world, title="Edited title", row_version=1)


def snapshot():
    return sorted(
        Submission.objects.values_list("pk", "title", "status", "row_version")
    )


@pytest.mark.parametrize(("method", "name", "role", "expected"), CASES)
def test_each_page_as_each_role(world, client_as, method, name, role, expected):
    client = client_as(world.users[role])
    url = url_for(world, name)
    before = snapshot()
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, body_for(world, name, role))
    if expected == L:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:300]
    if expected != 302:
        assert snapshot() == before  # a refused POST saves nothing


def test_the_matrix_covers_seven_roles():
    assert len(CASES) == (len(GET) + len(POST)) * 7


@pytest.mark.parametrize(
    "name", ["submission-detail", "submission-sent", "submission-edit"]
)
@pytest.mark.parametrize("role", ["partner", "officer"])
def test_an_unknown_submission_is_404(world, client_as, name, role):
    client = client_as(world.users[role])
    assert client.get(reverse(name, args=[999999])).status_code == 404
    if name != "submission-sent":
        assert client.post(reverse(name, args=[999999]), {}).status_code == 404


def test_an_unknown_workstreams_queue_is_404(world, client_as):
    client = client_as(world.users["officer"])
    assert client.get(reverse("submission-queue", args=["nowhere"])).status_code == 404


def test_the_other_chair_cannot_reach_this_queue_or_decide(world, client_as):
    client = client_as(world.users["other_chair"])
    assert client.get(url_for(world, "submission-queue")).status_code == 403
    other_queue = reverse("submission-queue", args=[world.other.slug])
    assert client.get(other_queue).status_code == 200


def test_a_decided_submission_cannot_be_edited_by_its_partner(world, client_as):
    submission = Submission.objects.get(pk=world.submission.pk)  # not the shared one
    submission.status = "rejected"
    submission.decision_reason = "No."
    submission.save()
    client = client_as(world.users["partner"])
    assert client.get(url_for(world, "submission-edit")).status_code == 403
    response = client.post(
        url_for(world, "submission-edit"), submission_form_data(world)
    )
    assert response.status_code == 403
    assert Submission.objects.get(pk=world.submission.pk).title == (
        "Warm spaces in libraries"
    )


def test_a_signed_in_user_with_no_role_is_refused_the_list(client_as):
    from tests.workstreams.factories import UserFactory

    response = client_as(UserFactory()).get(reverse("submission-list"))
    assert response.status_code == 403


def test_the_navigation_offers_submissions_to_signed_in_users_only(world, client_as):
    assert 'href="/submissions/"' not in client_as(None).get("/").content.decode()
    html = client_as(world.users["partner"]).get("/").content.decode()
    assert 'href="/submissions/"' in html
    current = client_as(world.users["partner"]).get("/submit/").content.decode()
    assert 'href="/submissions/" aria-current="page"' in current
