"""Every endpoint × every role × every method, with the status expected.

Targets are published rows of the "own" workstream (chaired by `chair`), so a
role that may read but not write gets 403; rows hidden from a role's queryset
are 404 (see HIDDEN below); methods an endpoint does not offer are 405 for all.
DELETE targets a row nothing uses (`_delete_target`), so an allowed delete is
a 204; refusals of rows still in use are in test_deletes.py.
"""

import datetime as dt

import pytest

from tests.shared_data import rolled_back_after
from tests.workstreams.api.conftest import ROLES, build_api_world
from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    MarmotPrincipleFactory,
    OrganisationFactory,
    RecommendationFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
)
from tests.workstreams.kpi_fixtures import add_api_kpis

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """conftest.py's world, built once for the module's hundreds of cases and
    rolled back after them; what a case writes is rolled back after that case."""
    with rolled_back_after(django_db_blocker):
        world = build_api_world()
        world.update(add_api_kpis(world))
        yield world


@pytest.fixture
def world(world_once, db):
    return world_once


#           anonymous, partner, chair, other_chair, oversight, officer
ALL_200 = (200, 200, 200, 200, 200, 200)
ALL_405 = (405,) * 6
OFFICER_WRITES = (401, 403, 403, 403, 403, 200)
OFFICER_CREATES = (401, 403, 403, 403, 403, 201)
CHAIR_WRITES = (401, 403, 200, 403, 403, 200)
CHAIR_CREATES = (401, 403, 201, 403, 403, 201)
OFFICER_DELETES = (401, 403, 403, 403, 403, 204)
CHAIR_DELETES = (401, 403, 204, 403, 403, 204)
READ_ONLY = {
    "list": ALL_200,
    "detail": ALL_200,
    "post": ALL_405,
    "put": ALL_405,
    "patch": ALL_405,
    "delete": ALL_405,
}
DECIDE = (401, 403, 200, 404, 403, 200)

MATRIX = {
    "principles": {
        **READ_ONLY,
        "post": OFFICER_CREATES,
        "put": OFFICER_WRITES,
        "patch": OFFICER_WRITES,
        "delete": OFFICER_DELETES,
    },
    "organisations": {
        **READ_ONLY,
        "post": OFFICER_CREATES,
        "put": OFFICER_WRITES,
        "patch": OFFICER_WRITES,
        "delete": OFFICER_DELETES,
    },
    "workstreams": {
        **READ_ONLY,
        "post": OFFICER_CREATES,
        "put": OFFICER_WRITES,
        "patch": OFFICER_WRITES,
    },
    "logic-models": {
        **READ_ONLY,
        "post": CHAIR_CREATES,
        "put": CHAIR_WRITES,
        "patch": CHAIR_WRITES,
        # The target is a superseded version: hidden from a partner and the
        # other workstream's chair, so a 404 for them (issue 14).
        "delete": (401, 404, 403, 404, 403, 204),
    },
    "workplans": {
        **READ_ONLY,
        "post": CHAIR_CREATES,
        "put": CHAIR_WRITES,
        "patch": CHAIR_WRITES,
        "delete": OFFICER_DELETES,
    },
    "priorities": {
        **READ_ONLY,
        "post": CHAIR_CREATES,
        "put": CHAIR_WRITES,
        "patch": CHAIR_WRITES,
        "delete": CHAIR_DELETES,
    },
    "actions": {
        **READ_ONLY,
        "post": CHAIR_CREATES,
        "put": CHAIR_WRITES,
        "patch": CHAIR_WRITES,
        "delete": (401, 403, 204, 403, 403, 204),
        "archive": (401, 403, 200, 403, 403, 200),
    },
    "progress-updates": {**READ_ONLY, "post": (401, 201, 201, 403, 403, 201)},
    "recommendations": {
        **READ_ONLY,
        "post": OFFICER_CREATES,
        "put": OFFICER_WRITES,
        "patch": OFFICER_WRITES,
        "delete": OFFICER_DELETES,
    },
    "submissions": {
        "list": (401, 200, 200, 200, 200, 200),
        "detail": (401, 200, 200, 404, 200, 200),
        "post": (401, 201, 403, 403, 403, 201),
        "put": ALL_405,
        "patch": (401, 200, 403, 404, 403, 200),  # the partner's edit, resubmits
        "delete": ALL_405,
        "accept": DECIDE,
        "reject": DECIDE,
        "get accept": ALL_405,
    },
    # Output KPIs (ADR 32): public; the workstream's chairs and officers write.
    "kpis": {
        **READ_ONLY,
        "post": CHAIR_CREATES,
        "patch": CHAIR_WRITES,
        "retire": CHAIR_WRITES,
        "targets": CHAIR_WRITES,
    },
    # The target is the partner's value waiting for approval: hidden from the
    # public and the other chair; recorded by the partner's organisation and
    # the chairs, decided by the chairs; officers reopen an approved one.
    "kpi-entries": {
        "list": ALL_200,
        "detail": (404, 200, 200, 404, 200, 200),
        "post": (401, 201, 201, 403, 403, 201),
        "put": ALL_405,
        "patch": (401, 200, 200, 404, 403, 200),
        "delete": ALL_405,
        "approve": DECIDE,
        "return": DECIDE,
        "reopen": OFFICER_WRITES,
        # the other chair may not record this KPI: 400 naming the entry
        "bulk": (401, 200, 200, 400, 403, 200),
    },
}

