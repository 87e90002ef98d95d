"""The schema check every API test runs through (tests/api/schema_validation.py)
catches each kind of mismatch, on a small hand-written document."""

import json

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client

from tests.api.schema_validation import ApiContract, check_exchange

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/api/v1/things/{id}/": {
            "get": {
                "responses": {
                    "200": {
                        "description": "",
                        "headers": {
                            "ETag": {"required": True, "schema": {"type": "string"}}
                        },
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Thing"}
                            },
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    "4XX": {
                        "description": "",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ApiError"}
                            }
                        },
                    },
                }
            },
            "patch": {
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "due": {"type": "string", "format": "date"}
                                },
                            }
                        }
                    }
                },
                "responses": {"204": {"description": ""}},
            },
        },
        "/api/v1/things/me/": {"get": {"responses": {"204": {"description": ""}}}},
    },
    "components": {
        "schemas": {
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Thing": {
                "type": "object",
                "required": ["id", "due", "owner"],
                "properties": {
                    "id": {"type": "integer", "readOnly": True},
                    "password": {"type": "string", "writeOnly": True},
                    "due": {"type": "string", "format": "date"},
                    # drf-spectacular's old form: nullable beside allOf, no
                    # type; strict OpenAPI 3.0 ignores nullable there.
                    "owner": {
                        "allOf": [{"$ref": "#/components/schemas/Owner"}],
                        "nullable": True,
                    },
                    "nickname": {"type": "string", "nullable": True},
                },
            },
            "ApiError": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "object"}},
            },
        }
    },
}

GOOD = {"id": 1, "due": "2025-03-31", "owner": {"name": "A"}, "nickname": None}


@pytest.fixture(scope="module")
def contract():
    return ApiContract(DOCUMENT)


def json_response(body, status=200, etag=True):
    response = HttpResponse(
        json.dumps(body), content_type="application/json", status=status
    )
    if etag:
        response["ETag"] = '"1"'
    return response


def kinds(contract, method, path, response, request_body=None):
    return [
        kind
        for kind, _ in check_exchange(contract, method, path, response, request_body)
    ]


def test_a_response_that_matches_passes(contract):
    assert kinds(contract, "GET", "/api/v1/things/7/", json_response(GOOD)) == []
    assert kinds(contract, "HEAD", "/api/v1/things/7/", json_response(GOOD)) == []


def test_the_literal_path_wins_over_the_template(contract):
    assert kinds(contract, "GET", "/api/v1/things/me/", HttpResponse(status=204)) == []


def test_null_beside_allof_is_refused_with_its_pointer(contract):
    problems = check_exchange(
        contract,
        "GET",
        "/api/v1/things/7/",
        json_response({**GOOD, "owner": None}),
        None,
    )
    assert {kind for kind, _ in problems} == {"body schema"}
    assert "at /owner: None for not nullable" in problems[0][1]


def test_formats_and_types_are_checked(contract):
    bad = {**GOOD, "due": "31/03/2025", "id": "1"}
    problems = check_exchange(
        contract, "GET", "/api/v1/things/7/", json_response(bad), None
    )
    text = " ".join(message for _, message in problems)
    assert "at /due: '31/03/2025' is not a 'date'" in text
    assert "at /id: '1' is not of type 'integer'" in text


def test_a_response_has_its_required_read_only_fields_and_no_write_only(contract):
    # The plain strict validator lets a required readOnly property be missing.
    no_id = {key: value for key, value in GOOD.items() if key != "id"}
    problems = check_exchange(
        contract, "GET", "/api/v1/things/7/", json_response(no_id), None
    )
    assert [message for _, message in problems] == [
        "body at (the whole body): 'id' is a required property "
        "['required' of /components/schemas/Thing/required]"
    ]
    leaked = {**GOOD, "password": "x"}
    problems = check_exchange(
        contract, "GET", "/api/v1/things/7/", json_response(leaked), None
    )
    assert "at /password: Tried to read write-only property" in problems[0][1]


def test_an_undocumented_status_is_refused(contract):
    response = HttpResponse(status=500)
    assert kinds(contract, "GET", "/api/v1/things/7/", response) == [
        "undocumented status"
    ]


def test_a_status_range_is_documentation_enough(contract):
    response = json_response({"error": {}}, status=409, etag=False)
    assert kinds(contract, "GET", "/api/v1/things/7/", response) == []


def test_an_undeclared_content_type_is_refused(contract):
    response = HttpResponse("<p>hi</p>", content_type="text/html", status=200)
    response["ETag"] = '"1"'
    assert kinds(contract, "GET", "/api/v1/things/7/", response) == ["content type"]
    csv = HttpResponse("a,b\n", content_type="text/csv; charset=utf-8")
    csv["ETag"] = '"1"'
    assert kinds(contract, "GET", "/api/v1/things/7/", csv) == []


def test_a_streamed_body_is_checked_and_still_readable(contract):
    csv = StreamingHttpResponse(iter([b"a,b\n", b"1,2\n"]), content_type="text/csv")
    csv["ETag"] = '"1"'
    assert kinds(contract, "GET", "/api/v1/things/7/", csv) == []
    assert b"".join(csv.streaming_content) == b"a,b\n1,2\n"
    empty = StreamingHttpResponse(iter([]), content_type="text/csv")
    empty["ETag"] = '"1"'
    assert kinds(contract, "GET", "/api/v1/things/7/", empty) == ["empty body"]


def test_a_required_header_must_be_sent(contract):
    response = json_response(GOOD, etag=False)
    assert kinds(contract, "GET", "/api/v1/things/7/", response) == ["missing header"]


def test_an_undocumented_operation_may_only_refuse(contract):
    assert kinds(contract, "GET", "/api/v1/nothing/", json_response(GOOD)) == [
        "undocumented operation"
    ]
    assert kinds(contract, "DELETE", "/api/v1/things/7/", HttpResponse(status=204)) == [
        "undocumented operation"
    ]
    not_found = json_response({"error": {}}, status=404, etag=False)
    assert kinds(contract, "GET", "/api/v1/nothing/", not_found) == []
    bare = json_response({"detail": "Not found."}, status=404, etag=False)
    assert kinds(contract, "GET", "/api/v1/nothing/", bare) == ["error envelope"]


def test_an_accepted_request_body_must_match_the_request_schema(contract):
    accepted = HttpResponse(status=204)
    assert (
        kinds(
            contract, "PATCH", "/api/v1/things/7/", accepted, b'{"due": "2025-01-31"}'
        )
        == []
    )
    assert kinds(
        contract, "PATCH", "/api/v1/things/7/", accepted, b'{"due": "31/01/2025"}'
    ) == ["request body"]


def test_the_test_client_is_checked():
    assert hasattr(Client.request, "__wrapped__")


@pytest.mark.django_db
def test_a_real_response_outside_the_contract_is_caught(client):
    """End to end through the test client: the browsable API's HTML is not in
    the schema, so the check records it (and this test takes it back)."""
    from tests.api import schema_validation

    response = client.get("/api/v1/principles/?format=api")
    assert response["Content-Type"].startswith("text/html")
    caught = list(schema_validation._state.mismatches)
    schema_validation._state.mismatches.clear()
    assert len(caught) == 1
    assert caught[0].startswith(
        "GET /api/v1/principles/ -> 200 (operation GET /api/v1/principles/)\n"
        "  content type: Content-Type text/html not declared"
    )
