"""Starting next year's workplan from this year's (issue 17): the service
`workplan_carry_forward` (what is copied, the links back, refusals, all or
nothing, a fixed number of queries) and its page (defaults, who may use it,
a year that exists already, the links shown on the actions' pages)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import make_role_users
from tests.shared_data import rolled_back_after
from tests.workstreams.factories import (
    ActionFactory,
    ProgressUpdateFactory,
    UserFactory,
    WorkplanPriorityFactory,
)
from tests.workstreams.fixtures import build_world, date, summary_links
from workstreams import services
from workstreams.models import Action, Workplan, WorkplanPriority
from workstreams.services import carry_forward

pytestmark = pytest.mark.django_db

APRIL, MARCH = dt.date(2025, 4, 1), dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """``build_world`` (own's 2024/25 draft: Warm homes, Fair tenancies; the
    taskforce, in progress under Warm homes, with an activity), plus a
    deputy, an on-hold action under Fair tenancies with links and a progress
    update, a planned one under none, and the finished: completed, cancelled,
    archived."""
    with rolled_back_after(django_db_blocker):
        world = build_world(make_role_users)
        world.deputy = UserFactory(username="deputy")
        world.own.deputies.add(world.deputy)
        world.users["deputy"] = world.deputy
        world.on_hold = ActionFactory(
            workplan=world.workplan,
            title="Tenancy advice",
            priority=world.priorities[1],
            status=Action.Status.ON_HOLD,
            rag=Action.Rag.AMBER,
            lead_user=world.users["partner"],
        )
        world.on_hold.recommendations.set([world.recommendation])
        world.on_hold.principles.set(world.principles)
        ProgressUpdateFactory(action=world.on_hold)
        world.planned = ActionFactory(
            workplan=world.workplan,
            title="Landlord register",
            status=Action.Status.PLANNED,
            rag="",
        )
        world.finished = [
            ActionFactory(
                workplan=world.workplan,
                title="Done",
                status=Action.Status.COMPLETED,
                completed_on=dt.date(2024, 12, 1),
            ),
            ActionFactory(
                workplan=world.workplan,
                title="Dropped",
                status=Action.Status.CANCELLED,
            ),
        ]
        archived = ActionFactory(workplan=world.workplan, title="Put away")
        services.action_archive(action=archived)
        world.finished.append(archived)
        world.unfinished = [world.action, world.on_hold, world.planned]
        yield world


@pytest.fixture
def world(world_once, db):
    return world_once


def carry(world, **overrides):
    values = {
        "workplan": world.workplan,
        "year_label": "2025/26",
        "starts_on": APRIL,
        "ends_on": MARCH,
        "action_ids": [a.pk for a in world.unfinished],
        "priority_ids": [world.priorities[0].pk],
        "user": world.users["chair"],
        **overrides,
    }
    return services.workplan_carry_forward(**values)


def old_record(world):
    """Everything of the old workplan a carry-forward must leave alone."""
    workplan = Workplan.objects.get(pk=world.workplan.pk)
    return (
        (workplan.status, workplan.row_version, workplan.year_label),
        list(
            Action.objects.filter(workplan=workplan)
            .order_by("pk")
            .values_list("title", "status", "priority_id", "row_version")
        ),
        list(workplan.priorities.order_by("pk").values_list("title", "position")),
    )


def test_what_is_carried_and_the_links_back(world):
    before = old_record(world)
    new = carry(world)
    assert (new.status, new.year_label, new.starts_on, new.ends_on) == (
        Workplan.Status.DRAFT,
        "2025/26",
        APRIL,
        MARCH,
    )
    [priority] = new.priorities.all()
    assert (priority.title, priority.position, priority.carried_from) == (
        "Warm homes",
        1,
        world.priorities[0],
    )
    copies = {a.carried_from_id: a for a in new.actions.all()}
    assert set(copies) == {a.pk for a in world.unfinished}
    taskforce = copies[world.action.pk]
    assert taskforce.priority == priority  # its priority came too
    advice = copies[world.on_hold.pk]
    assert advice.priority is None  # Fair tenancies stayed behind
    kept = ("title", "status", "rag", "lead_organisation_id", "lead_person")
    kept += ("lead_user_id", "start_date", "due_date", "source", "description")
    for old in world.unfinished:
        copy = copies[old.pk]
        assert [getattr(copy, f) for f in kept] == [getattr(old, f) for f in kept]
        assert copy.progress_updates.count() == 0
    assert list(taskforce.activities.all()) == [world.activities[0]]
    assert list(advice.recommendations.all()) == [world.recommendation]
    assert set(advice.principles.all()) == set(world.principles)
    # The history has each copy, with its links, and who carried it.
    record = advice.history.get()
    assert record.history_change_reason == "Carried forward from 2024/25"
    assert record.history_user == world.users["chair"]
    assert [r.recommendation_id for r in record.recommendations.all()] == [
        world.recommendation.pk
    ]
    assert priority.history.count() == 1
    assert old_record(world) == before
    assert set(world.action.carried_to.all()) == {taskforce}


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"year_label": "2024/25"},
            "year_label",
            "This workstream already has a workplan for that year.",
        ),
        ({"ends_on": APRIL}, "ends_on", "A workplan must end after it starts."),
        ("finished", "action_ids", "Only the unfinished actions of the 2024/25"),
        ("other_action", "action_ids", "Only the unfinished actions of the 2024/25"),
        ("other_priority", "priority_ids", "Only the 2024/25 workplan's own"),
    ],
)
def test_refusals_write_nothing(world, overrides, field, message):
    if overrides == "finished":
        overrides = {"action_ids": [a.pk for a in world.finished[:1]]}
    elif overrides == "other_action":
        overrides = {"action_ids": [world.other_action.pk]}
    elif overrides == "other_priority":
        overrides = {"priority_ids": [world.other_priority.pk]}
    counts = (Workplan.objects.count(), Action.objects.count())
    with pytest.raises(ValidationError) as raised:
        carry(world, **overrides)
    assert raised.value.message_dict[field][0].startswith(message)
    assert (Workplan.objects.count(), Action.objects.count()) == counts


def test_all_or_nothing(world, monkeypatch):
    def broken(carried):
        raise RuntimeError("the links could not be copied")

    monkeypatch.setattr(carry_forward, "_links_copy", broken)
    counts = (
        Workplan.objects.count(),
        Action.objects.count(),
        WorkplanPriority.objects.count(),
        Action.history.count(),
    )
    with pytest.raises(RuntimeError):
        carry(world)
    assert (
        Workplan.objects.count(),
        Action.objects.count(),
        WorkplanPriority.objects.count(),
        Action.history.count(),
    ) == counts


@pytest.mark.parametrize("extra", [0, 12])
def test_a_fixed_number_of_queries(
    world, client_as, django_assert_max_num_queries, extra
):
    for n in range(extra):
        action = ActionFactory(workplan=world.workplan, priority=world.priorities[1])
        action.activities.set([world.activities[n % 2]])
        action.principles.set(world.principles)
        WorkplanPriorityFactory(workplan=world.workplan, title=f"P{n}", position=9)
    client = client_as(world.users["chair"])
    with django_assert_max_num_queries(12) as queries:
        page = client.get(reverse("workplan-next-year", args=[world.workplan.pk]))
    assert page.content.decode().count('name="actions" type="checkbox"') == 3 + extra
    print(f"next-year page with {3 + extra} actions: {len(queries)} queries")
    ids = list(carry_forward.unfinished_actions(world.workplan).values_list("pk"))
    priorities = list(world.workplan.priorities.values_list("pk", flat=True))
    with django_assert_max_num_queries(38) as queries:
        new = carry(
            world,
            action_ids=[pk for (pk,) in ids],
            priority_ids=priorities,
        )
    assert new.actions.count() == 3 + extra
    print(f"carry forward of {3 + extra} actions: {len(queries)} queries")


@pytest.mark.parametrize(
    "label, expected",
    [
        ("2024/25", "2025/26"),
        ("2099/00", "2100/01"),
        ("2024", "2025"),
        ("Year one", ""),
    ],
)
def test_next_year_label(label, expected):
    assert carry_forward.next_year_label(label) == expected


# --- the page -------------------------------------------------------------------


def url(world):
    return reverse("workplan-next-year", args=[world.workplan.pk])


def form_data(world, **overrides):
    data = {
        "year_label": "2025/26",
        **date("starts_on", "1", "4", "2025"),
        **date("ends_on", "31", "3", "2026"),
        "actions": [world.action.pk, world.planned.pk],
        "priorities": [p.pk for p in world.priorities],
        **overrides,
    }
    return data


def test_the_page_offers_the_unfinished_all_ticked_a_year_on(world, client_as):
    html = client_as(world.users["chair"]).get(url(world)).content.decode()
    assert 'name="year_label" value="2025/26"' in html
    for name, value in (
        ("starts_on_day", 1),
        ("starts_on_month", 4),
        ("starts_on_year", 2025),
        ("ends_on_day", 31),
        ("ends_on_month", 3),
        ("ends_on_year", 2026),
    ):
        assert re.search(rf'name="{name}"[^>]* value="{value}"', html), name
    for action in world.unfinished:
        assert f'name="actions" type="checkbox" value="{action.pk}" checked' in html
    for action in world.finished:
        assert f'value="{action.pk}"' not in html
    for priority in world.priorities:
        assert f'name="priorities" type="checkbox" value="{priority.pk}" checked' in (
            html
        )
    assert "3 actions are completed, cancelled or archived" in html


@pytest.mark.parametrize(
    "role, expected",
    [
        ("chair", 302),
        ("deputy", 302),
        ("officer", 302),
        ("other_chair", 403),
        ("partner", 403),
        ("oversight", 403),
        ("anonymous", "login"),
    ],
)
def test_who_may_start_next_year(world, client_as, role, expected):
    client = client_as(world.users[role])
    response = client.post(url(world), form_data(world))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
    made = Workplan.objects.filter(workstream=world.own, year_label="2025/26")
    assert made.exists() == (expected == 302)


def test_starting_next_year_and_the_links_on_the_action_pages(world, client_as):
    client = client_as(world.users["chair"])
    response = client.post(url(world), form_data(world))
    assert response["Location"] == reverse("workplan-manage", args=[world.own.slug])
    new = Workplan.objects.get(workstream=world.own, year_label="2025/26")
    assert new.status == Workplan.Status.DRAFT
    assert sorted(new.actions.values_list("title", flat=True)) == [
        "Damp and mould taskforce",
        "Landlord register",
    ]
    message = (
        "The 2025/26 workplan is started as a draft, with 2 actions and 2 "
        "priorities carried forward from 2024/25."
    )
    assert message in client.get(response["Location"]).content.decode()
    copy = new.actions.get(title="Damp and mould taskforce")
    old_page = client.get(reverse("action-detail", args=[world.action.pk]))
    new_page = client.get(reverse("action-detail", args=[copy.pk]))
    link = 'Carried forward {} <a class="govuk-link" href="{}">{}</a>'
    assert (
        link.format("to", reverse("action-detail", args=[copy.pk]), "2025/26")
        in old_page.content.decode()
    )
    assert (
        link.format("from", reverse("action-detail", args=[world.action.pk]), "2024/25")
        in new_page.content.decode()
    )
    # The public may not read the draft: the old page does not point to it.
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=Workplan.Status.SIGNED_OFF, signed_off_on=dt.date(2024, 5, 1)
    )
    public = client_as(None).get(reverse("action-detail", args=[world.action.pk]))
    assert public.status_code == 200
    assert "Carried forward" not in public.content.decode()

    # Again: next year's workplan exists, so the page links to it instead.
    again = client_as(world.users["chair"]).get(url(world)).content.decode()
    assert "already has a workplan for 2025/26" in again
    assert "Go to the 2025/26 workplan</a>" in again
    assert 'name="year_label"' not in again
    response = client.post(url(world), form_data(world))
    assert response.status_code == 200
    assert Workplan.objects.filter(workstream=world.own).count() == 2


@pytest.mark.parametrize(
    "overrides, expected",
    [
        (
            {"year_label": "", "starts_on_day": ""},
            [
                (
                    "id_year_label",
                    "Enter the year of the new workplan, for example 2025/26",
                ),
                ("id_starts_on_day", "Enter a real date, for example 27 3 2026"),
            ],
        ),
        (
            {**date("ends_on", "1", "4", "2025")},
            [("id_ends_on_day", "The end date must be after the start date")],
        ),
        (
            {"actions": ["999999"]},
            [("id_actions_0", "Choose actions from the list")],
        ),
    ],
)
def test_form_errors_say_what_and_where(world, client_as, overrides, expected):
    response = client_as(world.users["chair"]).post(
        url(world), form_data(world, **overrides)
    )
    assert response.status_code == 200
    assert summary_links(response) == expected
    assert not Workplan.objects.filter(year_label="2025/26").exists()


def test_an_unknown_workplan_is_not_found(world, client_as):
    response = client_as(world.users["officer"]).get(
        reverse("workplan-next-year", args=[999999])
    )
    assert response.status_code == 404


def test_the_api_shows_the_link_read_only(world, client_as):
    new = carry(world)
    copy = new.actions.get(carried_from=world.action)
    client = client_as(world.users["officer"])
    url = f"/api/v1/actions/{copy.pk}/"
    assert client.get(url).json()["carried_from"] == world.action.pk
    response = client.patch(
        url,
        {"carried_from": world.planned.pk, "row_version": copy.row_version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    copy.refresh_from_db()
    assert copy.carried_from_id == world.action.pk
