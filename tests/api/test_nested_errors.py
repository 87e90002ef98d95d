"""Errors inside a list or an object in the body read as plain messages keyed
by their path (``entries[0]``, ``items[1].kind``), not Python reprs; flat
errors keep the envelope's shape."""

import pytest
from rest_framework.test import APIClient

from marmot.api.errors import flat_fields
from tests.workstreams.api.conftest import build_api_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_api_world()


@pytest.fixture
def client_for(world):
    def make(role):
        client = APIClient()
        client.force_authenticate(world["users"][role])
        return client

    return make


def test_a_null_entry_in_a_bulk_kpi_body(world, client_for):
    response = client_for("chair").post(
        "/api/v1/kpi-entries/bulk/", {"entries": [None]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "entries[0]": ["This field may not be null."]
    }


def test_a_null_priority_id_when_reordering(world, client_for):
    workplan = world["draft_workplan"]
    response = client_for("chair").post(
        f"/api/v1/workplans/{workplan.pk}/reorder-priorities/",
        {"priority_ids": [world["draft_priority"].pk, None]},
        format="json",
        HTTP_IF_MATCH=client_for("chair")
        .get(f"/api/v1/workplans/{workplan.pk}/")
        .headers["ETag"],
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == {
        "priority_ids[1]": ["This field may not be null."]
    }


def test_flat_fields_keeps_flat_errors_and_paths_nested_ones():
    assert flat_fields({"due_date": ["Enter a date."]}) == {
        "due_date": ["Enter a date."]
    }
    assert flat_fields(
        {
            "items": [{}, {"kind": ["Required."], "text": ["Too long."]}],
            "entries": {0: ["Null."], "3": {"value": ["Not a number."]}},
            "tags": ["Bad."],
        }
    ) == {
        "items[1].kind": ["Required."],
        "items[1].text": ["Too long."],
        "entries[0]": ["Null."],
        "entries[3].value": ["Not a number."],
        "tags": ["Bad."],
    }
