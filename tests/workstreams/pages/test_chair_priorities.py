"""A workplan's priorities on the site (issue 17): the order form (a position
per priority, all at once), adding, renaming and removing a priority, and
assigning actions to priorities on one page (all or nothing), with their
errors, conflicts and query counts. Who may open each page: the URL × role
matrix (tests/site/test_url_role_matrix.py); the deputy here."""

import datetime as dt
import html as htmllib
import re

import pytest
from django.urls import reverse

from tests.conftest import make_role_users
from tests.shared_data import rolled_back_after
from tests.workstreams.factories import (
    ActionFactory,
    UserFactory,
    WorkplanPriorityFactory,
)
from tests.workstreams.fixtures import build_world, summary_links
from workstreams import services
from workstreams.models import Action, Workplan, WorkplanPriority
from workstreams.services.workplans import (
    AssignmentConflict,
    AssignmentErrors,
    PriorityAssignment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """``build_world`` (own's draft 2024/25: Warm homes, with the taskforce,
    and Fair tenancies) plus Clean air, two actions under no priority, an
    archived one, and a deputy."""
    with rolled_back_after(django_db_blocker):
        world = build_world(make_role_users)
        world.priorities.append(
            WorkplanPriorityFactory(
                workplan=world.workplan, title="Clean air", position=2
            )
        )
        world.loose = [
            ActionFactory(workplan=world.workplan, title=title, due_date=due)
            for title, due in (
                ("Landlord register", dt.date(2025, 1, 31)),
                ("Warm spaces", dt.date(2025, 2, 28)),
            )
        ]
        world.archived = ActionFactory(workplan=world.workplan, title="Put away")
        services.action_archive(action=world.archived)
        world.deputy = UserFactory(username="deputy")
        world.own.deputies.add(world.deputy)
        yield world


@pytest.fixture
def world(world_once, db):
    return world_once


def list_url(world):
    return reverse("workplan-priorities", args=[world.own.slug])


def assign_url(world):
    return reverse("workplan-assign", args=[world.own.slug])


def order(world):
    return list(
        WorkplanPriority.objects.filter(workplan=world.workplan)
        .order_by("position")
        .values_list("title", flat=True)
    )


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


def version(world):
    return Workplan.objects.get(pk=world.workplan.pk).row_version


def positions(world, *numbers, row_version=None):
    data = {"row_version": row_version or version(world)}
    for priority, number in zip(world.priorities, numbers, strict=True):
        data[f"position_{priority.pk}"] = number
    return data


# --- the order ------------------------------------------------------------------


def test_the_list_in_order_with_positions_and_links(world, client_as):
    html = client_as(world.users["chair"]).get(list_url(world)).content.decode()
    titles = re.findall(r'marmot-priorities__title">([^<]+)</p>', html)
    assert titles == ["Warm homes", "Fair tenancies", "Clean air"]
    for number, priority in enumerate(world.priorities, start=1):
        box = rf'name="position_{priority.pk}" value="{number}"'
        assert re.search(box, html)
        assert reverse("workplan-priority-edit", args=[priority.pk]) in html
        assert reverse("workplan-priority-remove", args=[priority.pk]) in html
    assert 'Position<span class="govuk-visually-hidden"> of Clean air' in html
    assert "1 action ·" in html and 'aria-live="polite"' in html
    assert 'src="/static/js/priorities.js"' in html


def test_setting_the_whole_order_at_once(world, client_as):
    client = client_as(world.users["chair"])
    response = client.post(list_url(world), positions(world, 3, 1, 2))
    assert response.status_code == 302 and response["Location"] == list_url(world)
    assert order(world) == ["Fair tenancies", "Clean air", "Warm homes"]
    assert "The order of the priorities is saved." in (
        client.get(list_url(world)).content.decode()
    )


@pytest.mark.parametrize(
    "numbers, expected",
    [
        (
            (1, 1, 2),
            [
                (
                    0,
                    "“Warm homes”: “Warm homes” and “Fair tenancies” are both "
                    "number 1; give each priority a different number",
                ),
                (
                    1,
                    "“Fair tenancies”: “Warm homes” and “Fair tenancies” are both "
                    "number 1; give each priority a different number",
                ),
            ],
        ),
        ((1, 2, 4), [(2, "“Clean air”: enter a whole number from 1 to 3")]),
        ((1, "two", 3), [(1, "“Fair tenancies”: enter a whole number from 1 to 3")]),
        ((1, 2, ""), [(2, "“Clean air”: enter its position, from 1 to 3")]),
    ],
)
def test_an_order_that_is_not_one_to_n_says_which_row(
    world, client_as, numbers, expected
):
    response = client_as(world.users["chair"]).post(
        list_url(world), positions(world, *numbers)
    )
    assert response.status_code == 200
    assert summary_links(response) == [
        (f"id_position_{world.priorities[row].pk}", message)
        for row, message in expected
    ]
    assert order(world) == ["Warm homes", "Fair tenancies", "Clean air"]


def test_an_order_from_an_out_of_date_page_is_refused(world, client_as):
    stale = version(world)
    services.workplan_priority_create(workplan=world.workplan, title="New one")
    response = client_as(world.users["chair"]).post(
        list_url(world), positions(world, 3, 2, 1, row_version=stale)
    )
    html = text(response)
    assert "Someone else changed this workplan's priorities since you opened" in html
    assert order(world) == ["Warm homes", "Fair tenancies", "Clean air", "New one"]
    assert f'name="row_version" value="{version(world)}"' in html


# --- add, rename, remove ---------------------------------------------------------


def test_adding_a_priority_puts_it_last(world, client_as):
    client = client_as(world.deputy)
    url = reverse("workplan-priority-create", args=[world.own.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Safe streets", "description": "Lit."})
    assert response["Location"] == list_url(world)
    assert order(world)[-1] == "Safe streets"
    response = client.post(url, {"title": "Safe streets"})
    assert summary_links(response) == [
        ("id_title", "This workplan already has a priority with that title.")
    ]
    assert summary_links(client.post(url, {"title": ""})) == [
        ("id_title", "Enter the priority's title")
    ]


def test_renaming_a_priority(world, client_as):
    client = client_as(world.users["chair"])
    priority = world.priorities[1]
    url = reverse("workplan-priority-edit", args=[priority.pk])
    html = client.get(url).content.decode()
    assert 'value="Fair tenancies"' in html
    response = client.post(
        url,
        {"title": "Fair rents", "description": "Rents.", "row_version": version(world)},
    )
    assert response["Location"] == list_url(world)
    priority.refresh_from_db()
    assert (priority.title, priority.description) == ("Fair rents", "Rents.")
    # From a page opened before that change: refused, shown as it is now.
    response = client.post(
        url, {"title": "Fair deals", "row_version": version(world) - 1}
    )
    assert "Someone else changed this workplan's priorities" in text(response)
    assert 'value="Fair rents"' in response.content.decode()
    priority.refresh_from_db()
    assert priority.title == "Fair rents"


def test_removing_an_unused_priority(world, client_as):
    client = client_as(world.users["chair"])
    url = reverse("workplan-priority-remove", args=[world.priorities[2].pk])
    assert "No action is under this priority" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == list_url(world)
    assert order(world) == ["Warm homes", "Fair tenancies"]
    assert list(world.workplan.priorities.values_list("position", flat=True)) == [
        1,
        2,
    ]


def test_a_priority_with_actions_is_not_removed(world, client_as):
    client = client_as(world.users["chair"])
    url = reverse("workplan-priority-remove", args=[world.priorities[0].pk])
    html = client.get(url).content.decode()
    assert "1 action is under this priority, so it cannot be removed yet." in html
    assert "Move it to another priority, or to none, first." in html
    assert f'href="{assign_url(world)}"' in html
    assert "Remove priority</button>" not in html
    response = client.post(url, follow=True)
    assert (
        'The priority "Warm homes" is still used by 1 action, so it cannot be '
        "deleted. Move them" in text(response)
    )
    assert order(world) == ["Warm homes", "Fair tenancies", "Clean air"]


def test_a_closed_workplans_priorities_do_not_change(world, client_as):
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status="closed", signed_off_on=dt.date(2024, 5, 1)
    )
    client = client_as(world.users["chair"])
    url = reverse("workplan-priority-edit", args=[world.priorities[0].pk])
    response = client.post(url, {"title": "Changed"}, follow=True)
    assert "The 2024/25 workplan is closed" in response.content.decode()
    assert order(world)[0] == "Warm homes"


# --- assigning actions to priorities ------------------------------------------------


def assignment(world, choices, versions=None):
    data = {}
    for action, priority in choices.items():
        data[f"priority_{action.pk}"] = priority.pk if priority else ""
        current = Action.objects.get(pk=action.pk).row_version
        data[f"row_version_{action.pk}"] = (versions or {}).get(action, current)
    return data


def test_assigning_every_action_at_once(world, client_as):
    client = client_as(world.users["chair"])
    html = client.get(assign_url(world)).content.decode()
    assert f'name="priority_{world.archived.pk}"' not in html
    selected = re.findall(
        r'name="priority_(\d+)"[^>]*>(?:(?!</select>).)*?<option value="(\d*)" '
        r"selected>",
        html,
        flags=re.S,
    )
    assert dict(selected) == {
        str(world.action.pk): str(world.priorities[0].pk),
        str(world.loose[0].pk): "",
        str(world.loose[1].pk): "",
    }
    choices = {
        world.action: world.priorities[1],
        world.loose[0]: world.priorities[0],
        world.loose[1]: None,
    }
    before = Action.objects.get(pk=world.loose[1].pk).row_version
    response = client.post(assign_url(world), assignment(world, choices))
    assert response["Location"] == assign_url(world)
    for action, priority in choices.items():
        action.refresh_from_db()
        assert action.priority == priority
    assert world.loose[1].row_version == before  # unchanged: not saved
    assert world.loose[0].history.first().history_user == world.users["chair"]
    assert "Saved: 2 actions moved to another priority." in (
        client.get(assign_url(world)).content.decode()
    )


def test_an_action_changed_meanwhile_saves_nothing(world, client_as):
    client = client_as(world.users["chair"])
    stale = {world.loose[0]: Action.objects.get(pk=world.loose[0].pk).row_version}
    services.action_update(action=world.loose[0], title="Landlord register (new)")
    choices = {
        world.action: None,
        world.loose[0]: world.priorities[2],
        world.loose[1]: world.priorities[2],
    }
    response = client.post(assign_url(world), assignment(world, choices, stale))
    assert summary_links(response) == [
        (
            f"id_priority_{world.loose[0].pk}",
            "“Landlord register (new)” was changed by someone else since you "
            "opened this page: its priority is shown as it is now. Choose again "
            "if you need to, and save.",
        )
    ]
    saved = dict(
        Action.objects.filter(pk__in=[a.pk for a in choices]).values_list(
            "pk", "priority"
        )
    )
    assert [saved[a.pk] for a in choices] == [world.priorities[0].pk, None, None]


def test_a_priority_not_offered_is_an_error_on_its_row(world, client_as):
    data = assignment(world, {world.action: world.other_priority})
    response = client_as(world.users["chair"]).post(assign_url(world), data)
    assert summary_links(response) == [
        (
            f"id_priority_{world.action.pk}",
            "“Damp and mould taskforce”: choose one of this workplan's "
            "priorities, or none",
        )
    ]


@pytest.mark.parametrize(
    "which, message",
    [
        ("archived", "“Put away” is archived: its record is kept as it was."),
        ("other_action", "This action is not in the 2024/25 workplan."),
        ("other_priority", "“Damp and mould taskforce”: that priority is not one"),
        ("twice", "This action is given more than once."),
    ],
)
def test_the_service_refuses_and_writes_nothing(world, which, message):
    items = {
        "archived": [PriorityAssignment(world.archived.pk, None)],
        "other_action": [PriorityAssignment(world.other_action.pk, None)],
        "other_priority": [
            PriorityAssignment(world.action.pk, world.other_priority.pk)
        ],
        "twice": [PriorityAssignment(world.loose[0].pk, None)] * 2,
    }[which]
    with pytest.raises(AssignmentErrors) as raised:
        services.workplan_actions_prioritise(workplan=world.workplan, assignments=items)
    assert next(iter(raised.value.rows.values())).startswith(message)


def test_the_service_refuses_a_stale_move_but_not_a_stale_row_left_alone(world):
    action = world.loose[0]
    items = [PriorityAssignment(action.pk, None, expected_row_version=0)]
    assert (
        services.workplan_actions_prioritise(workplan=world.workplan, assignments=items)
        == 0
    )  # no move, so no conflict
    items = [PriorityAssignment(action.pk, world.priorities[0].pk, 0)]
    with pytest.raises(AssignmentConflict) as raised:
        services.workplan_actions_prioritise(workplan=world.workplan, assignments=items)
    assert raised.value.action_ids == [action.pk]


# --- query counts ------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 10])
def test_a_fixed_number_of_queries(
    world, client_as, django_assert_max_num_queries, extra
):
    for n in range(extra):
        WorkplanPriorityFactory(workplan=world.workplan, title=f"P{n}", position=9)
        ActionFactory(workplan=world.workplan, priority=world.priorities[1])
    client = client_as(world.users["chair"])
    for url in (list_url(world), assign_url(world)):
        with django_assert_max_num_queries(12) as queries:
            assert client.get(url).status_code == 200
        print(f"{url} with {extra} more: {len(queries)} queries")
    data = {
        f"priority_{a.pk}": world.priorities[2].pk
        for a in Action.objects.filter(workplan=world.workplan, archived_at=None)
    }
    with django_assert_max_num_queries(22) as queries:
        response = client.post(assign_url(world), data)
    assert response.status_code == 302
    print(f"assigning {len(data)} actions: {len(queries)} queries")