CASES = [
    pytest.param(endpoint, method, role, expected[i], id=f"{endpoint}-{method}-{role}")
    for endpoint, methods in MATRIX.items()
    for method, expected in methods.items()
    for i, role in enumerate(ROLES)
]


def _target(world, endpoint):
    return {
        "principles": world["principle"],
        "organisations": world["org"],
        "workstreams": world["own"],
        "logic-models": world["logic_model"],
        "workplans": world["workplan"],
        "priorities": world["priority"],
        "actions": world["action"],
        "progress-updates": world["progress_update"],
        "recommendations": world["recommendation"],
        "submissions": world["submission"],
        "kpis": world["kpi"],
        "kpi-entries": world["kpi_entry"],
    }[endpoint]


def _payload(world, endpoint):
    """A valid body: new for POST, the target's own values for PUT/PATCH."""
    action = world["action"]
    return {
        "principles": {"number": 2, "title": "Fair employment and good work"},
        "organisations": {"name": "Testshire Credit Union", "kind": "vcfse"},
        "workstreams": {"slug": "money", "name": "Money and debt"},
        "logic-models": {
            "workstream": "own",
            "version": 7,
            "status": "draft",
            "hypothesis": "Good jobs, better health.",
            "items": [{"kind": "activity", "text": "Run job fairs"}],
        },
        "workplans": {
            "workstream": "own",
            "year_label": "2030/31",
            "starts_on": "2030-04-01",
            "ends_on": "2031-03-31",
            "status": "draft",
        },
        "priorities": {"workplan": world["workplan"].pk, "title": "Fair pay"},
        "actions": {
            "workplan": world["workplan"].pk,
            "title": "Living wage campaign",
            "status": "planned",
            "due_date": "2025-01-31",
        },
        "progress-updates": {
            "action": action.pk,
            "reported_on": "2024-12-01",
            "text": "Two employers signed up.",
            "status": "in_progress",
            "rag": "amber",
        },
        "recommendations": {
            "source": "evaluation",
            "number": 1,
            "text": "Publish progress every quarter.",
        },
        "submissions": {
            "workstream": "own",
            "organisation": world["org"].pk,
            "title": "Warm spaces",
            "description": "Open our hall on winter afternoons.",
            "lead_contact": "Sam Jones",
        },
        "kpis": {"workstream": "own", "name": "Employers signed up", "unit": "firms"},
        "kpi-entries": {"kpi": world["kpi"].pk, "period": "2025/26 Q3", "value": 3},
    }[endpoint]


def _update_payload(world, endpoint):
    return {
        "principles": {"number": 1, "title": "Give every child the best start"},
        "organisations": {"name": "Renamed partner", "kind": "nhs"},
        "workstreams": {"slug": "own", "name": "Renamed workstream"},
        "recommendations": {"source": "other", "number": 5, "text": "Revised."},
        "logic-models": {
            "workstream": "own",
            "version": 1,
            "status": "current",
            "hypothesis": "Revised hypothesis.",
        },
        "workplans": {
            "workstream": "own",
            "year_label": "2024/25",
            "starts_on": "2024-04-01",
            "ends_on": "2025-03-31",
            "status": "signed_off",
            "signed_off_on": "2024-03-20",
            "signed_off_at": "",  # a signed-off plan's sign-off stays (ADR 22)
        },
        "priorities": {
            "workplan": world["workplan"].pk,
            "title": "Renamed priority",
            "description": "Revised.",
        },
        "actions": {
            "workplan": world["workplan"].pk,
            "title": "Renamed action",
            "status": "in_progress",
        },
        "kpis": {"unit": "people placed"},
        "kpi-entries": {"value": 5, "note": "Corrected count"},
    }.get(endpoint, {"title": "x"})


def _delete_target(world, endpoint):
    """A row of the own workstream that nothing uses (for DELETE)."""
    own = world["own"]
    signed = {"status": "signed_off", "signed_off_on": dt.date(2026, 3, 1)}
    make = {
        "principles": lambda: MarmotPrincipleFactory(number=5),
        "organisations": OrganisationFactory,
        "logic-models": lambda: LogicModelFactory(
            workstream=own, version=9, status="superseded"
        ),
        "workplans": lambda: WorkplanFactory(
            workstream=own, year_label="2026/27", **signed
        ),
        "priorities": lambda: WorkplanPriorityFactory(workplan=world["workplan"]),
        # no progress update: one with a public record is archived (ADR 22)
        "actions": lambda: ActionFactory(workplan=world["workplan"]),
        "recommendations": lambda: RecommendationFactory(workstream=own),
    }
    return make[endpoint]() if endpoint in make else _target(world, endpoint)


