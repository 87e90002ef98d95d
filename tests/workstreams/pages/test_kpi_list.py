"""The workstream's output KPIs page (ADR 32): public, every figure from
`output_progress`, retired KPIs apart, the chairs' links, a fixed number of
queries whatever the number of KPIs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.workstreams.fixtures import ROLES
from tests.workstreams.pages.kpi_fixtures import (
    build_kpi_page_world,
    more_kpis,
    record,
    target,
    text,
)
from workstreams.services.kpis import kpi_retire

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users, today_is):
    return build_kpi_page_world(role_users, today_is)


def url(world):
    return reverse("kpi-list", args=[world.own.slug])


def test_no_values_yet_says_so_and_lists_what_is_overdue(world, client):
    page = text(client.get(url(world)))
    assert "Homes retrofitted through the scheme" in page
    assert "Households given damp advice" in page
    assert page.count("No values recorded yet") == 2
    # Expected from April 2025; 2026/27 Q2 ended more than 30 days before today.
    assert "2025/26 Q1, 2025/26 Q2, 2025/26 Q3, 2025/26 Q4, 2026/27 Q1, 2026/27 Q2" in (
        page
    )
    assert "Reported by Testshire Housing Trust" in page
    assert "homes, quarterly" in page


def test_year_to_date_against_the_pro_rata_target_in_words_and_shape(world, client):
    record(world, "chair", world.reported, "2026/27 Q1", 20)
    record(world, "chair", world.reported, "2026/27 Q2", 22)
    target(world, world.reported, value=100, tolerance=10)
    response = client.get(url(world))
    page = text(response)
    # 42 against 50 (two quarters of 100), tolerance 10% of 50 = 5: off target.
    assert "42 homes to 2026/27 Q2, against a target of 50 homes so far" in page
    assert "(100 homes for the year): Off target" in page
    assert "Latest 22 homes in 2026/27 Q2" in page
    assert 'marmot-rag--red"' in response.content.decode()
    assert "2025/26 Q1, 2025/26 Q2, 2025/26 Q3, 2025/26 Q4" in page


def test_a_value_waiting_for_approval_is_not_shown(world, client):
    record(world, "partner", world.reported, "2026/27 Q1", 5)
    page = text(client.get(url(world)))
    assert page.count("No values recorded yet") == 2


def test_retired_kpis_are_listed_apart(world, client):
    kpi_retire(
        kpi=world.chairs_own,
        user=world.users["chair"],
        retired_on=world.today,
        reason="Merged into the advice KPI",
    )
    page = text(client.get(url(world)))
    retired = page.split("Retired KPIs", 1)[1]
    assert "Households given damp advice Retired" in retired
    assert "Merged into the advice KPI" in retired
    assert "Homes retrofitted" not in retired


LINKS = ("Add a KPI", "Set targets", "Record values", "Approvals")


@pytest.mark.parametrize(
    "role, shown",
    [
        ("anonymous", ()),
        ("partner", ("Record values",)),
        ("other_partner", ()),
        ("chair", LINKS),
        ("other_chair", ()),
        ("oversight", ("Approvals",)),
        ("officer", LINKS),
    ],
)
def test_links_by_role(world, client_as, role, shown):
    assert role in ROLES
    record(world, "partner", world.reported, "2026/27 Q1", 5)
    page = text(client_as(world.users[role]).get(url(world)))
    for link in LINKS:
        assert (link in page) == (link in shown), link
    if "Approvals" in shown:
        assert "Approvals (1 waiting)" in page


def test_unknown_workstream_is_404(world, client):
    assert client.get(reverse("kpi-list", args=["no-such"])).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "chair"])
def test_queries_do_not_grow_with_kpis(world, client_as, role):
    client = client_as(world.users[role])
    more_kpis(world, 2)
    client.get(url(world))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(world)).status_code == 200
    more_kpis(world, 6)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(world))
    assert response.status_code == 200
    assert text(response).count("Extra KPI") >= 8
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_chairs_workplan_page_links_to_the_kpi_pages(world, client_as):
    html = (
        client_as(world.users["chair"])
        .get(reverse("workplan-manage", args=[world.own.slug]))
        .content.decode()
    )
    for name in ("kpi-list", "kpi-grid", "kpi-targets", "kpi-approvals"):
        assert f'href="{reverse(name, args=[world.own.slug])}"' in html
