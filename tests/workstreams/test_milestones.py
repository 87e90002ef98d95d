"""Milestones on actions and % complete: the pure figure, the services (history,
the action's row version, the published record), the action page (done and
overdue in words, the forms), the progress page's column, and the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import make_role_users, rolled_back_after
from tests.workstreams.factories import ActionFactory, MilestoneFactory
from tests.workstreams.fixtures import build_world, date, summary_links
from workstreams.models import Action, Milestone, Workplan
from workstreams.percent_complete import (
    BY_HAND,
    MILESTONES,
    NOT_RECORDED,
    percent_complete,
)
from workstreams.services.milestones import (
    action_percent_complete_set,
    milestone_create,
    milestone_delete,
    milestone_mark_done,
    milestone_mark_undone,
    milestone_update,
)
from workstreams.services.workplan_status import PublishedRecordError

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with rolled_back_after(django_db_blocker):
        yield build_world(make_role_users)


@pytest.fixture
def world(world_once, db):
    return world_once


def action_now(world) -> Action:
    return Action.objects.get(pk=world.action.pk)


# The figure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "by_hand, done, total, value, source, words",
    [
        (None, 0, 0, None, NOT_RECORDED, "Not recorded"),
        (None, 0, 3, 0, MILESTONES, "0% (0 of 3 milestones done)"),
        (None, 1, 2, 50, MILESTONES, "50% (1 of 2 milestones done)"),
        (None, 1, 3, 33, MILESTONES, "33% (1 of 3 milestones done)"),
        (None, 2, 3, 67, MILESTONES, "67% (2 of 3 milestones done)"),
        (None, 1, 8, 13, MILESTONES, "13% (1 of 8 milestones done)"),  # half up
        (None, 1, 1, 100, MILESTONES, "100% (1 of 1 milestone done)"),
        (None, 199, 200, 99, MILESTONES, "99% (199 of 200 milestones done)"),
        (None, 1, 300, 1, MILESTONES, "1% (1 of 300 milestones done)"),
        (40, 1, 2, 40, BY_HAND, "40% (set by hand)"),  # by hand wins
        (0, 0, 0, 0, BY_HAND, "0% (set by hand)"),
        (100, 0, 5, 100, BY_HAND, "100% (set by hand)"),
    ],
)
def test_percent_complete(by_hand, done, total, value, source, words):
    shown = percent_complete(
        set_by_hand=by_hand, milestones_done=done, milestones_total=total
    )
    assert (shown.value, shown.source, shown.words) == (value, source, words)


# Services -----------------------------------------------------------------------


def test_milestones_are_added_in_order_changed_and_removed_with_history(world):
    action = world.action
    first = milestone_create(action=action, title="  Survey done ", due_on=TODAY)
    second = milestone_create(action=action, title="Report published")
    assert (first.title, first.position, second.position) == ("Survey done", 0, 1)
    versions = [action_now(world).row_version]

    milestone_mark_done(milestone=first, done_on=TODAY)
    versions.append(action_now(world).row_version)
    milestone_update(milestone=second, title="Report out", due_on=TODAY)
    versions.append(action_now(world).row_version)
    milestone_update(milestone=Milestone.objects.get(pk=second.pk), title="Report out")
    versions.append(action_now(world).row_version)  # nothing changed: no bump
    milestone_mark_undone(milestone=Milestone.objects.get(pk=first.pk))
    milestone_delete(milestone=Milestone.objects.get(pk=second.pk))
    versions.append(action_now(world).row_version)

    assert versions == [3, 4, 5, 5, 7]
    assert list(action.milestones.values_list("title", "done_on")) == [
        ("Survey done", None)
    ]
    history = Milestone.history.filter(id=second.pk).order_by("history_id")
    assert [h.history_type for h in history] == ["+", "~", "-"]


@pytest.mark.parametrize(
    "write, message",
    [
        (
            lambda a, m: milestone_create(action=a, title="Survey done"),
            "This action already has that milestone.",
        ),
        (
            lambda a, m: milestone_update(milestone=m, title="Report out"),
            "This action already has that milestone.",
        ),
        (lambda a, m: milestone_create(action=a, title="   "), "cannot be blank"),
        (
            lambda a, m: action_percent_complete_set(action=a, percent_complete=101),
            "Enter a percentage from 0 to 100.",
        ),
    ],
)
def test_bad_writes_are_refused_and_write_nothing(world, write, message):
    milestone = MilestoneFactory(action=world.action, title="Survey done")
    MilestoneFactory(action=world.action, title="Report out")
    version = action_now(world).row_version
    with pytest.raises(ValidationError) as raised:
        write(world.action, milestone)
    assert message in str(raised.value)
    assert action_now(world).row_version == version
    assert world.action.milestones.count() == 2


@pytest.mark.parametrize("why", ["archived", "closed"])
def test_an_archived_or_closed_action_takes_no_milestone_changes(world, why):
    action = ActionFactory(workplan=world.workplan)
    milestone = MilestoneFactory(action=action, title="Survey done")
    if why == "archived":
        Action.objects.filter(pk=action.pk).update(archived_at=timezone.now())
    else:
        Workplan.objects.filter(pk=world.workplan.pk).update(
            status=Workplan.Status.CLOSED, signed_off_on=TODAY
        )
    action = Action.objects.get(pk=action.pk)
    for write in (
        lambda: milestone_create(action=action, title="More"),
        lambda: milestone_mark_done(milestone=milestone, done_on=TODAY),
        lambda: milestone_delete(milestone=milestone),
        lambda: action_percent_complete_set(action=action, percent_complete=50),
    ):
        with pytest.raises(PublishedRecordError):
            write()
    assert list(action.milestones.values_list("title", "done_on")) == [
        ("Survey done", None)
    ]
    assert Action.objects.get(pk=action.pk).percent_complete is None


# The action page -------------------------------------------------------------


def detail(client, action) -> str:
    return client.get(reverse("action-detail", args=[action.pk])).content.decode()


def test_the_page_says_done_overdue_and_percent_in_words(world, client_as, today_is):
    today_is(TODAY)
    action = world.action
    MilestoneFactory(action=action, title="Survey done", done_on=dt.date(2026, 3, 3))
    MilestoneFactory(action=action, title="Report drafted", due_on=dt.date(2026, 3, 1))
    MilestoneFactory(action=action, title="Report out", due_on=dt.date(2026, 4, 30))
    MilestoneFactory(action=action, title="Launch")
    chair = client_as(world.users["chair"])

    page = detail(chair, action)
    assert "25% (1 of 4 milestones done)" in page
    for words in (
        "Done</strong> Done on 3 March 2026",
        "Overdue</strong> Overdue: was due 1 March 2026",
        "To do</strong> To do: due 30 April 2026",
        "To do</strong> To do: no due date",
        "Add a milestone",
        "Mark as done today",
    ):
        assert words in page, words
    read_only = detail(client_as(world.users["oversight"]), action)
    assert "25% (1 of 4 milestones done)" in read_only
    assert "Add a milestone" not in read_only
    assert "Mark as done" not in read_only

    action_percent_complete_set(action=action, percent_complete=60)
    assert "60% (set by hand)" in detail(client_as(world.users["chair"]), action)
    action_percent_complete_set(action=action, percent_complete=None)
    Milestone.objects.filter(action=action).delete()
    assert "Not recorded" in detail(chair, action)


@pytest.mark.parametrize("milestones", [2, 20])
def test_the_action_page_reads_milestones_in_one_query(
    world, client_as, django_assert_max_num_queries, milestones
):
    for n in range(milestones):
        MilestoneFactory(action=world.action, done_on=TODAY if n % 2 else None)
    client = client_as(world.users["chair"])
    with django_assert_max_num_queries(18):
        page = detail(client, world.action)
    assert page.count("marmot-milestones") == 1
    assert f"50% ({milestones // 2} of {milestones} milestones done)" in page


def test_a_chair_adds_edits_marks_and_removes_a_milestone(world, client_as):
    client = client_as(world.users["chair"])
    action = world.action
    back = reverse("action-detail", args=[action.pk]) + "#milestones"

    response = client.post(
        reverse("milestone-create", args=[action.pk]),
        {"title": "Survey done", **date("due_on", "30", "9", "2026")},
    )
    assert response["Location"] == back
    milestone = Milestone.objects.get(action=action)
    assert milestone.due_on == dt.date(2026, 9, 30)

    edit = reverse("milestone-edit", args=[milestone.pk])
    assert 'value="Survey done"' in client.get(edit).content.decode()
    client.post(edit, {"title": "Survey finished", **date("done_on", "1", "3", "2026")})
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on, milestone.done_on) == (
        "Survey finished",
        None,
        dt.date(2026, 3, 1),
    )
    done = reverse("milestone-done", args=[milestone.pk])
    client.post(done, {"done": "no"})
    assert Milestone.objects.get(pk=milestone.pk).done_on is None
    client.post(done, {"done": "yes"})
    assert Milestone.objects.get(pk=milestone.pk).done_on == timezone.localdate()

    percent = reverse("action-percent-complete", args=[action.pk])
    assert client.post(percent, {"percent_complete": "35"})["Location"] == back
    assert action_now(world).percent_complete == 35
    client.post(percent, {"percent_complete": ""})
    assert action_now(world).percent_complete is None

    remove = reverse("milestone-delete", args=[milestone.pk])
    assert "Remove the milestone" in client.get(remove).content.decode()
    assert client.post(remove)["Location"] == back
    assert not Milestone.objects.filter(action=action).exists()


@pytest.mark.parametrize(
    "name, data, anchor, message",
    [
        ("milestone-create", {"title": ""}, "id_title", "Enter the milestone"),
        ("milestone-create", {"title": "  "}, "id_title", "Enter the milestone"),
        (
            "milestone-create",
            {"title": "Taken"},
            "id_title",
            "This action already has that milestone.",
        ),
        (
            "milestone-create",
            {"title": "x", **date("due_on", "31", "2", "2026")},
            "id_due_on_day",
            "Enter a real date, for example 27 3 2026",
        ),
        (
            "action-percent-complete",
            {"percent_complete": "150"},
            "id_percent_complete",
            "The percentage must be 100 or less",
        ),
        (
            "action-percent-complete",
            {"percent_complete": "half"},
            "id_percent_complete",
            "Enter the percentage as a whole number, like 40",
        ),
    ],
)
def test_form_errors_say_what_and_where(world, client_as, name, data, anchor, message):
    MilestoneFactory(action=world.action, title="Taken")
    response = client_as(world.users["chair"]).post(
        reverse(name, args=[world.action.pk]), data
    )
    assert response.status_code == 200
    assert summary_links(response) == [(anchor, message)]
    assert world.action.milestones.count() == 1
    assert action_now(world).percent_complete is None


def test_a_closed_action_sends_the_chair_back_saying_why(world, client_as):
    Action.objects.filter(pk=world.action.pk).update(archived_at=timezone.now())
    client = client_as(world.users["chair"])
    response = client.post(
        reverse("milestone-create", args=[world.action.pk]), {"title": "Late"}
    )
    assert response["Location"].endswith("#milestones")
    assert "is archived" in client.get(response["Location"]).content.decode()
    assert not Milestone.objects.exists()


# The progress page and the API ------------------------------------------------


def test_the_progress_page_lists_percent_complete(world, client_as):
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=Workplan.Status.SIGNED_OFF, signed_off_on=TODAY
    )
    MilestoneFactory(action=world.action, done_on=TODAY)
    MilestoneFactory(action=world.action)
    by_hand = ActionFactory(workplan=world.workplan, percent_complete=80)
    page = client_as(None).get(reverse("workstream-detail", args=["housing"]))
    html = page.content.decode()
    assert "% complete</th>" in html
    assert '<td class="govuk-table__cell">50%</td>' in html
    assert '<td class="govuk-table__cell">80% (set by hand)</td>' in html
    assert by_hand.title in html


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_api_nests_milestones_and_percent_and_writes_through_services(world):
    MilestoneFactory(action=world.action, title="Survey done", done_on=TODAY)
    chair, other = api(world.users["chair"]), api(world.users["other_chair"])
    body = chair.get(f"/api/v1/actions/{world.action.pk}/").json()
    assert [m["title"] for m in body["milestones"]] == ["Survey done"]
    assert body["percent_complete"] == {
        "value": 100,
        "source": "milestones",
        "words": "100% (1 of 1 milestone done)",
    }
    assert body["percent_complete_by_hand"] is None

    created = chair.post(
        "/api/v1/milestones/",
        {"action": world.action.pk, "title": "Report out", "due_on": "2026-09-30"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    etag = chair.get(f"/api/v1/milestones/{pk}/").headers["ETag"]
    assert chair.patch(
        f"/api/v1/milestones/{pk}/",
        {"done_on": "2026-03-01"},
        format="json",
        HTTP_IF_MATCH=etag,
    ).json()["done"]
    assert (
        other.post(
            "/api/v1/milestones/",
            {"action": world.action.pk, "title": "Not mine"},
            format="json",
        ).status_code
        == 403
    )
    assert other.delete(f"/api/v1/milestones/{pk}/").status_code == 404  # draft
    everything = api(world.users["officer"]).get("/api/v1/milestones/").json()
    assert [m["title"] for m in everything["results"]] == ["Survey done", "Report out"]
    assert chair.delete(f"/api/v1/milestones/{pk}/").status_code == 204
    assert (
        api(None).get(f"/api/v1/milestones/?action={world.action.pk}").json()["count"]
        == 0
    )  # a draft workplan's action: not public
    assert list(world.action.milestones.values_list("title", flat=True)) == [
        "Survey done"
    ]
