"""One output KPI's page (ADR 32): public; what it measures and counts,
every period with value, status, note and evidence; targets; its history in
words, naming people only to signed-in readers; "Reopen" for officers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.workstreams.pages.kpi_fixtures import (
    build_kpi_page_world,
    record,
    target,
    text,
)
from workstreams.services.kpis import (
    kpi_entry_reopen,
    kpi_entry_return,
    kpi_retire,
    kpi_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users, today_is):
    world = build_kpi_page_world(role_users, today_is)
    world.users["chair"].first_name, world.users["chair"].last_name = "Cara", "Chair"
    world.users["chair"].save()
    return world


def url(kpi):
    return reverse("kpi-detail", args=[kpi.pk])


def test_what_it_measures_and_counts(world, client):
    page = text(client.get(url(world.reported)))
    assert "Homes retrofitted through the scheme" in page
    assert "Output it counts Homes retrofitted" in page
    assert "Activities it counts Retrofit council homes" in page
    assert "Reported by Testshire Housing Trust" in page
    assert "Data source Testshire Housing Trust records" in page
    assert "Count of homes, quarterly" in page


def test_every_period_with_value_status_note_evidence_and_target(world, client):
    record(
        world,
        "chair",
        world.reported,
        "2025/26 Q1",
        12,
        note="From the trust's returns",
        evidence_url="https://example.org/q1",
    )
    target(world, world.reported, year="2025/26", value=40, tolerance=10)
    response = client.get(url(world.reported))
    page = text(response)
    assert "2025/26 Q1 12 homes 10 homes On target Approved" in page
    assert "From the trust's returns" in page
    assert 'href="https://example.org/q1"' in response.content.decode()
    assert "2025/26 Q2 – 10 homes – Overdue" in page
    assert "2025/26: 40 homes (tolerance 10%)" in page
    assert page.index("2026/27") < page.index("2025/26 Q1")


def test_waiting_and_returned_values_are_not_public(world, client_as):
    entry = record(world, "partner", world.reported, "2025/26 Q2", 700)
    kpi_entry_return(entry=entry, user=world.users["chair"], reason="Typo?")
    public = text(client_as(None).get(url(world.reported)))
    assert "Typo?" not in public and "700" not in public
    chair = text(client_as(world.users["chair"]).get(url(world.reported)))
    assert "Returned to the partner: Typo?" in chair


def test_history_in_words_names_people_only_when_signed_in(world, client_as):
    entry = record(world, "chair", world.reported, "2025/26 Q1", 12)
    kpi_update(kpi=world.reported, user=world.users["chair"], unit="dwellings")
    kpi_entry_reopen(entry=entry, user=world.users["officer"], reason="Wrong file")
    public = text(client_as(None).get(url(world.reported)))
    assert "2025/26 Q1: 12 recorded and approved." in public
    assert "2025/26 Q1: reopened for correction: Wrong file" in public
    assert "KPI added." in public
    assert "Cara" not in public and "a programme user" in public
    signed_in = text(client_as(world.users["partner"]).get(url(world.reported)))
    assert "Cara Chair" in signed_in


def test_retired_kpi_says_so(world, client):
    kpi_retire(
        kpi=world.chairs_own,
        user=world.users["chair"],
        retired_on=world.today,
        reason="Merged",
    )
    page = text(client.get(url(world.chairs_own)))
    assert "Retired from 3 December 2026: Merged." in page
    assert "Retired: Merged" in page


@pytest.mark.parametrize(
    "role, reopen, manage",
    [
        ("anonymous", False, False),
        ("partner", False, False),
        ("chair", False, True),
        ("oversight", False, False),
        ("officer", True, True),
    ],
)
def test_links_by_role(world, client_as, role, reopen, manage):
    entry = record(world, "chair", world.reported, "2025/26 Q1", 12)
    html = client_as(world.users[role]).get(url(world.reported)).content.decode()
    reopen_url = reverse("kpi-entry-reopen", args=[entry.pk])
    assert (reopen_url in html) == reopen
    assert (reverse("kpi-edit", args=[world.reported.pk]) in html) == manage
    assert (reverse("kpi-retire", args=[world.reported.pk]) in html) == manage


def test_unknown_kpi_is_404(world, client):
    assert client.get(reverse("kpi-detail", args=[999999])).status_code == 404


def test_queries_do_not_grow_with_entries(world, client_as):
    client = client_as(world.users["chair"])
    record(world, "chair", world.reported, "2025/26 Q1", 1)
    client.get(url(world.reported))
    with CaptureQueriesContext(connection) as small:
        client.get(url(world.reported))
    for period in ("2025/26 Q2", "2025/26 Q3", "2025/26 Q4", "2026/27 Q1"):
        entry = record(world, "partner", world.reported, period, 3)
        kpi_entry_return(entry=entry, user=world.users["chair"], reason="Check")
    with CaptureQueriesContext(connection) as large:
        client.get(url(world.reported))
    assert len(large.captured_queries) == len(small.captured_queries)
