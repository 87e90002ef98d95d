"""The workstream progress page's "Output KPIs" section (ADR 32, issue 16):
each active KPI's latest period, year to date against the pro-rata target with
its judgement in words and shape, a chart of the year's periods, what is
overdue, "No values recorded yet"; for every role, in a fixed number of
queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marmot import roles
from tests.conftest import user_with_role
from tests.indicators.factories import IndicatorFactory
from tests.workstreams.factories import OrganisationMembershipFactory
from tests.workstreams.fixtures import ROLES
from tests.workstreams.kpi_fixtures import TODAY, build_kpi_world
from tests.workstreams.pages.fixtures import section, text
from workstreams.services.kpis import (
    kpi_create,
    kpi_entry_record,
    kpi_retire,
    kpi_target_set,
)

pytestmark = pytest.mark.django_db
URL = "/workstreams/housing/"


@pytest.fixture(autouse=True)
def on_the_kpi_worlds_day(today_is):
    """The pages' "today" is the KPI world's (2026/27 Q3 open)."""
    today_is(TODAY)


@pytest.fixture
def world(role_users):
    world = build_kpi_world(role_users)
    other_partner = user_with_role(roles.PARTNER, username="other_partner")
    OrganisationMembershipFactory(user=other_partner, organisation=world.other_org)
    world.users["other_partner"] = other_partner
    return world


def record(world, kpi, values, who="chair"):
    for period, value in values.items():
        kpi_entry_record(
            kpi=kpi, user=world.users[who], period=period, value=value, today=TODAY
        )


def target(world, kpi, year, value, tolerance=10):
    kpi_target_set(
        kpi=kpi,
        user=world.users["chair"],
        year_label=year,
        value=value,
        tolerance=tolerance,
    )


KPI_ROW = r'<tr class="govuk-table__row marmot-kpi-row">(.*?)</tr>'


def kpi_rows(html: str) -> dict[str, dict]:
    """KPI name -> the text of each cell, and the judgement's shape class."""
    rows = {}
    for row in re.findall(KPI_ROW, html, re.S):
        cells = re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)
        name, latest, ytd, judgement, chart, overdue = cells
        shape = re.search(r"marmot-rag--(\w+)", judgement)
        label = re.search(r'aria-label="([^"]*)"', chart)
        rows[text(name)] = {
            "href": re.search(r'href="([^"]+)"', name).group(1),
            "latest": text(latest),
            "year_to_date": text(ytd),
            "judgement": text(judgement),
            "shape": shape.group(1) if shape else None,
            "chart": label.group(1) if label else None,
            "overdue": text(overdue),
        }
    return rows


def bse_world(world):
    """Four KPIs: on target, off target, within tolerance, no values."""
    record(world, world.chairs_own, {"2026/27 Q1": 10, "2026/27 Q2": 12})
    target(world, world.chairs_own, "2026/27", 40)  # 22 against 20
    record(world, world.reported, {"2025/26 Q1": 5, "2025/26 Q2": 5, "2025/26 Q3": 5})
    target(world, world.reported, "2025/26", 60)  # 15 against 45
    officer = world.users["officer"]
    world.amber = kpi_create(
        workstream=world.own,
        user=officer,
        name="Tenants given advice",
        unit="people",
        values_expected_from=dt.date(2026, 4, 1),
    )
    record(world, world.amber, {"2026/27 Q1": 19})
    target(world, world.amber, "2026/27", 80)  # 19 against 20, within 2
    world.empty = kpi_create(
        workstream=world.own, user=officer, name="Landlords signed up", unit="landlords"
    )
    return world


def test_each_kpi_shows_latest_year_to_date_judgement_chart_and_overdue(world, client):
    bse_world(world)

    html = client.get(URL).content.decode()

    rows = kpi_rows(html)
    assert list(rows) == [
        "Homes retrofitted through the scheme",
        "Households given damp advice",
        "Tenants given advice",
        "Landlords signed up",
    ]
    assert rows["Households given damp advice"] == {
        "href": f"/kpis/{world.chairs_own.pk}/",
        "latest": "12 households in 2026/27 Q2",
        "year_to_date": "22 households up to 2026/27 Q2 "
        "Target up to 2026/27 Q2: 20 households (of 40 households for the year)",
        "judgement": "On target",
        "shape": "green",
        "chart": "2026/27: Rising from 10 households in 2026/27 Q1 to 12 households "
        "in 2026/27 Q2; no value for 2026/27 Q3, 2026/27 Q4",
        "overdue": "Overdue: 2025/26 Q1, 2025/26 Q2, 2025/26 Q3, 2025/26 Q4",
    }
    reported = rows["Homes retrofitted through the scheme"]
    assert reported["latest"] == "5 homes in 2025/26 Q3"
    assert reported["year_to_date"].startswith("15 homes up to 2025/26 Q3 ")
    assert "Target up to 2025/26 Q3: 45 homes" in reported["year_to_date"]
    assert (reported["judgement"], reported["shape"]) == ("Off target", "red")
    assert reported["overdue"] == "Overdue: 2025/26 Q4, 2026/27 Q1, 2026/27 Q2"
    amber = rows["Tenants given advice"]
    assert (amber["judgement"], amber["shape"]) == ("Within tolerance", "amber")
    assert amber["overdue"] == "Overdue: 2026/27 Q2"
    empty = rows["Landlords signed up"]
    assert empty["latest"] == "No values recorded yet"
    assert empty["year_to_date"] == "No values for 2026/27 yet"
    assert (empty["judgement"], empty["shape"]) == ("No target set for 2026/27", None)
    assert empty["chart"] == "2026/27: No values to show"
    assert empty["overdue"] == "Nothing overdue"
    # The judgement is words and a shape, never colour alone.
    assert (
        '<span class="marmot-rag marmot-rag--green"><span class="marmot-rag__shape" '
        'aria-hidden="true"></span><strong>On target</strong></span>'
    ) in html
    assert 'href="/workstreams/housing/kpis/"' in html
    assert "All KPIs and their history" in section(html, "kpis", "measures")


