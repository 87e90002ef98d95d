"""Officers' admin for output KPIs (ADR 32): through the same services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from indicators.models import IndicatorValue
from tests.workstreams.kpi_fixtures import TODAY, build_kpi_world
from workstreams.models import KpiEntry
from workstreams.services.kpis import kpi_entry_record

pytestmark = pytest.mark.django_db
Status = KpiEntry.Status


@pytest.fixture
def world(role_users, client):
    world = build_kpi_world(role_users)
    client.force_login(world.users["officer"])
    world.client = client
    return world


def entry_by(world, who, value=8):
    return kpi_entry_record(
        kpi=world.reported,
        user=world.users[who],
        period="2025/26 Q1",
        value=value,
        today=TODAY,
    )


def act(world, action, entries, **extra):
    return world.client.post(
        reverse("admin:workstreams_kpientry_changelist"),
        {
            "action": action,
            ACTION_CHECKBOX_NAME: [e.pk for e in entries],
            **extra,
        },
        follow=True,
    )


def test_the_lists_open(world):
    entry_by(world, "partner")
    for name in ("kpi", "kpientry"):
        response = world.client.get(reverse(f"admin:workstreams_{name}_changelist"))
        assert response.status_code == 200
    assert b"Homes retrofitted through the scheme" in response.content


def test_an_officer_approves_a_partners_value(world):
    entry = entry_by(world, "partner")
    response = act(world, "approve_selected", [entry])
    assert "1 value approved." in response.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.decided_by) == (Status.APPROVED, world.users["officer"])
    assert IndicatorValue.objects.filter(indicator=world.reported.indicator).exists()


def test_reopening_asks_for_a_reason_first(world):
    entry = entry_by(world, "chair")
    page = act(world, "reopen_selected", [entry])
    assert b'name="reason"' in page.content
    entry.refresh_from_db()
    assert entry.status == Status.APPROVED
    act(world, "reopen_selected", [entry], apply="1", reason="The trust revised it")
    entry.refresh_from_db()
    assert (entry.status, entry.reopen_reason) == (
        Status.REOPENED,
        "The trust revised it",
    )


def test_a_refusal_is_a_message_not_a_crash(world):
    entry = entry_by(world, "chair")  # approved: cannot be returned
    response = act(world, "return_selected", [entry], apply="1", reason="why")
    assert "not waiting for approval" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == Status.APPROVED


def test_a_kpis_links_are_saved_through_the_service(world):
    kpi = world.chairs_own
    url = reverse("admin:workstreams_kpi_change", args=[kpi.pk])
    assert world.client.get(url).status_code == 200
    response = world.client.post(
        url,
        {
            "output": world.output.pk,
            "activities": [world.activities[1].pk],
            "reporting_organisation": world.org.pk,
            "display_order": 5,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    kpi.refresh_from_db()
    assert (kpi.output, kpi.reporting_organisation, kpi.display_order) == (
        world.output,
        world.org,
        5,
    )
    assert list(kpi.activities.all()) == [world.activities[1]]
    assert kpi.indicator in world.output.indicators.all()
    assert kpi.row_version > 1
