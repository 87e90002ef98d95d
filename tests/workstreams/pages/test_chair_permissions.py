"""Who may open and post to each of the chairs' pages: every URL × every role ×
GET and POST; ids swapped to another workstream's objects; CSRF."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import make_role_users
from tests.shared_data import rolled_back_after
from tests.workstreams.fixtures import action_form_data, build_world
from workstreams.models import Action, ProgressUpdate, Workplan

pytestmark = pytest.mark.django_db

ALLOWED, LOGIN, FORBIDDEN = "allowed", "login", 403
EDITORS = {"chair": ALLOWED, "officer": ALLOWED}
NOBODY_ELSE = {
    "anonymous": LOGIN,
    "partner": FORBIDDEN,
    "other_chair": FORBIDDEN,
    "oversight": FORBIDDEN,
}
# The chair's workplan is a draft; the action is led by the partner's organisation.
EXPECTED = {
    "action-detail": {
        **EDITORS,
        **NOBODY_ELSE,
        "oversight": ALLOWED,
        "partner": ALLOWED,  # their organisation leads it (issue 17)
    },
    "action-create": {**EDITORS, **NOBODY_ELSE},
    "action-edit": {**EDITORS, **NOBODY_ELSE},
    "progress-update-create": {**EDITORS, **NOBODY_ELSE, "partner": ALLOWED},
    "workplan-manage": {**EDITORS, **NOBODY_ELSE},
}
CASES = [
    (name, role, expected)
    for name, by_role in EXPECTED.items()
    for role, expected in by_role.items()
]


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """The world, built once for the module and rolled back after it; what a
    test writes is rolled back after that test."""
    with rolled_back_after(django_db_blocker):
        yield build_world(make_role_users)


@pytest.fixture
def world(world_once, db):
    return world_once


def url_for(world, name, *, other=False):
    if name in ("action-create", "workplan-manage"):
        return reverse(name, args=[(world.other if other else world.own).slug])
    return reverse(name, args=[(world.other_action if other else world.action).pk])


def post_data(world, name):
    if name in ("action-create", "action-edit"):
        return action_form_data(
            world, title="Posted title", priority="", row_version="1"
        )
    if name == "progress-update-create":
        return {"status": "on_hold", "rag": "red", "text": "Posted note."}
    return {"form": "status", "status": "consultation", "row_version": "1"}


def snapshot():
    return (
        list(Action.objects.order_by("pk").values_list("title", "status", "rag")),
        ProgressUpdate.objects.count(),
        list(Workplan.objects.order_by("pk").values_list("status", "row_version")),
    )


def check(response, expected, *, posted=False):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    elif expected == FORBIDDEN:
        assert response.status_code == 403
    else:
        assert response.status_code == (302 if posted else 200)


@pytest.mark.parametrize("name, role, expected", CASES)
def test_get(world, client_as, name, role, expected):
    response = client_as(world.users[role]).get(url_for(world, name))
    check(response, expected)


@pytest.mark.parametrize(
    "name, role, expected", [c for c in CASES if c[0] != "action-detail"]
)
def test_post(world, client_as, name, role, expected):
    before = snapshot()
    response = client_as(world.users[role]).post(
        url_for(world, name), post_data(world, name)
    )
    check(response, expected, posted=True)
    if expected == ALLOWED:
        assert snapshot() != before
        assert not response["Location"].startswith(reverse("login"))
    else:
        assert snapshot() == before


def test_the_action_page_takes_no_posts(world, client_as):
    response = client_as(world.users["chair"]).post(url_for(world, "action-detail"))
    assert response.status_code == 405


@pytest.mark.parametrize(
    "name",
    ["action-create", "action-edit", "progress-update-create", "workplan-manage"],
)
def test_a_chair_swapping_in_another_workstreams_id_is_refused(world, client_as, name):
    client = client_as(world.users["chair"])
    url = url_for(world, name, other=True)
    before = snapshot()
    assert client.get(url).status_code == 403
    assert client.post(url, post_data(world, name)).status_code == 403
    assert snapshot() == before


def test_another_workstreams_published_action_is_readable_not_editable(
    world, client_as
):
    html = (
        client_as(world.users["chair"])
        .get(url_for(world, "action-detail", other=True))
        .content.decode()
    )
    assert "Skills bootcamp" in html
    assert "Edit this action" not in html and "Post a progress update" not in html


@pytest.mark.parametrize("name", list(EXPECTED))
def test_unknown_ids_are_not_found(world, client_as, name):
    client = client_as(world.users["officer"])
    if name in ("action-create", "workplan-manage"):
        url = reverse(name, args=["no-such-workstream"])
    else:
        url = reverse(name, args=[999999])
    assert client.get(url).status_code == 404


def test_posts_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["chair"])
    before = snapshot()
    for name in ("action-create", "action-edit", "progress-update-create"):
        response = client.post(url_for(world, name), post_data(world, name))
        assert response.status_code == 403
    assert snapshot() == before