def test_kpis_are_not_listed_again_as_outcome_measures(world, client):
    record(world, world.chairs_own, {"2026/27 Q1": 10})

    html = client.get(URL).content.decode()

    assert "Households given damp advice" in section(html, "kpis", "measures")
    assert "Households given damp advice" not in section(html, "measures")


def test_a_target_without_values_this_year_and_no_kpis_at_all(world, client):
    target(world, world.chairs_own, "2026/27", 40)
    row = kpi_rows(client.get(URL).content.decode())["Households given damp advice"]
    assert row["latest"] == "No values recorded yet"
    assert row["year_to_date"] == (
        "No values for 2026/27 yet Target for the year: 40 households"
    )
    assert row["judgement"] == "No values for 2026/27 yet"

    html = client.get("/workstreams/work/").content.decode()
    kpis = section(html, "kpis", "measures")
    assert "This workstream has no output KPIs yet." in kpis
    assert 'href="/workstreams/work/kpis/"' in html


def test_a_retired_kpi_is_not_listed_and_its_values_stay_elsewhere(world, client):
    record(world, world.chairs_own, {"2026/27 Q1": 10})
    kpi_retire(
        kpi=world.chairs_own,
        user=world.users["chair"],
        retired_on=dt.date(2026, 10, 1),
        reason="The advice service closed.",
    )
    world.chairs_own.indicator.refresh_from_db()
    assert list(kpi_rows(client.get(URL).content.decode())) == [
        "Homes retrofitted through the scheme"
    ]


def test_an_entry_waiting_for_approval_is_not_shown(world, client):
    record(world, world.reported, {"2026/27 Q1": 7}, who="partner")
    row = kpi_rows(client.get(URL).content.decode())[
        "Homes retrofitted through the scheme"
    ]
    assert row["latest"] == "No values recorded yet"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_same_approved_progress(world, client_as, role):
    bse_world(world)
    record(world, world.reported, {"2026/27 Q1": 7}, who="partner")  # waiting

    response = client_as(world.users[role]).get(URL)

    assert response.status_code == 200
    rows = kpi_rows(response.content.decode())
    assert len(rows) == 4
    assert rows["Homes retrofitted through the scheme"]["latest"] == (
        "5 homes in 2025/26 Q3"
    )
    assert rows["Households given damp advice"]["judgement"] == "On target"


def test_query_count_does_not_grow_with_the_kpis(world, client_as):
    officer = world.users["officer"]

    def add(count):
        for n in range(count):
            kpi = kpi_create(
                workstream=world.own,
                user=officer,
                name=f"Extra KPI {n:02d} {count}",
                values_expected_from=dt.date(2025, 4, 1),
            )
            record(world, kpi, {"2025/26 Q4": n, "2026/27 Q1": n + 1})
            target(world, kpi, "2026/27", 40)

    def queries(role):
        with CaptureQueriesContext(connection) as captured:
            response = client_as(world.users[role]).get(URL)
        assert response.status_code == 200
        return len(captured), len(kpi_rows(response.content.decode()))

    for role in ("anonymous", "chair"):  # once-per-process lookups out of the way
        queries(role)
    add(1)
    small = {role: queries(role) for role in ("anonymous", "chair")}
    add(8)
    large = {role: queries(role) for role in ("anonymous", "chair")}

    assert {role: rows for role, (_, rows) in small.items()} == {
        "anonymous": 3,
        "chair": 3,
    }
    assert {role: rows for role, (_, rows) in large.items()} == {
        "anonymous": 11,
        "chair": 11,
    }
    assert {role: n for role, (n, _) in large.items()} == {
        role: n for role, (n, _) in small.items()
    }


def test_an_outcome_measure_awaiting_data_says_so(world, client):
    world.own.indicators.add(
        IndicatorFactory(name="Employment rate", principle=None, kind="outcome")
    )
    measures = section(client.get(URL).content.decode(), "measures")
    assert (
        "Employment rate Awaiting data No value published yet Not compared No trend yet"
    ) in measures
