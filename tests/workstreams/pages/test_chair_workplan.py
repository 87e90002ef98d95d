"""Managing the current workplan: its priorities listed with links to change
them, and moving the workplan through draft → consultation → signed off
(signing off a plan whose year has ended asks for confirmation)."""

import datetime as dt
import html as htmllib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workstreams.factories import WorkplanFactory, WorkplanPriorityFactory
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
    listed = html.split('aria-labelledby="priorities">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r"<li>([^<]+) <span", listed)


def status(client, world, new_status, *, row_version=None, **extra):
    workplan = Workplan.objects.get(pk=world.workplan.pk)
    data = {
        "form": "status",
        "status": new_status,
        "row_version": row_version or workplan.row_version,
        **extra,
    }
    return client.post(url(world), {k: v for k, v in data.items() if v is not None})


def test_priorities_in_order_with_links_to_change_them(world, client_as):
    html = client_as(world.users["chair"]).get(url(world)).content.decode()
    assert titles(html) == ["Warm homes", "Fair tenancies", "Clean air"]
    assert "(1 action)" in html  # Warm homes has the taskforce
    for name, args in (
        ("workplan-priorities", [world.own.slug]),
        ("workplan-assign", [world.own.slug]),
        ("workplan-next-year", [world.workplan.pk]),
    ):
        assert f'href="{reverse(name, args=args)}"' in html


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
        confirm_year_ended="on",
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
    response = status(
        client_as(world.users["chair"]), world, "signed_off", confirm_year_ended="on"
    )
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
        confirm_year_ended="on",
        **date("signed_off_on", tomorrow.day, tomorrow.month, tomorrow.year),
    )
    [(anchor, message)] = summary_links(response)
    assert anchor == "id_signed_off_on_day"
    assert message.startswith("A sign-off date cannot be in the future")
    assert Workplan.objects.get(pk=world.workplan.pk).status == "consultation"


CONFIRM = (
    "The 2024/25 workplan's year ended on 31 March 2025: tick the box to confirm "
    "you want to sign it off, or choose another status"
)


def test_signing_off_after_the_year_ended_asks_for_confirmation(world, client_as):
    Workplan.objects.filter(pk=world.workplan.pk).update(status="consultation")
    client = client_as(world.users["chair"])
    html = client.get(url(world)).content.decode()
    assert "year ended on 31 March 2025. To sign it off now, tick the box" in html
    assert (
        "Yes, sign off the 2024/25 workplan although its year ended on 31 March 2025"
    ) in html
    signing_off = {
        "signed_off_at": "Board",
        **date("signed_off_on", "1", "4", "2025"),
    }
    response = status(client, world, "signed_off", **signing_off)
    assert summary_links(response) == [("id_confirm_year_ended", CONFIRM)]
    assert Workplan.objects.get(pk=world.workplan.pk).status == "consultation"
    # Going back to draft needs no confirmation.
    assert status(client, world, "draft").status_code == 302


def test_signing_off_within_the_year_asks_nothing(world, client_as, today_is):
    today_is(dt.date(2025, 2, 1))
    Workplan.objects.filter(pk=world.workplan.pk).update(status="consultation")
    client = client_as(world.users["chair"])
    html = client.get(url(world)).content.decode()
    assert "confirm_year_ended" not in html and "govuk-warning-text" not in html
    response = status(
        client,
        world,
        "signed_off",
        signed_off_at="Board",
        **date("signed_off_on", "1", "2", "2025"),
    )
    assert response.status_code == 302
    assert Workplan.objects.get(pk=world.workplan.pk).status == "signed_off"


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


@pytest.mark.parametrize("confirmed", [False, True])
def test_the_admin_asks_the_same_confirmation(world, client_as, confirmed):
    Workplan.objects.filter(pk=world.workplan.pk).update(status="consultation")
    data = {
        "workstream": world.own.pk,
        "year_label": "2024/25",
        "starts_on": "2024-04-01",
        "ends_on": "2025-03-31",
        "status": "signed_off",
        "signed_off_on": "2025-04-02",
        "signed_off_at": "The Board",
        "priorities-TOTAL_FORMS": "0",
        "priorities-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }
    if confirmed:
        data["confirm_year_ended"] = "on"
    response = client_as(world.users["officer"]).post(
        reverse("admin:workstreams_workplan_change", args=[world.workplan.pk]), data
    )
    status = Workplan.objects.get(pk=world.workplan.pk).status
    if confirmed:
        assert response.status_code == 302 and status == "signed_off"
    else:
        assert CONFIRM in htmllib.unescape(response.content.decode())
        assert status == "consultation"


def test_once_next_year_is_started_the_earlier_plan_is_closed_here(world, client_as):
    """The new draft is current; the signed-off 2024/25 plan is still open,
    linked from the page, and closed at ?workplan=<id>."""
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=Workplan.Status.SIGNED_OFF, signed_off_on=dt.date(2024, 5, 1)
    )
    following = services.workplan_carry_forward(
        workplan=Workplan.objects.get(pk=world.workplan.pk),
        year_label="2025/26",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2026, 3, 31),
        action_ids=[world.action.pk],
        priority_ids=[],
    )
    client = client_as(world.users["chair"])
    html = client.get(url(world)).content.decode()
    assert '<dd class="govuk-summary-list__value">2025/26</dd>' in html
    earlier = f"{url(world)}?workplan={world.workplan.pk}"
    assert f'href="{earlier}">Manage the 2024/25 workplan</a> (signed off)' in html

    page = client.get(earlier).content.decode()
    assert "Manage the 2024/25 workplan</h1>" in page
    assert "This is an earlier workplan, still open." in page
    assert reverse("action-create", args=[world.own.slug]) not in page
    assert f'action="{earlier}"' in page
    response = client.post(
        earlier,
        {
            "form": "status",
            "status": Workplan.Status.CLOSED,
            "row_version": Workplan.objects.get(pk=world.workplan.pk).row_version,
        },
    )
    assert response.status_code == 302 and response["Location"] == url(world)
    assert Workplan.objects.get(pk=world.workplan.pk).status == "closed"
    assert Workplan.objects.get(pk=following.pk).status == Workplan.Status.DRAFT
    assert "Manage the 2024/25" not in client.get(url(world)).content.decode()


@pytest.mark.parametrize("chosen", ["abc", "", "999999", "other", "closed"])
def test_a_workplan_that_is_not_an_open_one_of_this_workstream_is_404(
    world, client_as, chosen
):
    if chosen == "other":
        chosen = str(world.other_workplan.pk)
    elif chosen == "closed":  # closed, beside an open 2025/26 plan
        WorkplanFactory(
            workstream=world.own,
            year_label="2025/26",
            starts_on=dt.date(2025, 4, 1),
            ends_on=dt.date(2026, 3, 31),
        )
        Workplan.objects.filter(pk=world.workplan.pk).update(
            status=Workplan.Status.CLOSED, signed_off_on=dt.date(2024, 5, 1)
        )
        chosen = str(world.workplan.pk)
    client = client_as(world.users["chair"])
    assert client.get(f"{url(world)}?workplan={chosen}").status_code == 404
    assert client.post(f"{url(world)}?workplan={chosen}", {}).status_code == 404
