"""The action page (`/actions/<pk>/`): its facts, its progress timeline, who may
see it and who gets the edit and update links."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.workstreams.factories import ProgressUpdateFactory
from tests.workstreams.fixtures import build_world
from workstreams.models import Workplan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    return build_world(role_users)


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_shows_the_action_and_what_it_serves(world, client_as):
    action = world.action
    action.principles.set(world.principles)
    action.recommendations.set([world.recommendation])
    action.activities.add(world.old_activity)
    response = client_as(world.users["chair"]).get(
        reverse("action-detail", args=[action.pk])
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "<title>Damp and mould taskforce –" in response.content.decode()
    for expected in (
        "Workstream Housing and communities",
        "Workplan 2024/25 Draft",
        "Priority Warm homes",
        "Lead organisation Testshire Housing Trust",
        "Lead contact Sam Patel",
        "Start date 1 April 2024",
        "Due date 31 March 2025",
        "Status In progress",
        "RAG rating Green – on track",
        "1. Principle 1",
        "6. Principle 6",
        "Retrofit council homes",
        "Old activity no longer in the model (logic model version",
        "recommendation 7: Improve the quality of private rented homes.",
        "Source Workplan",
    ):
        assert expected in text, expected


def test_progress_updates_are_a_timeline_newest_first(world, client_as):
    chair = world.users["chair"]
    chair.first_name, chair.last_name = "Alex", "Chair"
    chair.save()
    ProgressUpdateFactory(
        action=world.action,
        author=chair,
        reported_on=dt.date(2024, 6, 3),
        text="Taskforce met for the first time.",
        status="planned",
        rag="",
    )
    ProgressUpdateFactory(
        action=world.action,
        author=chair,
        reported_on=dt.date(2024, 9, 14),
        text="Forty homes inspected.",
        status="in_progress",
        rag="amber",
    )
    text = text_of(
        client_as(chair).get(reverse("action-detail", args=[world.action.pk]))
    )
    newer = text.index("14 September 2024")
    older = text.index("3 June 2024")
    assert newer < older
    assert (
        "14 September 2024 By Alex Chair Status: In progress "
        "RAG rating: Amber – at risk Forty homes inspected."
    ) in text
    assert "Status: Planned RAG rating: Rating unchanged" in text


def test_anonymous_visitors_see_published_actions_without_authors(
    role_users, client_as
):
    world = build_world(role_users, own_status=Workplan.Status.SIGNED_OFF)
    ProgressUpdateFactory(action=world.action, text="Going well.")
    response = client_as(None).get(reverse("action-detail", args=[world.action.pk]))
    assert response.status_code == 200
    text = text_of(response)
    assert "Going well." in text and " By " not in text
    assert "Edit this action" not in text and "Post a progress update" not in text


def test_no_updates_yet_says_so(world, client_as):
    response = client_as(world.users["officer"]).get(
        reverse("action-detail", args=[world.action.pk])
    )
    assert "No progress updates yet." in text_of(response)


@pytest.mark.parametrize(
    "role, status, edit, update",
    [
        ("chair", 200, True, True),
        ("officer", 200, True, True),
        ("oversight", 200, False, False),
        ("other_chair", 403, False, False),
        # The partner whose organisation leads it reads it and posts its
        # updates even in a draft plan ("Your organisation's actions").
        ("partner", 200, False, True),
        ("anonymous", 302, False, False),
    ],
)
def test_draft_action_access_and_links_by_role(
    world, client_as, role, status, edit, update
):
    response = client_as(world.users[role]).get(
        reverse("action-detail", args=[world.action.pk])
    )
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))
    text = response.content.decode()
    assert ("Edit this action" in text) is edit
    assert ("Post a progress update" in text) is update


@pytest.mark.parametrize(
    "role, edit, update",
    [
        ("partner", False, True),
        ("other_chair", False, False),
        ("anonymous", False, False),
    ],
)
def test_published_action_links_by_role(role_users, client_as, role, edit, update):
    world = build_world(role_users, own_status=Workplan.Status.SIGNED_OFF)
    response = client_as(world.users[role]).get(
        reverse("action-detail", args=[world.action.pk])
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert ("Edit this action" in text) is edit
    assert ("Post a progress update" in text) is update


def test_partner_sees_an_action_in_consultation(world, client_as):
    Workplan.objects.filter(pk=world.workplan.pk).update(status="consultation")
    response = client_as(world.users["partner"]).get(
        reverse("action-detail", args=[world.action.pk])
    )
    assert response.status_code == 200


def test_an_unknown_action_is_not_found(world, client_as):
    response = client_as(world.users["officer"]).get(
        reverse("action-detail", args=[999999])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("updates", [2, 20])
def test_a_fixed_number_of_queries(
    world, client_as, django_assert_max_num_queries, updates
):
    client = client_as(world.users["chair"])
    action = world.action
    action.principles.set(world.principles)
    action.activities.set([*world.activities, world.old_activity])
    action.recommendations.set([world.recommendation])
    for day in range(updates):
        ProgressUpdateFactory(action=action, reported_on=dt.date(2024, 6, day + 1))
    # 11 + milestones and evidence files (2) + the history (4) + the actions
    # it was carried forward to (1)
    with django_assert_max_num_queries(18) as queries:
        response = client.get(reverse("action-detail", args=[action.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("marmot-chair-timeline__item") == updates
    print(f"action-detail with {updates} updates: {len(queries)} queries")