def _request(client, world, endpoint, method):
    target = _target(world, endpoint)
    key = target.slug if endpoint == "workstreams" else target.pk
    collection = f"/api/v1/{endpoint}/"
    detail = f"{collection}{key}/"
    headers = {}
    if hasattr(target, "row_version"):
        headers["HTTP_IF_MATCH"] = f'"{target.row_version}"'
    if method == "list":
        return client.get(collection)
    if method == "detail":
        return client.get(detail)
    if method == "post":
        return client.post(collection, _payload(world, endpoint), format="json")
    if method in ("put", "patch"):
        body = _update_payload(world, endpoint)
        send = client.put if method == "put" else client.patch
        return send(detail, body, format="json", **headers)
    if method == "delete":
        row = _delete_target(world, endpoint)
        row_key = row.slug if endpoint == "workstreams" else row.pk
        response = client.delete(f"{collection}{row_key}/")
        gone = not type(row).objects.filter(pk=row.pk).exists()
        assert gone is (response.status_code == 204)
        return response
    if method == "accept":
        return client.post(f"{detail}accept/", {}, format="json")
    if method == "reject":
        return client.post(f"{detail}reject/", {"reason": "Out of scope."}, "json")
    if method == "archive":
        return client.post(f"{detail}archive/")
    if method in ("approve", "return", "reopen"):
        if method == "reopen":
            target = world["kpi_approved_entry"]
            detail = f"{collection}{target.pk}/"
        body = {} if method == "approve" else {"reason": "Check the count."}
        return client.post(
            f"{detail}{method}/",
            body,
            format="json",
            HTTP_IF_MATCH=f'"{target.row_version}"',
        )
    if method == "retire":
        body = {"retired_on": "2027-04-01", "reason": "Replaced."}
        return client.post(f"{detail}retire/", body, format="json")
    if method == "targets":
        body = {"year": "2025/26", "value": 20, "tolerance": 10}
        return client.post(f"{detail}targets/", body, format="json")
    if method == "bulk":
        body = {"entries": [_payload(world, endpoint)]}
        return client.post(f"{collection}bulk/", body, format="json")
    if method == "get accept":
        return client.get(f"{detail}accept/")
    raise AssertionError(method)


@pytest.mark.parametrize(("endpoint", "method", "role", "expected"), CASES)
def test_permission_matrix(world, client_for, endpoint, method, role, expected):
    response = _request(client_for(role), world, endpoint, method)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["error"]["status"] == expected


# Drafts: hidden (404) from the public, partners and other workstreams' chairs.
HIDDEN = {
    "logic-models": "draft_logic_model",
    "workplans": "draft_workplan",
    "priorities": "draft_priority",
    "actions": "draft_action",
    "progress-updates": "draft_progress_update",
}
#                 anonymous, partner, chair, other_chair, oversight, officer
HIDDEN_STATUS = (404, 404, 200, 404, 200, 200)
# Except that the partner's organisation leads the draft action: they read it
# (one rule with the site, `rules.can_view_action`) and write nothing there.
PARTNER_LEADS = {"actions"}


def _draft_read(endpoint: str, role: str) -> int:
    if role == "partner" and endpoint in PARTNER_LEADS:
        return 200
    return HIDDEN_STATUS[ROLES.index(role)]


@pytest.mark.parametrize("endpoint", HIDDEN)
@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_hidden_from_roles_that_cannot_read_them(
    world, client_for, endpoint, role
):
    target = world[HIDDEN[endpoint]]
    response = client_for(role).get(f"/api/v1/{endpoint}/{target.pk}/")
    assert response.status_code == _draft_read(endpoint, role)
    listed = client_for(role).get(f"/api/v1/{endpoint}/?page_size=500").json()
    ids = {row["id"] for row in listed["results"]}
    assert (target.pk in ids) is (_draft_read(endpoint, role) == 200)


def test_matrix_covers_every_endpoint_role_and_method():
    assert len(CASES) == 10 * 6 * 6 + 4 * 6 + (8 + 10) * 6


# Writes to a draft: 401 before login, 404 for a role that may not see it (a
# partner, another workstream's chair: never a 403 that says it exists, issue
# 14), 403 for one that reads it but writes nothing here (oversight).
#                  anonymous, partner, chair, other_chair, oversight, officer
HIDDEN_WRITE = (401, 404, 200, 404, 403, 200)


DRAFT_CHANGE = {
    "logic-models": {"workstream": "own"},
    "workplans": {"workstream": "own"},
    "priorities": {"description": "Redrafted."},
    "actions": {"rag": "amber"},
}


@pytest.mark.parametrize("endpoint", DRAFT_CHANGE)
@pytest.mark.parametrize("role", ROLES)
def test_writes_to_drafts(world, client_for, endpoint, role):
    target = world[HIDDEN[endpoint]]
    response = client_for(role).patch(
        f"/api/v1/{endpoint}/{target.pk}/",
        DRAFT_CHANGE[endpoint],
        format="json",
        HTTP_IF_MATCH=f'"{getattr(target, "row_version", 1)}"',
    )
    expected = HIDDEN_WRITE[ROLES.index(role)]
    if role == "partner" and endpoint in PARTNER_LEADS:
        expected = 403  # reads it, writes nothing there
    assert response.status_code == expected, response.content
