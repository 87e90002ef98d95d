"""A database that cannot be reached answers 503 with Retry-After (the site's
page, or the API's JSON error); any other failure is still a 500."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def failing(exc):
    def fail(*args, **kwargs):
        raise exc

    return fail


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "exc", [OperationalError("server closed the connection"), InterfaceError("gone")]
)
def test_a_page_says_unavailable_and_when_to_retry(client, monkeypatch, exc):
    monkeypatch.setattr("workstreams.views.changes.changes_page", failing(exc))
    response = client.get("/changes/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Sorry, the service is unavailable" in body
    assert "server closed" not in body  # nothing of the error leaks


@pytest.mark.schema_unchecked(
    reason="a database outage simulated on purpose: the 503 is the server's, not "
    "an operation's documented answer"
)
def test_the_api_answers_its_json_error_shape(client, monkeypatch):
    monkeypatch.setattr(
        "indicators.api.views.dashboard.dashboard_entries",
        failing(OperationalError("could not connect to server")),
    )
    response = client.get("/api/v1/dashboard/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "error": {
            "status": 503,
            "code": "service_unavailable",
            "message": "The service is briefly unavailable. Try again in 5 seconds.",
            "fields": {},
        }
    }


def test_other_failures_are_still_a_500(client, monkeypatch):
    monkeypatch.setattr(
        "workstreams.views.changes.changes_page", failing(ZeroDivisionError())
    )
    response = client.get("/changes/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Sorry, there is a problem with the service" in response.content.decode()
    api = client.get("/api/v1/dashboard/?today=not-a-date")
    assert api.status_code == 400  # a bad request is still the client's error


@pytest.mark.schema_unchecked(
    reason="a server failure simulated on purpose: a 500 is never a documented answer"
)
def test_an_api_failure_is_a_json_500(client, monkeypatch):
    monkeypatch.setattr(
        "indicators.api.views.dashboard.dashboard_entries", failing(ZeroDivisionError())
    )
    response = client.get("/api/v1/dashboard/")
    assert response.status_code == 500
    assert response.json()["error"]["status"] == 500
