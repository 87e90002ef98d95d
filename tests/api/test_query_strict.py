"""Strict query parameters on every API list (ADR 0041): what DRF and
django-filter silently ignored or read leniently is a 400 in the envelope
naming what is accepted."""

import pytest
from rest_framework.test import APIClient

from marmot import roles
from tests.conftest import user_with_role
from tests.shared_data import rolled_back_after
from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db

#: Every list endpoint (path under /api/v1/).
LISTS = [
    "principles",
    "organisations",
    "workstreams",
    "logic-models",
    "workplans",
    "priorities",
    "actions",
    "milestones",
    "progress-updates",
    "recommendations",
    "submissions",
    "kpis",
    "kpi-entries",
    "areas",
    "periods",
    "indicators",
    "values",
]
#: The lists whose rows carry a time of change (``updated_since``).
SYNCED = [name for name in LISTS if name not in ("areas", "periods")]
#: The lists filtered by workstream.
BY_WORKSTREAM = [
    "logic-models",
    "workplans",
    "priorities",
    "actions",
    "progress-updates",
    "recommendations",
    "submissions",
    "kpis",
    "kpi-entries",
    "indicators",
]
#: The lists only signed-in users read (anonymous: 401 before any filter).
SIGNED_IN_ONLY = ["submissions"]
BY_PRINCIPLE = ["workstreams", "actions", "recommendations", "indicators"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Two workstreams with a row in most lists; an officer, the chair of the
    first, and a user who chairs nothing."""
    with rolled_back_after(django_db_blocker):
        mine, other = WorkstreamFactory(), WorkstreamFactory()
        chair = user_with_role(roles.WORKSTREAM_CHAIR)
        mine.chair = chair
        mine.save(update_fields=["chair"])
        for workstream in (mine, other):
            action = ActionFactory(workplan__workstream=workstream)
            WorkplanPriorityFactory(workplan=action.workplan)
            ProgressUpdateFactory(action=action)
            MilestoneFactory(action=action)
            LogicModelFactory(workstream=workstream)
            RecommendationFactory(workstream=workstream)
        yield {
            "mine": mine,
            "officer": user_with_role(roles.OFFICER),
            "chair": chair,
            "nobody": user_with_role(roles.WORKSTREAM_CHAIR),
        }


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def officer(world):
    return client_for(world["officer"])


def refused(response, parameter: str, *words: str) -> str:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["status"] == 400
    message = " ".join(error["fields"][parameter])
    for word in words:
        assert word in message, message
    return message


# --- ordering ----------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_an_unknown_ordering_is_a_400_naming_the_accepted_ones(officer, name):
    response = officer.get(f"/api/v1/{name}/?ordering=nonsense")
    message = refused(response, "ordering", "accepted:")
    assert "nonsense" in message


def test_values_order_by_the_response_field_name(officer):
    response = officer.get("/api/v1/values/?ordering=-period_sort_key")
    assert response.status_code == 200
    refused(
        officer.get("/api/v1/values/?ordering=period__sort_key"),
        "ordering",
        "period_sort_key, -period_sort_key",
    )


def test_several_orderings_and_the_tie_breaker(officer, world):
    response = officer.get("/api/v1/actions/?ordering=-status,due_date")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == sorted(ids)  # same status and due date: by id


# --- paging ------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("size", ["0", "-1", "abc", "501", "1.5"])
def test_a_page_size_out_of_range_is_a_400_naming_the_range(officer, name, size):
    response = officer.get(f"/api/v1/{name}/?page_size={size}")
    refused(response, "page_size", "1 to 500")


@pytest.mark.parametrize("page", ["abc", "0", "-2"])
def test_a_page_that_is_not_a_whole_number_is_a_400(officer, page):
    refused(officer.get(f"/api/v1/actions/?page={page}"), "page", "whole number")


def test_a_page_past_the_last_is_a_404_naming_the_last(officer):
    response = officer.get("/api/v1/actions/?page=99")
    assert response.status_code == 404
    assert "the last page is 1" in response.json()["error"]["message"]


def test_link_headers_name_the_neighbouring_pages(officer):
    first = officer.get("/api/v1/actions/?page_size=1")
    assert first.status_code == 200
    assert first["Link"] == (
        '<http://testserver/api/v1/actions/?page=2&page_size=1>; rel="next", '
        '<http://testserver/api/v1/actions/?page=2&page_size=1>; rel="last"'
    )
    second = officer.get("/api/v1/actions/?page_size=1&page=2")
    assert second["Link"] == (
        '<http://testserver/api/v1/actions/?page_size=1>; rel="first", '
        '<http://testserver/api/v1/actions/?page_size=1>; rel="prev"'
    )
    assert second.json()["previous"] == "http://testserver/api/v1/actions/?page_size=1"
    assert "Link" not in officer.get("/api/v1/actions/")  # one page


# --- filters -----------------------------------------------------------------

BAD_VALUES = [
    ("actions", "overdue", "maybe", "`true` or `false`"),
    ("actions", "is_next_step", "yes", "`true` or `false`"),
    ("recommendations", "has_actions", "1", "`true` or `false`"),
    ("organisations", "is_anchor_institution", "maybe", "`true` or `false`"),
    ("kpis", "retired", "maybe", "true, false"),
    ("actions", "due_before", "31/01/2025", "YYYY-MM-DD"),
    ("actions", "due_after", "2025-1-31", "YYYY-MM-DD"),
    ("progress-updates", "reported_since", "01/31/2025", "YYYY-MM-DD"),
    ("actions", "status", "nope", "in_progress"),
    ("actions", "rag", "purple", "green"),
    ("workplans", "status", "nope", "draft"),
    ("logic-models", "status", "nope", "draft"),
    ("submissions", "status", "nope", "give one of"),
    ("kpi-entries", "status", "nope", "give one of"),
    ("organisations", "kind", "nope", "give one of"),
    ("recommendations", "source", "nope", "give one of"),
    ("areas", "type", "nope", "give one of"),
    ("periods", "kind", "nope", "give one of"),
    ("indicators", "kind", "nope", "give one of"),
    ("values", "area_type", "nope", "give one of"),
]


@pytest.mark.parametrize(("name", "parameter", "value", "named"), BAD_VALUES)
def test_a_filter_value_of_the_wrong_form_is_a_400_naming_the_form(
    officer, name, parameter, value, named
):
    response = officer.get(f"/api/v1/{name}/", {parameter: value})
    refused(response, parameter, named)


@pytest.mark.parametrize("value", ["true", "false", "True", "FALSE"])
def test_booleans_are_true_or_false_in_any_case(officer, value):
    assert officer.get(f"/api/v1/actions/?overdue={value}").status_code == 200


def test_an_empty_value_is_the_parameter_left_out(officer):
    everything = officer.get("/api/v1/actions/").json()["count"]
    response = officer.get("/api/v1/actions/?overdue=&status=&due_before=")
    assert response.json()["count"] == everything


@pytest.mark.parametrize("name", LISTS)
def test_an_unknown_parameter_is_a_400_naming_the_accepted_ones(officer, name):
    response = officer.get(f"/api/v1/{name}/?workstrem=x")
    refused(response, "workstrem", "page_size", "format")


@pytest.mark.schema_unchecked(reason="the browsable API's HTML is not in the schema")
def test_the_browsable_api_and_paging_parameters_are_accepted(officer):
    response = officer.get("/api/v1/actions/?format=api&page=1&page_size=5")
    assert response.status_code == 200


# --- updated_since -----------------------------------------------------------


@pytest.mark.parametrize("name", SYNCED)
def test_updated_since_keeps_the_rows_changed_since(officer, name):
    everything = officer.get(f"/api/v1/{name}/?page_size=500").json()["count"]
    since = officer.get(f"/api/v1/{name}/?updated_since=2000-01-01")
    assert since.status_code == 200
    assert since.json()["count"] == everything
    later = officer.get(f"/api/v1/{name}/?updated_since=2999-01-01T00:00:00Z")
    assert later.json()["count"] == 0
    refused(
        officer.get(f"/api/v1/{name}/?updated_since=yesterday"),
        "updated_since",
        "ISO 8601",
    )


def test_updated_since_is_not_offered_where_rows_keep_no_time(officer):
    refused(officer.get("/api/v1/areas/?updated_since=2000-01-01"), "updated_since")


# --- workstream=mine ---------------------------------------------------------


@pytest.mark.parametrize("name", BY_WORKSTREAM)
def test_mine_is_what_the_chair_chairs(world, name):
    chair = client_for(world["chair"])
    by_slug = chair.get(f"/api/v1/{name}/?workstream={world['mine'].slug}").json()
    mine = chair.get(f"/api/v1/{name}/?workstream=mine")
    assert mine.status_code == 200
    assert mine.json()["results"] == by_slug["results"]
    nobody = client_for(world["nobody"]).get(f"/api/v1/{name}/?workstream=mine")
    assert nobody.json()["count"] == 0
    anonymous = client_for().get(f"/api/v1/{name}/?workstream=mine")
    if name not in SIGNED_IN_ONLY:
        refused(anonymous, "workstream", "signed-in")
    else:
        assert anonymous.status_code == 401


@pytest.mark.parametrize("name", ["workplans", "priorities", "actions", "logic-models"])
def test_mine_finds_the_chairs_rows(world, name):
    chair = client_for(world["chair"])
    assert chair.get(f"/api/v1/{name}/?workstream=mine").json()["count"] >= 1


# --- principles --------------------------------------------------------------


@pytest.mark.parametrize("name", BY_PRINCIPLE)
def test_a_principle_is_its_number_or_overarching(officer, name):
    assert officer.get(f"/api/v1/{name}/?principle=overarching").status_code == 200
    assert officer.get(f"/api/v1/{name}/?principle=3").status_code == 200
    refused(officer.get(f"/api/v1/{name}/?principle=9"), "principle", "1 to 8")


# --- the schema --------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def parameters(schema, name: str) -> dict:
    operation = schema["paths"][f"/api/v1/{name}/"]["get"]
    return {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}


@pytest.mark.parametrize("name", LISTS)
def test_the_schema_lists_each_ordering_and_the_page_size_range(schema, name):
    found = parameters(schema, name)
    assert found["ordering"]["schema"]["enum"]
    assert "1 to 500" in found["page_size"]["description"]
    assert "default is 50" in found["page_size"]["description"]
    assert ("updated_since" in found) == (name in SYNCED)


def test_the_schema_names_values_orderings_like_its_fields(schema):
    enum = parameters(schema, "values")["ordering"]["schema"]["enum"]
    assert enum == [
        "period_sort_key",
        "-period_sort_key",
        "value",
        "-value",
        "id",
        "-id",
    ]


@pytest.mark.parametrize("name", BY_WORKSTREAM)
def test_the_schema_says_workstream_takes_a_slug_or_mine(schema, name):
    assert "`mine`" in parameters(schema, name)["workstream"]["description"]


@pytest.mark.parametrize("name", BY_PRINCIPLE)
def test_the_schema_words_the_principle_filter_alike(schema, name):
    assert parameters(schema, name)["principle"]["description"].startswith(
        "A Marmot principle's number (1-8)"
    )
