"""Output KPIs through the API (issue 16, ADR 32): the KPIs with where they
stand, their targets, recording values one by one and in bulk, and the
chair's approval, with the If-Match rules of ADR 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from indicators.models import IndicatorValue
from marmot import roles
from tests.conftest import user_with_role
from tests.workstreams.factories import OrganisationMembershipFactory
from tests.workstreams.fixtures import ROLES
from tests.workstreams.kpi_fixtures import (
    TODAY,
    build_kpi_world,
    record_sample_entries,
)
from workstreams.models import Kpi, KpiEntry
from workstreams.services.kpis import kpi_create, kpi_entry_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_the_kpi_worlds_day(today_is):
    """The API's "today" is the KPI world's: which periods have started is
    fixed, whatever day the tests run."""
    today_is(TODAY)


Status = KpiEntry.Status
KPIS = "/api/v1/kpis/"
ENTRIES = "/api/v1/kpi-entries/"
BULK = "/api/v1/kpi-entries/bulk/"


@pytest.fixture
def world(role_users):
    world = build_kpi_world(role_users)
    other_partner = user_with_role(roles.PARTNER, username="other_partner")
    OrganisationMembershipFactory(user=other_partner, organisation=world.other_org)
    world.users["other_partner"] = other_partner
    world.entries = record_sample_entries(world)
    return world


def client(world, role):
    api = APIClient()
    user = world.users[role]
    if user is not None:
        api.force_authenticate(type(user).objects.get(pk=user.pk))
    return api


def etag(entry_or_kpi):
    entry_or_kpi.refresh_from_db()
    return f'"{entry_or_kpi.row_version}"'


def error_of(response):
    body = response.json()
    assert body["error"]["status"] == response.status_code
    return body["error"]


# --- KPIs: reading ---------------------------------------------------------------


def test_anyone_lists_kpis_with_their_measure_links_and_progress(world):
    response = client(world, "anonymous").get(KPIS, {"workstream": "housing"})
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    reported = rows["Homes retrofitted through the scheme"]
    assert reported["workstream"] == "housing"
    assert reported["unit"] == "homes"
    assert reported["value_type"] == "count"
    assert reported["update_frequency"] == "quarterly"
    assert reported["year_to_date"] == "sum"
    assert reported["values_expected_from"] == "2025-04-01"
    assert reported["retired_on"] is None
    assert reported["output"] == world.output.pk
    assert reported["activities"] == [world.activities[0].pk]
    assert reported["reporting_organisation"] == world.org.pk
    # The chair's approved 2025/26 Q1 value: 20 households.
    own = rows["Households given damp advice"]["progress"]
    assert own["latest"] == {"period": "2025/26 Q1", "value": 20.0}
    assert own["year"] == "2025/26"
    assert own["year_to_date"] == 20.0
    assert own["judgement"] is None  # no target yet
    assert [p["period"] for p in own["periods"]][:2] == ["2025/26 Q1", "2025/26 Q2"]
    assert "2025/26 Q2" in own["overdue"]
    # The partner's values wait for approval: nothing published yet.
    assert reported["progress"]["latest"] is None
    assert reported["progress"]["year_to_date"] is None


def test_retrieve_sends_the_etag_and_a_chosen_year(world):
    response = client(world, "anonymous").get(
        f"{KPIS}{world.chairs_own.pk}/", {"year": "2026/27"}
    )
    assert response.status_code == 200
    assert response["ETag"].startswith(etag(world.chairs_own)[:-1] + "-")
    assert response.json()["progress"]["year"] == "2026/27"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"retired": "maybe"}, "retired"),
        ({"year": "2026"}, "year"),
        ({"year": "2026/28"}, "year"),
        ({"reporting_organisation": "x"}, "reporting_organisation"),
    ],
)
def test_bad_kpi_filters_are_a_400_naming_the_parameter(world, params, named):
    response = client(world, "anonymous").get(KPIS, params)
    assert response.status_code == 400
    assert named in error_of(response)["fields"]


def test_retired_filter(world):
    chair = client(world, "chair")
    response = chair.post(
        f"{KPIS}{world.chairs_own.pk}/retire/",
        {"retired_on": "2026-04-01", "reason": "Replaced by the council's count"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["retired_on"] == "2026-04-01"
    assert response["ETag"]

    def names(retired):
        rows = client(world, "anonymous").get(KPIS, {"retired": retired}).json()
        return [row["name"] for row in rows["results"]]

    assert names("true") == ["Households given damp advice"]
    assert names("false") == ["Homes retrofitted through the scheme"]
    reinstated = chair.post(f"{KPIS}{world.chairs_own.pk}/reinstate/")
    assert reinstated.json()["retired_on"] is None


# --- KPIs: writing -----------------------------------------------------------------

NEW_KPI = {
    "workstream": "housing",
    "name": "Tenants referred to the energy advice line",
    "unit": "tenants",
    "update_frequency": "quarterly",
    "values_expected_from": "2026-04-01",
}
#           anonymous, partner, other_partner, chair, other_chair, oversight, officer
CREATES = (401, 403, 403, 201, 403, 403, 201)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, CREATES, strict=True)))
def test_chairs_and_officers_add_kpis(world, role, expected):
    response = client(world, role).post(KPIS, NEW_KPI, format="json")
    assert response.status_code == expected, response.content
    made = Kpi.objects.filter(indicator__name=NEW_KPI["name"])
    assert made.exists() is (expected == 201)
    if expected == 201:
        body = response.json()
        assert body["year_to_date"] == "sum"  # a count is summed by default
        assert response["ETag"].startswith('"1-')
        assert made.get().indicator.kind == "local_output"


def test_a_kpi_names_an_output_of_its_own_workstream(world):
    response = client(world, "chair").post(
        KPIS, {**NEW_KPI, "output": world.other_activity.pk}, format="json"
    )
    assert response.status_code == 400
    assert "output" in error_of(response)["fields"]


def test_a_kpi_change_needs_its_etag(world):
    chair = client(world, "chair")
    url = f"{KPIS}{world.reported.pk}/"
    missing = chair.patch(url, {"unit": "dwellings"}, format="json", HTTP_IF_MATCH="")
    assert missing.status_code == 428
    stale = chair.patch(url, {"unit": "dwellings"}, format="json", HTTP_IF_MATCH='"9"')
    assert stale.status_code == 412
    current = etag(world.reported)
    changed = chair.patch(
        url, {"unit": "dwellings"}, format="json", HTTP_IF_MATCH=current
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["unit"] == "dwellings"
    assert changed["ETag"] != current
    again = chair.patch(url, {"unit": "flats"}, format="json", HTTP_IF_MATCH=current)
    assert again.status_code == 412
    moved = chair.patch(
        url,
        {"workstream": "work"},
        format="json",
        HTTP_IF_MATCH=changed["ETag"],
    )
    assert moved.status_code == 400
    assert "workstream" in error_of(moved)["fields"]


#           anonymous, partner, other_partner, chair, other_chair, oversight, officer
KPI_WRITES = (401, 403, 403, 200, 403, 403, 200)


@pytest.mark.parametrize(
    ("role", "expected"), list(zip(ROLES, KPI_WRITES, strict=True))
)
def test_only_the_workstreams_chairs_and_officers_change_a_kpi(world, role, expected):
    api = client(world, role)
    url = f"{KPIS}{world.reported.pk}/"
    patched = api.patch(
        url, {"unit": "dwellings"}, format="json", HTTP_IF_MATCH=etag(world.reported)
    )
    assert patched.status_code == expected
    target = api.post(f"{url}targets/", {"year": "2025/26", "value": 40}, format="json")
    assert target.status_code == expected
    retired = api.post(
        f"{url}retire/", {"retired_on": "2027-04-01", "reason": "Ends"}, format="json"
    )
    assert retired.status_code == expected


def test_targets_judge_the_year_to_date(world):
    chair = client(world, "chair")
    response = chair.post(
        f"{KPIS}{world.chairs_own.pk}/targets/",
        {
            "year": "2025/26",
            "value": 100,
            "tolerance": 10,
            "tolerance_is_percent": True,
            "quarters": {"q1": 20, "q2": 25},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["year"] == "2025/26"
    assert [(t["period"], t["value"]) for t in body["targets"]] == [
        ("2025/26", 100.0),
        ("2025/26 Q1", 20.0),
        ("2025/26 Q2", 25.0),
    ]
    progress = chair.get(f"{KPIS}{world.chairs_own.pk}/").json()["progress"]
    assert progress["annual_target"] == 100.0
    # 20 recorded in Q1 against a pro-rata 25: off target (tolerance 2.5).
    assert progress["year_to_date_target"] == 25.0
    assert progress["judgement"]["code"] == "off_target"
    assert progress["judgement"]["words"] == "Off target"
    assert progress["judgement"]["shape"] == "red"
    # Q1 against its own target of 20: on target.
    assert progress["latest_judgement"]["words"] == "On target"
    assert progress["periods"][0]["judgement"]["code"] == "on_target"


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"year": "2025", "value": 1}, "year"),
        ({"year": "2025/26", "value": -1}, "value"),
        ({"year": "2025/26", "value": 1.5}, "value"),
        ({"year": "2025/26", "value": 1, "tolerance": -1}, "tolerance"),
        ({"year": "2025/26"}, "value"),
    ],
)
def test_bad_targets_are_a_400_naming_the_field(world, body, named):
    response = client(world, "chair").post(
        f"{KPIS}{world.chairs_own.pk}/targets/", body, format="json"
    )
    assert response.status_code == 400
    assert named in error_of(response)["fields"]


# --- entries: reading ---------------------------------------------------------------

#             anonymous, partner, other_partner, chair, other_chair, oversight, officer
SEES_SUBMITTED = (False, True, False, True, False, True, True)


@pytest.mark.parametrize(
    ("role", "sees"), list(zip(ROLES, SEES_SUBMITTED, strict=True))
)
def test_values_waiting_for_approval_are_hidden_from_the_public(world, role, sees):
    api = client(world, role)
    submitted = world.entries["submitted"]
    approved = world.entries["approved"]
    detail = api.get(f"{ENTRIES}{submitted.pk}/")
    assert detail.status_code == (200 if sees else 404)
    if sees:
        assert detail["ETag"].startswith(etag(submitted)[:-1] + "-")
        assert detail.json()["status"] == "submitted"
    listed = {row["id"] for row in api.get(ENTRIES).json()["results"]}
    assert (submitted.pk in listed) is sees
    assert approved.pk in listed
    assert api.get(f"{ENTRIES}{approved.pk}/").status_code == 200
    # A write to a row the role may not see is the same 404, never a 403.
    if not sees and role != "anonymous":
        approve = api.post(
            f"{ENTRIES}{submitted.pk}/approve/", HTTP_IF_MATCH=etag(submitted)
        )
        assert approve.status_code == 404


def test_entry_filters(world):
    api = client(world, "officer")

    def ids(**params):
        return {row["id"] for row in api.get(ENTRIES, params).json()["results"]}

    entries = world.entries
    assert ids(kpi=world.chairs_own.pk) == {entries["approved"].pk}
    assert ids(status="submitted") == {
        entries["submitted"].pk,
        entries["to_approve"].pk,
        entries["to_return"].pk,
    }
    assert ids(period="2025/26 Q2") == {entries["to_approve"].pk}
    assert ids(workstream="work") == set()
    for params, named in [
        ({"status": "lost"}, "status"),
        ({"kpi": "x"}, "kpi"),
        ({"kpi": "999999"}, "kpi"),
    ]:
        response = api.get(ENTRIES, params)
        assert response.status_code == 400
        assert named in error_of(response)["fields"]


# --- entries: recording -------------------------------------------------------------


def record_body(world, **overrides):
    return {
        "kpi": world.reported.pk,
        "period": "2025/26 Q4",
        "value": 9,
        "note": "From the trust's returns",
        "evidence_url": "https://example.org/returns",
        **overrides,
    }


#           anonymous, partner, other_partner, chair, other_chair, oversight, officer
RECORDS = (401, 201, 403, 201, 403, 403, 201)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, RECORDS, strict=True)))
def test_who_records_a_value(world, role, expected):
    response = client(world, role).post(ENTRIES, record_body(world), format="json")
    assert response.status_code == expected, response.content
    if expected == 201:
        body = response.json()
        assert body["status"] == ("submitted" if role == "partner" else "approved")
        assert response["ETag"].startswith(f'"{body["row_version"]}-')
        assert body["period"] == "2025/26 Q4"
    else:
        assert not KpiEntry.objects.filter(period__label="2025/26 Q4").exists()


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"value": -1}, "value"),
        ({"value": 2.5}, "value"),
        ({"value": "many"}, "value"),
        ({"period": "2030/31 Q1"}, "period"),  # not started yet
        ({"period": "2025/26"}, "period"),  # a quarterly KPI
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"kpi": 999999}, "kpi"),
    ],
)
def test_a_wrong_value_is_a_400_naming_the_field(world, overrides, named):
    response = client(world, "chair").post(
        ENTRIES, record_body(world, **overrides), format="json"
    )
    assert response.status_code == 400, response.content
    assert named in error_of(response)["fields"]
    assert not KpiEntry.objects.filter(period__label="2025/26 Q4").exists()


def test_the_chair_approves_a_partners_value_with_its_etag(world):
    entry = world.entries["to_approve"]
    url = f"{ENTRIES}{entry.pk}/approve/"
    chair = client(world, "chair")
    assert chair.post(url).status_code == 428
    assert chair.post(url, HTTP_IF_MATCH='"99"').status_code == 412
    assert (
        client(world, "partner").post(url, HTTP_IF_MATCH=etag(entry)).status_code == 403
    )
    approved = chair.post(url, HTTP_IF_MATCH=etag(entry))
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert body["status"] == "approved"
    assert body["decided_by"] == world.users["chair"].pk
    assert approved["ETag"].startswith(etag(entry)[:-1] + "-")
    published = IndicatorValue.objects.get(
        indicator=world.reported.indicator, period__label="2025/26 Q2"
    )
    assert published.value == 11.0
    # Decided once: a second approval is a 409, as is a change of the locked value.
    again = chair.post(url, HTTP_IF_MATCH=etag(entry))
    assert again.status_code == 409
    changed = chair.patch(
        f"{ENTRIES}{entry.pk}/", {"value": 12}, format="json", HTTP_IF_MATCH=etag(entry)
    )
    assert changed.status_code == 409
    # Public now: anyone reads it.
    assert client(world, "anonymous").get(f"{ENTRIES}{entry.pk}/").status_code == 200


def test_the_chair_returns_a_value_with_a_reason_and_the_partner_corrects_it(world):
    entry = world.entries["to_return"]
    url = f"{ENTRIES}{entry.pk}/return/"
    chair, partner = client(world, "chair"), client(world, "partner")
    no_reason = chair.post(
        url, {"reason": " "}, format="json", HTTP_IF_MATCH=etag(entry)
    )
    assert no_reason.status_code == 400
    assert "reason" in error_of(no_reason)["fields"]
    assert chair.post(url, {"reason": "Typo?"}, format="json").status_code == 428
    returned = chair.post(
        url, {"reason": "12 looks low"}, format="json", HTTP_IF_MATCH=etag(entry)
    )
    assert returned.status_code == 200
    assert returned.json()["return_reason"] == "12 looks low"
    seen = partner.get(f"{ENTRIES}{entry.pk}/")
    assert seen.json()["status"] == "returned"
    corrected = partner.patch(
        f"{ENTRIES}{entry.pk}/",
        {"value": 21},
        format="json",
        HTTP_IF_MATCH=seen["ETag"],
    )
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["status"] == "submitted"
    assert corrected.json()["value"] == 21.0
    stale = partner.patch(
        f"{ENTRIES}{entry.pk}/",
        {"value": 22},
        format="json",
        HTTP_IF_MATCH=seen["ETag"],
    )
    assert stale.status_code == 412
    assert (
        partner.patch(
            f"{ENTRIES}{entry.pk}/", {"value": 22}, format="json", HTTP_IF_MATCH=""
        ).status_code
        == 428
    )


def test_an_entry_keeps_its_kpi_and_period(world):
    entry = world.entries["submitted"]
    response = client(world, "partner").patch(
        f"{ENTRIES}{entry.pk}/",
        {"period": "2025/26 Q4"},
        format="json",
        HTTP_IF_MATCH=etag(entry),
    )
    assert response.status_code == 400
    assert "period" in error_of(response)["fields"]


#           anonymous, partner, other_partner, chair, other_chair, oversight, officer
REOPENS = (401, 403, 403, 403, 403, 403, 200)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, REOPENS, strict=True)))
def test_only_officers_reopen_an_approved_value(world, role, expected):
    entry = world.entries["approved"]
    response = client(world, role).post(
        f"{ENTRIES}{entry.pk}/reopen/",
        {"reason": "The council revised its count"},
        format="json",
        HTTP_IF_MATCH=etag(entry),
    )
    assert response.status_code == expected, response.content
    entry.refresh_from_db()
    assert (entry.status == Status.REOPENED) is (expected == 200)


def test_a_reopened_value_is_corrected_with_a_reason(world):
    entry = world.entries["approved"]
    officer, chair = client(world, "officer"), client(world, "chair")
    reopened = officer.post(
        f"{ENTRIES}{entry.pk}/reopen/",
        {"reason": "Revised count"},
        format="json",
        HTTP_IF_MATCH=etag(entry),
    )
    assert reopened.status_code == 200
    assert (
        officer.post(
            f"{ENTRIES}{entry.pk}/reopen/",
            {"reason": "Again"},
            format="json",
            HTTP_IF_MATCH=reopened["ETag"],
        ).status_code
        == 409
    )
    url = f"{ENTRIES}{entry.pk}/"
    no_reason = chair.patch(
        url, {"value": 24}, format="json", HTTP_IF_MATCH=reopened["ETag"]
    )
    assert no_reason.status_code == 400
    assert "reason" in error_of(no_reason)["fields"]
    corrected = chair.patch(
        url,
        {"value": 24, "reason": "The council's revised count"},
        format="json",
        HTTP_IF_MATCH=reopened["ETag"],
    )
    assert corrected.status_code == 200, corrected.content
    body = corrected.json()
    assert (body["status"], body["value"]) == ("approved", 24.0)
    assert body["correction_reason"] == "The council's revised count"


def test_recording_an_existing_period_again_replaces_it(world):
    response = client(world, "partner").post(
        ENTRIES, record_body(world, period="2025/26 Q1", value=14), format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["id"] == world.entries["submitted"].pk
    assert response.json()["value"] == 14.0


# --- bulk -----------------------------------------------------------------------------


def test_bulk_entry_records_every_value(world):
    body = {
        "entries": [
            {"kpi": world.chairs_own.pk, "period": "2025/26 Q2", "value": 30},
            {"kpi": world.chairs_own.pk, "period": "2025/26 Q3", "value": 31},
            {"kpi": world.reported.pk, "period": "2025/26 Q4", "value": 3},
        ]
    }
    response = client(world, "chair").post(BULK, body, format="json")
    assert response.status_code == 200, response.content
    rows = response.json()["entries"]
    assert [(r["period"], r["value"], r["status"]) for r in rows] == [
        ("2025/26 Q2", 30.0, "approved"),
        ("2025/26 Q3", 31.0, "approved"),
        ("2025/26 Q4", 3.0, "approved"),
    ]


def test_bulk_entry_is_all_or_nothing_with_errors_by_index_and_field(world):
    before = KpiEntry.objects.count()
    body = {
        "entries": [
            {"kpi": world.chairs_own.pk, "period": "2025/26 Q2", "value": 30},
            {"kpi": world.chairs_own.pk, "period": "2025/26 Q3", "value": -2},
            {"kpi": world.chairs_own.pk, "period": "2030/31 Q1", "value": 1},
            {"kpi": 999999, "period": "2025/26 Q1", "value": 1},
            {"kpi": world.chairs_own.pk, "value": "lots"},
        ]
    }
    response = client(world, "chair").post(BULK, body, format="json")
    assert response.status_code == 400
    payload = response.json()
    rows = payload["rows"]
    assert set(rows) == {"1", "2", "3", "4"}
    assert "value" in rows["1"]
    assert "period" in rows["2"]
    assert "kpi" in rows["3"]
    assert {"period", "value"} <= set(rows["4"])
    assert payload["error"]["status"] == 400
    assert payload["error"]["fields"]["entries"]
    assert KpiEntry.objects.count() == before
    # Only the first is wrong now: the second is not recorded either.
    body["entries"] = [
        {"kpi": world.chairs_own.pk, "period": "2025/26 Q2", "value": 0.5},
        {"kpi": world.chairs_own.pk, "period": "2025/26 Q3", "value": 4},
    ]
    response = client(world, "chair").post(BULK, body, format="json")
    assert response.status_code == 400
    assert set(response.json()["rows"]) == {"0"}
    assert KpiEntry.objects.count() == before
    assert not IndicatorValue.objects.filter(
        indicator=world.chairs_own.indicator, period__label="2025/26 Q2"
    ).exists()


def test_bulk_entry_refuses_what_the_caller_may_not_record(world):
    body = {
        "entries": [
            {"kpi": world.reported.pk, "period": "2025/26 Q4", "value": 1},
            {"kpi": world.chairs_own.pk, "period": "2025/26 Q2", "value": 1},
        ]
    }
    response = client(world, "partner").post(BULK, body, format="json")
    assert response.status_code == 400
    assert set(response.json()["rows"]) == {"1"}
    assert "kpi" in response.json()["rows"]["1"]
    assert not KpiEntry.objects.filter(period__label="2025/26 Q4").exists()


def test_bulk_entry_limits_the_batch(world):
    item = {"kpi": world.chairs_own.pk, "period": "2025/26 Q2", "value": 1}
    response = client(world, "chair").post(
        BULK, {"entries": [item] * 501}, format="json"
    )
    assert response.status_code == 400
    assert "at most 500" in " ".join(error_of(response)["fields"]["entries"])
    for body in ({}, {"entries": []}, {"entries": "x"}, {"entries": [1]}):
        response = client(world, "chair").post(BULK, body, format="json")
        assert response.status_code == 400, body


def test_bulk_entry_checks_row_versions(world):
    entry = world.entries["submitted"]
    body = {
        "entries": [
            {
                "kpi": world.reported.pk,
                "period": "2025/26 Q1",
                "value": 13,
                "row_version": entry.row_version + 1,
            }
        ]
    }
    response = client(world, "partner").post(BULK, body, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["rows"]["0"]


@pytest.mark.parametrize("role", ["anonymous", "oversight"])
def test_bulk_entry_needs_a_writer(world, role):
    response = client(world, role).post(BULK, {"entries": []}, format="json")
    assert response.status_code == (401 if role == "anonymous" else 403)


# --- query counts ---------------------------------------------------------------------


def _more_kpis(world, n, start):
    officer = world.users["officer"]
    for i in range(start, start + n):
        kpi = kpi_create(
            workstream=world.own if i % 2 else world.other,
            user=officer,
            name=f"Extra KPI {i}",
            output=world.output if i % 2 else None,
            activities=[world.activities[1]] if i % 2 else [],
            reporting_organisation=world.org,
        )
        for quarter in (1, 2):
            kpi_entry_record(
                kpi=kpi,
                user=officer,
                period=f"2025/26 Q{quarter}",
                value=i,
                today=world.today,
            )


def _queries(api, url):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [KPIS, ENTRIES])
@pytest.mark.parametrize("role", ["anonymous", "chair", "officer"])
def test_lists_make_the_same_queries_at_two_sizes(world, url, role):
    api = client(world, role)
    _queries(api, url)  # the user's roles are read once, on the first request
    _more_kpis(world, 2, 0)
    small = _queries(api, url)
    _more_kpis(world, 8, 2)
    assert _queries(api, url) == small


def test_dates_out_of_the_periods_years_are_a_400(world):
    """Found by the deep fuzz: a KPI expected from 1370, or retired on 1 January
    of year 1, made every page showing it fail."""
    chair = client(world, "chair")
    made = chair.post(
        KPIS, {**NEW_KPI, "values_expected_from": "1370-11-13"}, format="json"
    )
    assert made.status_code == 400
    assert "values_expected_from" in error_of(made)["fields"]
    url = f"{KPIS}{world.reported.pk}/"
    changed = chair.patch(
        url,
        {"values_expected_from": "1370-11-13"},
        format="json",
        HTTP_IF_MATCH=etag(world.reported),
    )
    assert changed.status_code == 400
    retired = chair.post(
        f"{url}retire/", {"retired_on": "0001-01-01", "reason": "x"}, format="json"
    )
    assert retired.status_code == 400
    assert "retired_on" in error_of(retired)["fields"]
    assert client(world, "anonymous").get("/api/v1/workstreams/").status_code == 200
