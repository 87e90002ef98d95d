"""Adding, editing, retiring a KPI, setting targets and reopening an approved
value on the site (ADR 32): who may, what is saved (through the services),
what is refused and said where."""

import pytest
from django.urls import reverse

from indicators.models import Indicator, Target
from tests.workstreams.pages.kpi_fixtures import (
    build_kpi_page_world,
    record,
    target,
    text,
)
from workstreams.models import Kpi, KpiEntry

pytestmark = pytest.mark.django_db
EDITORS = {"chair", "officer"}


@pytest.fixture
def world(role_users, today_is):
    return build_kpi_page_world(role_users, today_is)


def kpi_data(world, **overrides):
    data = {
        "name": "Apprenticeships arranged via the brokerage scheme",
        "unit": "people",
        "value_type": "count",
        "update_frequency": "quarterly",
        "polarity": "high_is_good",
        "year_to_date": "",
        "values_expected_from_day": "1",
        "values_expected_from_month": "4",
        "values_expected_from_year": "2026",
        "definition": "",
        "source": "Connect 2 Luton",
        "output": str(world.output.pk),
        "activities": [str(world.activities[1].pk)],
        "reporting_organisation": str(world.org.pk),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def expected(role, editors=EDITORS):
    if role == "anonymous":
        return 302
    return 200 if role in editors else 403


ROLES = ["anonymous", "partner", "chair", "other_chair", "oversight", "officer"]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_the_forms(world, client_as, role):
    client = client_as(world.users[role])
    for name, arg in (
        ("kpi-add", world.own.slug),
        ("kpi-targets", world.own.slug),
        ("kpi-edit", world.reported.pk),
        ("kpi-retire", world.reported.pk),
    ):
        response = client.get(reverse(name, args=[arg]))
        assert response.status_code == expected(role), (name, role)


@pytest.mark.parametrize("role", ["partner", "other_chair", "oversight"])
def test_refused_posts_change_nothing(world, client_as, role):
    client = client_as(world.users[role])
    before = Kpi.objects.count(), Indicator.objects.count()
    assert (
        client.post(
            reverse("kpi-add", args=[world.own.slug]), kpi_data(world)
        ).status_code
        == 403
    )
    response = client.post(
        reverse("kpi-retire", args=[world.reported.pk]),
        {
            "retired_on_day": "1",
            "retired_on_month": "4",
            "retired_on_year": "2026",
            "reason": "x",
        },
    )
    assert response.status_code == 403
    assert (Kpi.objects.count(), Indicator.objects.count()) == before
    assert not Kpi.objects.get(pk=world.reported.pk).is_retired


def test_the_chair_adds_a_kpi(world, client_as):
    client = client_as(world.users["chair"])
    response = client.post(
        reverse("kpi-add", args=[world.own.slug]), kpi_data(world), follow=True
    )
    kpi = Kpi.objects.get(indicator__name__startswith="Apprenticeships")
    assert response.redirect_chain[-1][0] == reverse("kpi-detail", args=[kpi.pk])
    assert "KPI added: Apprenticeships arranged" in text(response)
    assert kpi.workstream == world.own
    assert kpi.output == world.output
    assert list(kpi.activities.all()) == [world.activities[1]]
    assert kpi.indicator.kind == Indicator.Kind.LOCAL_OUTPUT
    assert kpi.indicator.year_to_date == Indicator.YearToDate.SUM
    assert kpi.reporting_organisation == world.org


def test_a_missing_name_and_another_workstreams_output_are_refused(world, client_as):
    client = client_as(world.users["chair"])
    response = client.post(
        reverse("kpi-add", args=[world.own.slug]),
        kpi_data(world, name="", activities=[str(world.other_activity.pk)]),
    )
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Enter the KPI's name" in page
    assert "Select activities from the list" in page
    assert not Kpi.objects.filter(indicator__source="Connect 2 Luton").exists()


def test_edit_saves_and_a_stale_form_is_refused(world, client_as):
    client = client_as(world.users["chair"])
    edit = reverse("kpi-edit", args=[world.reported.pk])
    version = world.reported.row_version
    data = kpi_data(world, name="Homes retrofitted", row_version=str(version))
    response = client.post(edit, data, follow=True)
    assert "KPI saved: Homes retrofitted" in text(response)
    kpi = Kpi.objects.select_related("indicator").get(pk=world.reported.pk)
    assert kpi.indicator.name == "Homes retrofitted"
    assert kpi.row_version > version
    stale = client.post(
        edit, kpi_data(world, name="Stale name", row_version=str(version))
    )
    assert "Someone else changed this KPI" in text(stale)
    kpi.refresh_from_db()
    kpi.indicator.refresh_from_db()
    assert kpi.indicator.name == "Homes retrofitted"


def test_retire_and_reinstate(world, client_as):
    client = client_as(world.users["officer"])
    retire = reverse("kpi-retire", args=[world.chairs_own.pk])
    response = client.post(
        retire,
        {
            "retired_on_day": "3",
            "retired_on_month": "12",
            "retired_on_year": "2026",
            "reason": "",
        },
    )
    assert "Say why the KPI is retired" in text(response)
    client.post(
        retire,
        {
            "retired_on_day": "3",
            "retired_on_month": "12",
            "retired_on_year": "2026",
            "reason": "Merged",
        },
    )
    kpi = Kpi.objects.select_related("indicator").get(pk=world.chairs_own.pk)
    assert kpi.is_retired and kpi.retired_reason == "Merged"
    assert "Reinstate this KPI" in text(client.get(retire))
    client.post(retire, {"reinstate": "1"})
    kpi = Kpi.objects.select_related("indicator").get(pk=world.chairs_own.pk)
    assert not kpi.is_retired


def targets_url(world, year=None):
    url = reverse("kpi-targets", args=[world.own.slug])
    return f"{url}?year={year}" if year else url


def test_targets_for_the_current_year_by_default(world, client_as):
    target(world, world.reported, year="2026/27", value=80, tolerance=5)
    response = client_as(world.users["chair"]).get(targets_url(world))
    assert "Set targets for 2026/27" in text(response)
    html = response.content.decode()
    assert f'name="target_{world.reported.pk}"' in html and 'value="80"' in html
    assert f'name="q1_{world.reported.pk}"' in html


def test_the_chair_sets_annual_and_quarter_targets(world, client_as):
    client = client_as(world.users["chair"])
    r, c = world.reported.pk, world.chairs_own.pk
    data = {
        "year": "2026/27",
        f"target_{r}": "100",
        f"tolerance_{r}": "10",
        f"q1_{r}": "20",
        f"q2_{r}": "",
        f"q3_{r}": "30",
        f"q4_{r}": "",
        f"target_{c}": "",
        f"tolerance_{c}": "",
    }
    response = client.post(targets_url(world), data, follow=True)
    assert "Targets for 2026/27 saved." in text(response)
    assert sorted(
        Target.objects.filter(indicator=world.reported.indicator).values_list(
            "period__label", "value", "amber_tolerance"
        )
    ) == [("2026/27", 100, 10), ("2026/27 Q1", 20, 10), ("2026/27 Q3", 30, 10)]
    assert not Target.objects.filter(indicator=world.chairs_own.indicator).exists()


def test_a_wrong_target_saves_none(world, client_as):
    client = client_as(world.users["chair"])
    r, c = world.reported.pk, world.chairs_own.pk
    data = {
        "year": "2026/27",
        f"target_{r}": "100",
        f"tolerance_{r}": "10",
        f"target_{c}": "-5",
        f"tolerance_{c}": "lots",
    }
    response = client.post(targets_url(world), data)
    page = text(response)
    assert "Households given damp advice: enter a number" in page
    assert Target.objects.count() == 0
    data[f"tolerance_{c}"] = "0"
    page = text(client.post(targets_url(world), data))
    assert "Households given damp advice: A count cannot be negative" in page
    assert Target.objects.count() == 0


def test_a_year_not_offered_is_a_clear_400(world, client_as):
    response = client_as(world.users["chair"]).get(targets_url(world, "1999/00"))
    assert response.status_code == 400
    assert "“1999/00” is not a year you can set targets for" in text(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_officers_reopen(world, client_as, role):
    entry = record(world, "chair", world.reported, "2025/26 Q1", 12)
    client = client_as(world.users[role])
    url = reverse("kpi-entry-reopen", args=[entry.pk])
    assert client.get(url).status_code == expected(role, {"officer"})
    response = client.post(
        url, {"reason": "Wrong file", "row_version": entry.row_version}
    )
    entry.refresh_from_db()
    if role == "officer":
        assert response.status_code == 302
        assert (entry.status, entry.reopen_reason) == ("reopened", "Wrong file")
    else:
        assert response.status_code in (302, 403)
        assert entry.status == KpiEntry.Status.APPROVED


def test_reopen_needs_a_reason_and_an_approved_value(world, client_as):
    entry = record(world, "chair", world.reported, "2025/26 Q1", 12)
    client = client_as(world.users["officer"])
    url = reverse("kpi-entry-reopen", args=[entry.pk])
    assert "Say why the approved value is reopened" in text(
        client.post(url, {"reason": ""})
    )
    client.post(url, {"reason": "Wrong file"})
    response = client.post(url, {"reason": "Again"}, follow=True)
    assert "This value is reopened for correction, not approved." in text(response)
