"""Managing the current workplan: reordering priorities and moving the workplan
through draft → consultation → signed off."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workstreams.factories import WorkplanPriorityFactory
from tests.workstreams.fixtures import build_world, date, summary_links
from workstreams import services
from workstreams.models import Workplan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    world = build_world(role_users)
    world.priorities.append(
        WorkplanPriorityFactory(workplan=world.workplan, title="Clean air", position=2)
    )
    return world


def url(world):
    return reverse("workplan-manage", args=[world.own.slug])


def order(world):
    return list(world.workplan.priorities.order_by("position").values_list("title"))


def titles(html):
    return re.findall(
        r'marmot-chair-priorities__number">\d+\.</span> ([^<]+)</p>', html
    )


def move(client, world, priority, direction):
    return client.post(
        url(world), {"form": "move", "priority": priority.pk, "direction": direction}
    )


def status(client, world, new_status, *, row_version=None, **extra):
    workplan = Workplan.objects.get(pk=world.workplan.pk)
    data = {
        "form": "status",
        "status": new_status,
        "row_version": row_version or workplan.row_version,
        **extra,
    }
    return client.post(url(world), {k: v for k, v in data.items() if v is not None})


def test_priorities_in_order_with_labelled_buttons(world, client_as):
    html = client_as(world.users["chair"]).get(url(world)).content.decode()
    assert titles(html) == ["Warm homes", "Fair tenancies", "Clean air"]
    assert 'Move up<span class="govuk-visually-hidden">: Fair tenancies</span>' in html
    assert (
        'Move down<span class="govuk-visually-hidden">: Fair tenancies</span>' in html
    )
    assert 'Move up<span class="govuk-visually-hidden">: Warm homes' not in html
    assert 'Move down<span class="govuk-visually-hidden">: Clean air' not in html
    assert "1 action</p>" in html  # Warm homes has the taskforce


def test_moving_a_priority_up_and_down(world, client_as):
    client = client_as(world.users["chair"])
    response = move(client, world, world.priorities[2], "up")
    assert response.status_code == 302 and response["Location"] == url(world)
    assert order(world) == [("Warm homes",), ("Clean air",), ("Fair tenancies",)]
    page = client.get(url(world)).content.decode()
    assert "Moved “Clean air” up to number 2." in page
    move(client, world, world.priorities[0], "down")
    assert order(world) == [("Clean air",), ("Warm homes",), ("Fair tenancies",)]


@pytest.mark.parametrize(
    "which, direction, message",
    [
        (0, "up", "“Warm homes” is already first."),
        (2, "down", "“Clean air” is already last."),
        (
            "other",
            "up",
            "That priority is no longer in this workplan: the list is up to date.",
        ),
    ],
)
def test_moves_that_cannot_happen_say_why(world, client_as, which, direction, message):
    priority = world.other_priority if which == "other" else world.priorities[which]
    response = move(client_as(world.users["chair"]), world, priority, direction)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert order(world) == [("Warm homes",), ("Fair tenancies",), ("Clean air",)]


def test_a_draft_goes_to_consultation(world, client_as):
    client = client_as(world.users["chair"])
    html = client.get(url(world)).content.decode()
    assert re.findall(r'name="status" type="radio" value="(\w+)"', html) == [
        "consultation"
    ]
    response = status(client, world, "consultation")
    assert response.status_code == 302
    assert Workplan.objects.get(pk=world.workplan.pk).status == "consultation"
    assert "Workplan 2024/25 is now in consultation with partners." in (
        client.get(url(world)).content.decode()
    )


def test_consultation_goes_back_to_draft_or_is_signed_off(world, client_as):
    Workplan.objects.filter(pk=world.workplan.pk).update(status="consultation")
    client = client_as(world.users["chair"])
    html = client.get(url(world)).content.decode()
    assert re.findall(r'name="status" type="radio" value="(\w+)"', html) == [
        "signed_off",
        "draft",
    ]
    status(client, world, "draft")
    assert Workplan.objects.get(pk=world.workplan.pk).status == "draft"


def test_signing_off_records_the_date_and_the_meeting(world, client_as):
    Workplan.objects.filter(pk=world.workplan.pk).update(status="consultation")
    client = client_as(world.users["chair"])
    response = status(
        client,
        world,
        "signed_off",
        signed_off_at="Health and Wellbeing Board",
        **date("signed_off_on", "12", "10", "2024"),
    )
    assert response.status_code == 302
    workplan = Workplan.objects.get(pk=world.workplan.pk)
    assert (workplan.status, workplan.signed_off_on, workplan.signed_off_at) == (
        "signed_off",
        dt.date(2024, 10, 12),
        "Health and Wellbeing Board",
    )
    assert (
        "Workplan 2024/25 is now signed off." in client.get(url(world)).content.decode()
    )


def test_signing_off_needs_a_date_and_a_meeting(world, client_as):
    Workplan.objects.filter(pk=world.workplan.pk).update(status="consultation")
    response = status(client_as(world.users["chair"]), world, "signed_off")
    assert summary_links(response) == [
        ("id_signed_off_on_day", "Enter the date the workplan was signed off"),
        ("id_signed_off_at", "Enter the meeting or board that signed it off"),
    ]
    html = response.content.decode()
    assert "<title>Error: Manage the workplan" in html
    assert 'id="id_signed_off_on_day"' in html and 'id="id_signed_off_at"' in html
    assert Workplan.objects.get(pk=world.workplan.pk).status == "consultation"


def test_a_sign_off_date_in_the_future_is_refused(world, client_as):
    Workplan.objects.filter(pk=world.workplan.pk).update(status="consultation")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = status(
        client_as(world.users["chair"]),
        world,
        "signed_off",
        signed_off_at="Board",
        **date("signed_off_on", tomorrow.day, tomorrow.month, tomorrow.year),
    )
    [(anchor, message)] = summary_links(response)
    assert anchor == "id_signed_off_on_day"
    assert message.startswith("A sign-off date cannot be in the future")
    assert Workplan.objects.get(pk=world.workplan.pk).status == "consultation"


@pytest.mark.parametrize(
    "start, to, message",
    [
        (
            "draft",
            "signed_off",
            "A workplan can move from draft to signed off only after consultation: "
            "move it to consultation first.",
        ),
        ("draft", "draft", "The workplan is already draft."),
        (
            "signed_off",
            "draft",
            "A workplan can move from signed off to draft only when an officer "
            "reopens it.",
        ),
    ],
)
def test_refused_moves_say_why(world, client_as, start, to, message):
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=start, signed_off_on=dt.date(2024, 5, 1) if start != "draft" else None
    )
    extra = date("signed_off_on", "1", "5", "2024") if to == "signed_off" else {}
    response = status(
        client_as(world.users["chair"]), world, to, signed_off_at="Board", **extra
    )
    assert summary_links(response) == [("id_status_0", message)]
    assert Workplan.objects.get(pk=world.workplan.pk).status == start


def test_only_an_officer_may_reopen_a_signed_off_workplan(world, client_as):
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status="signed_off", signed_off_on=dt.date(2024, 5, 1)
    )
    radios = r'name="status" type="radio" value="(\w+)"'
    chair_html = client_as(world.users["chair"]).get(url(world)).content.decode()
    assert re.findall(radios, chair_html) == ["closed"]
    client = client_as(world.users["officer"])
    assert re.findall(radios, client.get(url(world)).content.decode()) == [
        "closed",
        "draft",
    ]
    status(client, world, "draft")
    workplan = Workplan.objects.get(pk=world.workplan.pk)
    assert (workplan.status, workplan.signed_off_on) == ("draft", None)


def test_a_stale_status_change_overwrites_nothing(world, client_as):
    client = client_as(world.users["chair"])
    stale = Workplan.objects.get(pk=world.workplan.pk).row_version
    services.workplan_status_change(
        workplan=world.workplan, status="consultation", user=world.users["officer"]
    )
    response = status(client, world, "draft", row_version=stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert summary_links(response) == []
    assert (
        "Someone else changed this workplan since you opened it. It is shown below "
        "as it is now; make your change again."
    ) in html
    assert "In consultation with partners" in html
    workplan = Workplan.objects.get(pk=world.workplan.pk)
    assert workplan.status == "consultation"
    assert f'name="row_version" value="{workplan.row_version}"' in html


def test_without_an_open_workplan_the_page_explains(world, client_as):
    Workplan.objects.filter(workstream=world.own).update(
        status="closed", signed_off_on=dt.date(2024, 5, 1)
    )
    response = client_as(world.users["chair"]).get(url(world))
    assert response.status_code == 200
    assert "has no open workplan" in response.content.decode()


@pytest.mark.parametrize("priorities", [2, 10])
def test_a_fixed_number_of_queries(
    role_users, client_as, django_assert_max_num_queries, priorities
):
    world = build_world(role_users)
    for n in range(priorities - 2):
        WorkplanPriorityFactory(workplan=world.workplan, position=n + 2)
    client = client_as(world.users["chair"])
    with django_assert_max_num_queries(9) as queries:
        response = client.get(url(world))
    assert len(titles(response.content.decode())) == priorities
    print(f"workplan-manage with {priorities} priorities: {len(queries)} queries")
