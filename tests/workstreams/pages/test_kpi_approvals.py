"""The approvals queue of a workstream's KPI values (ADR 32): partners'
values waiting, approved or returned with one click each; oversight reads."""

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from tests.workstreams.pages.kpi_fixtures import build_kpi_page_world, record, text
from workstreams.models import KpiEntry

pytestmark = pytest.mark.django_db
Status = KpiEntry.Status


@pytest.fixture
def world(role_users, today_is):
    world = build_kpi_page_world(role_users, today_is)
    world.entry = record(
        world, "partner", world.reported, "2026/27 Q2", 9, note="From our returns"
    )
    return world


def url(world):
    return reverse("kpi-approvals", args=[world.own.slug])


def decide(client, world, decision, reason="", version=None):
    entry = world.entry
    return client.post(
        url(world),
        {
            "entry": entry.pk,
            "decision": decision,
            "reason": reason,
            "row_version": entry.row_version if version is None else version,
        },
        follow=True,
    )


@pytest.mark.parametrize(
    "role, expected",
    [
        ("anonymous", 302),
        ("partner", 403),
        ("other_partner", 403),
        ("chair", 200),
        ("other_chair", 403),
        ("oversight", 200),
        ("officer", 200),
    ],
)
def test_who_may_read_the_queue(world, client_as, role, expected):
    response = client_as(world.users[role]).get(url(world))
    assert response.status_code == expected
    if expected == 200:
        page = text(response)
        assert "Homes retrofitted through the scheme, 2026/27 Q2: 9 homes" in page
        assert "From our returns" in page
        assert ("Approve" in page) == (role != "oversight")


@pytest.mark.parametrize("role", ["partner", "other_chair", "oversight"])
def test_only_chairs_and_officers_decide(world, client_as, role):
    response = client_as(world.users[role]).post(
        url(world), {"entry": world.entry.pk, "decision": "approve"}
    )
    assert response.status_code == 403
    world.entry.refresh_from_db()
    assert world.entry.status == Status.SUBMITTED


def test_approve_publishes_the_value(world, client_as):
    response = decide(client_as(world.users["chair"]), world, "approve")
    assert "2026/27 Q2: approved and published." in text(response)
    assert "Nothing is waiting for approval." in text(response)
    world.entry.refresh_from_db()
    assert world.entry.status == Status.APPROVED
    assert IndicatorValue.objects.get(indicator=world.reported.indicator).value == 9


def test_return_needs_a_reason_and_shows_it(world, client_as):
    client = client_as(world.users["chair"])
    response = decide(client, world, "return", reason=" ")
    assert "Say what the partner should correct." in text(response)
    world.entry.refresh_from_db()
    assert world.entry.status == Status.SUBMITTED
    response = decide(client, world, "return", reason="Nine looks low")
    page = text(response)
    assert "returned to the partner." in page
    assert "Returned lately (1)" in page and "Nine looks low" in page


def test_a_decision_on_an_out_of_date_page_is_refused(world, client_as):
    client = client_as(world.users["chair"])
    old = world.entry.row_version
    record(world, "partner", world.reported, "2026/27 Q2", 10)
    response = decide(client, world, "approve", version=old)
    assert "Someone else changed this value" in text(response)
    world.entry.refresh_from_db()
    assert world.entry.status == Status.SUBMITTED


def test_an_entry_of_another_workstream_is_404(world, client_as):
    response = client_as(world.users["other_chair"]).get(
        reverse("kpi-approvals", args=[world.other.slug])
    )
    assert response.status_code == 200
    response = client_as(world.users["other_chair"]).post(
        reverse("kpi-approvals", args=[world.other.slug]),
        {"entry": world.entry.pk, "decision": "approve"},
    )
    assert response.status_code == 404
    world.entry.refresh_from_db()
    assert world.entry.status == Status.SUBMITTED
