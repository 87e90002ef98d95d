"""priorities/ and POST /workplans/{id}/reorder-priorities/: a workplan's
priorities, written by its workstream's chairs and officers, read as the
workplan is. (Per-role statuses for the resource are in the permission matrix.)"""

import pytest

from tests.workstreams.api.conftest import ROLES
from tests.workstreams.factories import (
    ActionFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
)
from workstreams.models import Workplan, WorkplanPriority

pytestmark = pytest.mark.django_db

URL = "/api/v1/priorities/"


def _titles(workplan):
    return list(
        workplan.priorities.order_by("position").values_list("title", "position")
    )


def _errors(response):
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


def test_chair_adds_a_priority_last_and_the_workplan_etag_moves(world, client_for):
    workplan = world["workplan"]
    WorkplanPriority.objects.filter(pk=world["priority"].pk).update(position=1)
    response = client_for("chair").post(
        URL,
        {"workplan": workplan.pk, "title": "Fair pay", "description": "Living wage."},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {
        "id": body["id"],
        "workplan": workplan.pk,
        "workstream": "own",
        "title": "Fair pay",
        "description": "Living wage.",
        "position": 2,
        "action_count": 0,
    }
    assert Workplan.objects.get(pk=workplan.pk).row_version == 2
    assert _titles(workplan) == [("Good work", 1), ("Fair pay", 2)]


def test_update_changes_title_and_description_only(world, client_for):
    priority = world["priority"]
    response = client_for("officer").patch(
        f"{URL}{priority.pk}/",
        {"title": "Good work for all", "position": 9},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Good work for all"
    assert response.json()["action_count"] == 1
    position = priority.position
    priority.refresh_from_db()
    assert (priority.title, priority.position) == ("Good work for all", position)


@pytest.mark.parametrize(
    ("method", "body", "field", "message"),
    [
        ("post", {"title": "Good work"}, "title", "already has a priority"),
        ("post", {"title": ""}, "title", "may not be blank"),
        ("post", {"workplan": 99999, "title": "X"}, "workplan", "does not exist"),
        ("post", {"workplan": None, "title": "X"}, "workplan", "may not be null"),
        ("patch", {"title": "x" * 201}, "title", "no more than 200"),
        ("patch", {"workplan": "draft_workplan"}, "workplan", "cannot move"),
    ],
)
def test_validation_errors_are_field_messages(
    world, client_for, method, body, field, message
):
    client = client_for("officer")
    if body.get("workplan") == "draft_workplan":
        body = {"workplan": world["draft_workplan"].pk}
    if method == "post":
        body = {"workplan": world["workplan"].pk, **body}
        response = client.post(URL, body, format="json")
    else:
        response = client.patch(f"{URL}{world['priority'].pk}/", body, format="json")
    fields = _errors(response)
    assert list(fields) == [field]
    assert message in fields[field][0]
    assert WorkplanPriority.objects.filter(title="Good work").count() == 1


def test_a_title_another_workplan_uses_is_fine(world, client_for):
    response = client_for("chair").patch(
        f"{URL}{world['priority'].pk}/", {"title": "Drafted"}, format="json"
    )
    assert response.status_code == 200, response.content


def test_delete_is_refused_while_actions_use_the_priority(world, client_for):
    priority = world["priority"]
    response = client_for("chair").delete(f"{URL}{priority.pk}/")
    message = _errors(response)["non_field_errors"][0]
    assert message.startswith(
        'The priority "Good work" is still used by 1 action, so it cannot be deleted.'
    )
    assert world["action"].title in message
    assert WorkplanPriority.objects.filter(pk=priority.pk).exists()


def test_delete_closes_the_gap(world, client_for):
    workplan = world["workplan"]
    WorkplanPriority.objects.filter(pk=world["priority"].pk).update(position=1)
    spare = WorkplanPriorityFactory(workplan=workplan, title="Spare", position=2)
    WorkplanPriorityFactory(workplan=workplan, title="Last", position=3)
    response = client_for("chair").delete(f"{URL}{spare.pk}/")
    assert response.status_code == 204
    assert _titles(workplan) == [("Good work", 1), ("Last", 2)]


def test_list_filters_by_workplan_and_workstream(world, client_for):
    elsewhere = WorkplanFactory(
        workstream=world["other"], status="signed_off", signed_off_on="2024-03-01"
    )
    theirs = WorkplanPriorityFactory(workplan=elsewhere)
    client = client_for("officer")

    def ids(query):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    own = {world["priority"].pk, world["draft_priority"].pk}
    assert ids("workstream=own") == own
    assert ids("workstream=other") == {theirs.pk}
    assert ids(f"workplan={world['workplan'].pk}") == {world["priority"].pk}
    assert _errors(client.get(f"{URL}?workplan=99999"))["workplan"]


# --- reorder ------------------------------------------------------------------


@pytest.fixture
def three(world):
    workplan = world["workplan"]
    WorkplanPriority.objects.filter(pk=world["priority"].pk).update(position=1)
    second = WorkplanPriorityFactory(workplan=workplan, title="Housing", position=2)
    third = WorkplanPriorityFactory(workplan=workplan, title="Money", position=3)
    return [world["priority"], second, third]


def _reorder(client, workplan, ids):
    return client.post(
        f"/api/v1/workplans/{workplan.pk}/reorder-priorities/",
        {"priority_ids": ids},
        format="json",
    )


def test_reorder_numbers_the_priorities_one_to_n(world, client_for, three):
    workplan = world["workplan"]
    first, second, third = three
    response = _reorder(client_for("chair"), workplan, [third.pk, first.pk, second.pk])
    assert response.status_code == 200, response.content
    assert [p["title"] for p in response.json()["priorities"]] == [
        "Money",
        "Good work",
        "Housing",
    ]
    assert response["ETag"].startswith('"2-')
    assert _titles(workplan) == [("Money", 1), ("Good work", 2), ("Housing", 3)]


@pytest.mark.parametrize(
    ("ids", "problems"),
    [
        (lambda a, b, c, x: [a, b], ["missing {c}"]),
        (
            lambda a, b, c, x: [a, b, c, x],
            ["not priorities of this workplan: {x}"],
        ),
        (lambda a, b, c, x: [a, b, c, a], ["given more than once: {a}"]),
        (
            lambda a, b, c, x: [x, a, a],
            [
                "missing {b}, {c}",
                "not priorities of this workplan: {x}",
                "given more than once: {a}",
            ],
        ),
        (lambda a, b, c, x: [], ["missing {a}, {b}, {c}"]),
    ],
)
def test_reorder_needs_each_priority_exactly_once(
    world, client_for, three, ids, problems
):
    workplan = world["workplan"]
    a, b, c = (p.pk for p in three)
    x = world["draft_priority"].pk
    response = _reorder(client_for("officer"), workplan, ids(a, b, c, x))
    [message] = _errors(response)["priority_ids"]
    assert message.startswith(
        f"Send each of this workplan's priority ids exactly once ({a}, {b}, {c}):"
    )
    for problem in problems:
        assert problem.format(a=a, b=b, c=c, x=x) in message
    assert _titles(workplan) == [("Good work", 1), ("Housing", 2), ("Money", 3)]
    assert Workplan.objects.get(pk=workplan.pk).row_version == 1


@pytest.mark.parametrize("body", [{}, {"priority_ids": "1,2"}, {"priority_ids": ["a"]}])
def test_reorder_body_errors(world, client_for, body):
    response = client_for("chair").post(
        f"/api/v1/workplans/{world['workplan'].pk}/reorder-priorities/",
        body,
        format="json",
    )
    # An item's error is keyed by its path (priority_ids[0]).
    assert [key.split("[")[0] for key in _errors(response)] == ["priority_ids"]


#              anonymous, partner, chair, other_chair, oversight, officer
REORDER = (401, 403, 200, 403, 403, 200)
REORDER_DRAFT = (401, 404, 200, 404, 403, 200)  # hidden: 404 (issue 14)


@pytest.mark.parametrize("draft", [False, True], ids=["published", "draft"])
@pytest.mark.parametrize("role", ROLES)
def test_reorder_permissions(world, client_for, role, draft):
    workplan = world["draft_workplan" if draft else "workplan"]
    ids = list(workplan.priorities.values_list("pk", flat=True))
    response = _reorder(client_for(role), workplan, ids)
    expected = (REORDER_DRAFT if draft else REORDER)[ROLES.index(role)]
    assert response.status_code == expected, response.content


def test_an_action_can_use_a_new_priority(world, client_for):
    client = client_for("chair")
    created = client.post(
        URL, {"workplan": world["workplan"].pk, "title": "Fair pay"}, format="json"
    )
    action = ActionFactory(workplan=world["workplan"])
    response = client.patch(
        f"/api/v1/actions/{action.pk}/",
        {"priority": created.json()["id"]},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.content
    listed = client.get(f"{URL}{created.json()['id']}/").json()
    assert listed["action_count"] == 1
