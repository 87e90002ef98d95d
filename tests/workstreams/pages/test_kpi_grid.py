""" "Record values" (ADR 32): one period's grid of KPIs, recorded all or
nothing through `kpi_entries_record`; chairs record approved, partners only
their organisation's KPIs, waiting for approval; locked rows read-only."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from indicators.models import IndicatorValue
from tests.workstreams.pages.kpi_fixtures import (
    build_kpi_page_world,
    more_kpis,
    record,
    text,
)
from workstreams.models import KpiEntry
from workstreams.services.kpis import kpi_entry_reopen, kpi_entry_return

pytestmark = pytest.mark.django_db
Status = KpiEntry.Status


@pytest.fixture
def world(role_users, today_is):
    return build_kpi_page_world(role_users, today_is)


def url(world, period=None):
    base = reverse("kpi-grid", args=[world.own.slug])
    return f"{base}?{urlencode({'period': period})}" if period else base


def row(kpi, value="", note="", evidence="", reason="", version=""):
    pk = kpi.pk
    return {
        f"value_{pk}": value,
        f"note_{pk}": note,
        f"evidence_url_{pk}": evidence,
        f"reason_{pk}": reason,
        f"row_version_{pk}": version,
    }


def entries():
    return sorted(
        KpiEntry.objects.values_list(
            "kpi__indicator__name", "period__label", "value", "status"
        )
    )


@pytest.mark.parametrize(
    "role, expected",
    [
        ("anonymous", 302),
        ("partner", 200),
        ("other_partner", 403),
        ("chair", 200),
        ("other_chair", 403),
        ("oversight", 403),
        ("officer", 200),
    ],
)
def test_who_may_open_it(world, client_as, role, expected):
    response = client_as(world.users[role]).get(url(world))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


def test_the_default_period_is_the_latest_ended(world, client_as):
    page = text(client_as(world.users["chair"]).get(url(world)))
    assert "Record values for 2026/27 Q2" in page
    assert "Homes retrofitted through the scheme" in page
    assert "Households given damp advice" in page


def test_a_partner_sees_only_their_organisations_kpis(world, client_as):
    page = text(client_as(world.users["partner"]).get(url(world)))
    assert "Homes retrofitted through the scheme" in page
    assert "Households given damp advice" not in page
    assert "Send for approval" in page


def test_the_chair_records_two_values_approved_and_published(world, client_as):
    client = client_as(world.users["chair"])
    data = {
        "period": "2026/27 Q1",
        **row(world.reported, "12", note="From the trust", evidence="https://e.org"),
        **row(world.chairs_own, "30"),
    }
    response = client.post(url(world), data, follow=True)
    assert response.redirect_chain[-1][0] == url(world, "2026/27 Q1")
    assert "2 values for 2026/27 Q1 saved and approved." in text(response)
    assert entries() == [
        ("Homes retrofitted through the scheme", "2026/27 Q1", 12.0, Status.APPROVED),
        ("Households given damp advice", "2026/27 Q1", 30.0, Status.APPROVED),
    ]
    assert IndicatorValue.objects.filter(indicator=world.reported.indicator).exists()
    page = text(response)
    assert page.count("Locked: an officer can reopen it.") == 2


def test_a_blank_value_records_nothing_for_its_row(world, client_as):
    client = client_as(world.users["chair"])
    data = {
        "period": "2026/27 Q1",
        **row(world.reported, "12"),
        **row(world.chairs_own),
    }
    client.post(url(world), data)
    assert [e[0] for e in entries()] == ["Homes retrofitted through the scheme"]


def test_any_wrong_row_records_nothing_and_names_each_field(world, client_as):
    client = client_as(world.users["chair"])
    data = {
        "period": "2026/27 Q1",
        **row(world.reported, "-3"),
        **row(world.chairs_own, "7", evidence="ftp://nope"),
    }
    response = client.post(url(world), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'href="#id_value_{world.reported.pk}"' in html
    assert f'href="#id_evidence_url_{world.chairs_own.pk}"' in html
    page = text(response)
    assert "Homes retrofitted through the scheme: A count cannot be negative" in page
    assert "Households given damp advice: Enter a link that starts with http" in page
    assert entries() == []


def test_not_a_number_is_refused_before_anything_is_written(world, client_as):
    client = client_as(world.users["chair"])
    data = {
        "period": "2026/27 Q1",
        **row(world.reported, "twelve"),
        **row(world.chairs_own, "3"),
    }
    response = client.post(url(world), data)
    assert "enter a number" in text(response)
    assert entries() == []


def test_a_partners_values_wait_for_approval(world, client_as):
    client = client_as(world.users["partner"])
    response = client.post(
        url(world), {"period": "2026/27 Q2", **row(world.reported, "9")}, follow=True
    )
    assert "1 value for 2026/27 Q2 saved and sent for approval." in text(response)
    assert entries() == [
        ("Homes retrofitted through the scheme", "2026/27 Q2", 9.0, Status.SUBMITTED)
    ]
    assert not IndicatorValue.objects.filter(
        indicator=world.reported.indicator
    ).exists()


def test_a_partner_cannot_post_a_kpi_they_do_not_report(world, client_as):
    client = client_as(world.users["partner"])
    client.post(
        url(world),
        {
            "period": "2026/27 Q2",
            **row(world.reported, "9"),
            **row(world.chairs_own, "4"),
        },
    )
    assert [e[0] for e in entries()] == ["Homes retrofitted through the scheme"]


def test_a_returned_value_shows_the_chairs_reason(world, client_as):
    entry = record(world, "partner", world.reported, "2026/27 Q2", 900)
    kpi_entry_return(entry=entry, user=world.users["chair"], reason="900 is a typo?")
    page = text(client_as(world.users["partner"]).get(url(world)))
    assert "Returned to the partner: 900 is a typo?" in page


def test_an_approved_row_is_locked_and_a_reopened_one_needs_a_reason(world, client_as):
    entry = record(world, "chair", world.reported, "2026/27 Q2", 10)
    chair = client_as(world.users["chair"])
    html = chair.get(url(world)).content.decode()
    assert f'name="value_{world.reported.pk}"' not in html
    assert "Locked: an officer can reopen it." in text(chair.get(url(world)))
    kpi_entry_reopen(entry=entry, user=world.users["officer"], reason="Wrong file")
    chair = client_as(world.users["chair"])
    page = text(chair.get(url(world)))
    assert "Reopened for correction: Wrong file" in page
    entry.refresh_from_db()
    data = {
        "period": "2026/27 Q2",
        **row(world.reported, "11", version=entry.row_version),
    }
    response = chair.post(url(world), data)
    assert "Say why the approved 2026/27 Q2 value is corrected" in text(response)
    data[f"reason_{world.reported.pk}"] = "The trust resent its return"
    chair.post(url(world), data)
    entry.refresh_from_db()
    assert (entry.value, entry.status) == (11, Status.APPROVED)
    assert entry.correction_reason == "The trust resent its return"


def test_a_stale_row_is_refused(world, client_as):
    entry = record(world, "partner", world.reported, "2026/27 Q2", 5)
    client = client_as(world.users["partner"])
    old = entry.row_version
    record(world, "partner", world.reported, "2026/27 Q2", 6)
    data = {"period": "2026/27 Q2", **row(world.reported, "7", version=old)}
    response = client.post(url(world), data)
    assert "Someone else changed this value" in text(response)
    entry.refresh_from_db()
    assert entry.value == 6
    # The page shows the row as it is now: sent again, it is saved.
    shown = re.search(
        rf'name="row_version_{world.reported.pk}" value="(\d+)"',
        response.content.decode(),
    )
    assert int(shown.group(1)) == entry.row_version
    data[f"row_version_{world.reported.pk}"] = shown.group(1)
    client.post(url(world), data)
    entry.refresh_from_db()
    assert entry.value == 7


def test_a_period_not_offered_is_a_clear_400(world, client_as):
    client = client_as(world.users["chair"])
    response = client.get(url(world, "2027/28 Q1"))
    assert response.status_code == 400
    assert "“2027/28 Q1” is not a period you can record" in text(response)
    response = client.post(
        url(world), {"period": "nonsense", **row(world.reported, "1")}
    )
    assert response.status_code == 400
    assert entries() == []


def test_the_picker_offers_recent_periods_newest_first(world, client_as):
    html = client_as(world.users["chair"]).get(url(world)).content.decode()
    assert html.index('value="2026/27 Q3"') < html.index('value="2026/27 Q2"')
    assert 'value="2026/27 Q4"' not in html  # not started


def test_refused_posts_write_nothing(world, client_as):
    for role in ("other_partner", "other_chair", "oversight"):
        response = client_as(world.users[role]).post(
            url(world), {"period": "2026/27 Q1", **row(world.reported, "5")}
        )
        assert response.status_code == 403
    assert entries() == []


@pytest.mark.parametrize("role", ["chair", "partner"])
def test_queries_do_not_grow_with_kpis(world, client_as, role):
    client = client_as(world.users[role])
    more_kpis(world, 2)
    client.get(url(world))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(world)).status_code == 200
    more_kpis(world, 6)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(world))
    assert text(response).count("Extra KPI") >= 8
    assert len(large.captured_queries) == len(small.captured_queries)


def test_saving_other_rows_never_approves_a_partners_waiting_value(world, client_as):
    record(world, "partner", world.reported, "2026/27 Q2", 9)
    client = client_as(world.users["chair"])
    page = text(client.get(url(world)))
    assert "Waiting for approval Value sent: 9 homes. Approve it on the" in page
    client.post(
        url(world),
        {"period": "2026/27 Q2", **row(world.reported), **row(world.chairs_own, "4")},
    )
    assert entries() == [
        ("Homes retrofitted through the scheme", "2026/27 Q2", 9.0, Status.SUBMITTED),
        ("Households given damp advice", "2026/27 Q2", 4.0, Status.APPROVED),
    ]


def test_a_partner_sees_their_waiting_value_in_the_box(world, client_as):
    record(world, "partner", world.reported, "2026/27 Q2", 9)
    html = client_as(world.users["partner"]).get(url(world)).content.decode()
    assert re.search(rf'name="value_{world.reported.pk}"[^>]*value="9"', html)


def test_the_page_links_to_the_spreadsheet(world, client_as):
    html = client_as(world.users["chair"]).get(url(world)).content.decode()
    spreadsheet = reverse("kpi-spreadsheet", args=[world.own.slug])
    assert f'href="{spreadsheet}">Use a spreadsheet instead' in html
