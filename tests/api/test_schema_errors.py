"""What the API fuzzer (test_fuzz.py) found, pinned as plain tests: the schema
documents the error answers, nullable links are nullable, and a path segment
the router used to refuse is the API's JSON 404, not the site's HTML page."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ERROR_REF = {"$ref": "#/components/schemas/ApiError"}


@pytest.fixture
def schema(client):
    return client.get("/api/schema/?format=json").json()


def _json_schema(response):
    return response["content"]["application/json"]["schema"]


def test_every_operation_documents_the_error_envelope(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in ("401", "404", "429"):
                assert _json_schema(responses[code]) == ERROR_REF, (method, path)
    envelope = schema["components"]["schemas"]["ApiErrorDetail"]
    assert set(envelope["properties"]) == {"status", "code", "message", "fields"}


def test_checked_updates_document_precondition_answers(schema):
    patch = schema["paths"]["/api/v1/actions/{id}/"]["patch"]["responses"]
    assert {"412", "428"} <= set(patch)
    assert "412" not in schema["paths"]["/api/v1/actions/"]["get"]["responses"]


def test_a_view_keeps_the_error_codes_it_documents(schema):
    delete = schema["paths"]["/api/v1/principles/{id}/"]["delete"]["responses"]
    assert "still in use" in delete["400"]["description"]
    assert _json_schema(delete["404"]) == ERROR_REF


def test_nullable_area_links_are_documented_nullable(schema):
    components = schema["components"]["schemas"]
    assert components["Area"]["properties"]["parent"]["nullable"] is True
    benchmark = components["Assessment"]["properties"]["benchmark_area"]
    assert benchmark["nullable"] is True


@pytest.mark.parametrize(
    "path", ["/api/v1/workstreams/no.such-slug/", "/api/v1/indicators/no.such/"]
)
def test_a_dotted_lookup_is_the_api_json_404(path, role_users):
    client = APIClient()
    client.force_authenticate(role_users()["officer"])
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 404


def test_a_null_character_in_a_slug_is_a_field_error_not_a_server_error(role_users):
    """PostgreSQL cannot compare text holding NUL: the lookup used to be a 500."""
    from tests.workstreams.factories import WorkstreamFactory
    from workstreams.models import Workplan

    WorkstreamFactory(slug="housing")
    officer = role_users()["officer"]
    client = APIClient()
    client.force_authenticate(officer)
    response = client.post(
        "/api/v1/workplans/",
        {
            "workstream": "hous\x00ing",
            "year_label": "2026/27",
            "starts_on": "2026-04-01",
            "ends_on": "2027-03-31",
        },
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["workstream"] == ["Null characters are not allowed."]
    assert not Workplan.objects.exists()
