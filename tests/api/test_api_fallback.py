"""Every request a client can send to /api/ is answered in JSON with the error
envelope (issue 14, finding 7): an unknown address is the envelope's 404, and
an address missing its trailing slash is a 308 to the right one (which keeps
the method and body), for every method, with DEBUG on or off. Before, Django
answered its HTML 404 page, and APPEND_SLASH failed on a POST (RuntimeError
under DEBUG, an HTML 301 the client re-sent as a GET otherwise)."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from marmot import roles
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db
METHODS = ("get", "post", "put", "patch", "delete", "options", "head")


def _client(signed_in: bool) -> APIClient:
    client = APIClient()
    if signed_in:
        client.force_authenticate(user_with_role(roles.OFFICER))
    return client


def _envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    if response.request["REQUEST_METHOD"] == "HEAD":
        return {}
    body = response.json()["error"]
    assert (body["status"], body["code"]) == (status, code)
    assert set(body) == {"status", "code", "message", "fields"}
    return body


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing/",
        "/api/v1/no-such-thing",
        "/api/v2/workstreams/",
        "/api/",
        "/api",
        "/api/v1/workstreams/housing/extra/deeper/",
    ],
)
def test_an_unknown_api_address_is_a_json_404(path, method, signed_in, debug):
    with override_settings(DEBUG=debug):
        response = getattr(_client(signed_in), method)(path)
    _envelope(response, 404, "not_found")


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("path", "to"),
    [
        ("/api/v1/logic-models", "/api/v1/logic-models/"),
        ("/api/v1/submissions/1/accept", "/api/v1/submissions/1/accept/"),
        ("/api/v1/workstreams?page=2", "/api/v1/workstreams/?page=2"),
    ],
)
def test_an_api_address_without_its_slash_is_a_308_to_it(path, to, method, debug):
    with override_settings(DEBUG=debug):
        if method in ("get", "head"):
            response = getattr(_client(True), method)(path)
        else:
            response = getattr(_client(True), method)(path, {"a": 1}, format="json")
    body = _envelope(response, 308, "trailing_slash")
    assert response["Location"] == to
    if body:
        assert to in body["message"]


def test_a_post_without_the_slash_reaches_the_view_when_followed():
    """A client that follows the 308 (as HTTP clients do, keeping the
    method) gets the view's own answer."""
    client = _client(True)
    response = client.post("/api/v1/logic-models", {}, format="json", follow=True)
    assert response.status_code == 400
    assert "workstream" in response.json()["error"]["fields"]


def test_site_pages_keep_their_own_slash_redirect(client):
    response = client.get("/measures")
    assert response.status_code == 301 and response["Location"] == "/measures/"
