"""API tokens expire, and are revoked by logging out and by every password
change (ADR 0027)."""

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marmot import roles
from tests.conftest import api_token_for, user_with_role

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOGOUT_URL = "/api/v1/auth/logout/"
LOGOUT_ALL_URL = "/api/v1/auth/logout-all/"
PASSWORD = "correct-horse-battery-staple"
NEW_PASSWORD = "a-brand-new-long-passphrase"


@pytest.fixture
def officer():
    return user_with_role(roles.OFFICER, username="scripts")


@pytest.fixture
def partner():
    return user_with_role(roles.PARTNER, username="partner")


def _token(username):
    response = APIClient().post(
        TOKEN_URL, {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def _writes(token):
    """The status of an officer's write sent with this token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(
        "/api/v1/organisations/", {"name": "By script", "kind": "nhs"}, format="json"
    )
    return response.status_code


def test_the_token_endpoint_says_when_the_token_expires(officer):
    before = timezone.now()
    body = _token("scripts")
    expiry = dt.datetime.fromisoformat(body["expiry"])
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert before + ttl <= expiry <= timezone.now() + ttl
    assert _writes(body["token"]) == 201


def test_a_token_stops_working_after_its_time_to_live(officer):
    token = _token("scripts")["token"]
    later = timezone.now() + settings.REST_KNOX["TOKEN_TTL"] + dt.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert _writes(token) == 401
    # Expired is gone for good, not just outside the window.
    assert _writes(token) == 401


def test_a_token_works_until_just_before_it_expires(officer):
    token = _token("scripts")["token"]
    almost = timezone.now() + settings.REST_KNOX["TOKEN_TTL"] - dt.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=almost):
        assert _writes(token) == 201


def test_logout_revokes_this_token_only(officer):
    first, second = _token("scripts")["token"], _token("scripts")["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.post(LOGOUT_URL).status_code == 204
    assert _writes(first) == 401
    assert _writes(second) == 201


def test_logout_all_revokes_every_token_of_the_user(officer, partner):
    first, second = _token("scripts")["token"], _token("scripts")["token"]
    partners = _token("partner")["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.post(LOGOUT_ALL_URL).status_code == 204
    assert _writes(first) == 401
    assert _writes(second) == 401
    # Another user's token is theirs to revoke.
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {partners}")
    assert other.get("/api/v1/submissions/").status_code == 200


@pytest.mark.parametrize("url", [LOGOUT_URL, LOGOUT_ALL_URL])
def test_logout_without_a_token_is_401_in_the_envelope(url, officer, client):
    response = APIClient().post(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    # A signed-in browser session is not a token: nothing to revoke.
    client.force_login(officer)
    assert client.post(url).status_code == 401


def test_setting_a_password_revokes_the_users_tokens(officer, partner):
    token = _token("scripts")["token"]
    partners = api_token_for(partner)
    officer.set_password(NEW_PASSWORD)
    officer.save()
    assert _writes(token) == 401
    # Other users' tokens, and a save that does not touch the password, keep.
    partner.first_name = "Renamed"
    partner.save()
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {partners}")
    assert other.get("/api/v1/submissions/").status_code == 200


def test_changing_the_password_on_the_site_revokes_tokens(officer, client):
    token = _token("scripts")["token"]
    client.force_login(officer)
    response = client.post(
        reverse("password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert _writes(token) == 401


def test_a_superuser_setting_a_password_in_the_admin_revokes_tokens(officer, client):
    token = _token("scripts")["token"]
    admin = user_with_role(
        roles.OFFICER, username="root", is_staff=True, is_superuser=True
    )
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[officer.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content
    assert _writes(token) == 401


def test_an_officer_resetting_a_partners_password_revokes_their_tokens(partner, client):
    token = _token("partner")["token"]
    officer = user_with_role(roles.OFFICER, username="officer", is_staff=True)
    client.force_login(officer)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[partner.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert reader.get("/api/v1/submissions/").status_code == 401


def test_the_schema_documents_token_expiry_and_logout(client):
    schema = client.get("/api/schema/?format=json").json()
    assert {LOGOUT_URL, LOGOUT_ALL_URL, TOKEN_URL} <= set(schema["paths"])
    token_post = schema["paths"][TOKEN_URL]["post"]
    ref = token_post["responses"]["200"]["content"]["application/json"]["schema"]
    component = schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]
    assert {"token", "expiry"} <= set(component["properties"])
    scheme = schema["components"]["securitySchemes"]["knoxApiToken"]
    assert "Token" in scheme.get("description", "") + scheme.get("bearerFormat", "")
    assert "204" in schema["paths"][LOGOUT_ALL_URL]["post"]["responses"]


@pytest.mark.parametrize(
    "header",
    ["Token \xff\xfe", "Token \xe9", "Token", "Token a b", "Token " + "0" * 300],
)
def test_a_malformed_token_is_401_in_the_envelope_never_500(header):
    response = APIClient().get("/api/v1/principles/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
