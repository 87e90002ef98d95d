"""Tokens for scripts, throttles, and the one error shape."""

import pytest
from rest_framework.test import APIClient

from marmot import roles
from tests.workstreams.factories import (
    ActionFactory,
    OrganisationMembershipFactory,
    UserFactory,
    WorkplanFactory,
)

pytestmark = pytest.mark.django_db


def _rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            **rates,
        },
    }


def _officer():
    user = UserFactory(username="scripts")
    user.groups.add(roles.roles_ensure_groups()[roles.OFFICER])
    return user


def test_token_for_scripts():
    _officer()
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "scripts", "password": "correct-horse-battery-staple"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    made = client.post(
        "/api/v1/organisations/", {"name": "By script", "kind": "nhs"}, format="json"
    )
    assert made.status_code == 201
    assert made.json()["name"] == "By script"


def test_wrong_password_is_400_in_the_shape():
    _officer()
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "scripts", "password": "nope"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "non_field_errors": ["Unable to log in with provided credentials."]
    }


def test_anonymous_write_is_401_with_a_challenge():
    response = APIClient().post("/api/v1/organisations/", {"name": "X"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"] == {
        "status": 401,
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
        "fields": {},
    }


def test_anonymous_reads_are_throttled(settings):
    _rates(settings, anon="2/minute")
    client = APIClient()
    assert client.get("/api/v1/principles/").status_code == 200
    assert client.get("/api/v1/principles/").status_code == 200
    response = client.get("/api/v1/principles/")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert "Retry-After" in response


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/values.csv",
        "/api/v1/values/",
        "/api/v1/indicators/",
        "/api/v1/dashboard.csv",
        "/api/v1/dashboard/",
        "/api/v1/areas/",
        "/api/v1/periods/",
    ],
)
def test_anonymous_reads_of_the_measures_are_throttled_too(settings, url):
    # The measures' lists and CSV downloads stream whole tables (review of
    # issue 18): the same anonymous rate as every other API read.
    _rates(settings, anon="1/minute")
    client = APIClient()
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"


def test_partner_writes_are_throttled_but_not_their_reads(settings):
    _rates(settings, partner_write="2/minute")
    partner = UserFactory()
    partner.groups.add(roles.roles_ensure_groups()[roles.PARTNER])
    membership = OrganisationMembershipFactory(user=partner)
    action = ActionFactory(
        workplan=WorkplanFactory(status="consultation"),
        lead_organisation=membership.organisation,
    )
    client = APIClient()
    client.force_authenticate(partner)
    body = {
        "action": action.pk,
        "reported_on": "2024-10-01",
        "text": "On track.",
        "status": "in_progress",
    }
    for _ in range(2):
        assert client.post("/api/v1/progress-updates/", body, "json").status_code == (
            201
        )
    assert client.post("/api/v1/progress-updates/", body, "json").status_code == 429
    assert client.get("/api/v1/progress-updates/").status_code == 200
    # Officers are not partners: their writes are not counted.
    officer = APIClient()
    officer.force_authenticate(_officer())
    for _ in range(3):
        assert officer.post("/api/v1/progress-updates/", body, "json").status_code == (
            201
        )
