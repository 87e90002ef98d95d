"""The shared layout, sign in, health check and error pages."""

import pytest
from django.db import DatabaseError

from tests.workstreams.factories import PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_header_shows_the_places_service_name_and_no_crown(client):
    PlaceFactory(service_name="Coventry — Marmot City")
    html = client.get("/accessibility/").content.decode()
    assert "Coventry — Marmot City" in html
    assert "govuk-generic-header" in html
    assert "crown" not in html.lower() and "crest" not in html.lower()
    assert "GDS Transport" not in html


def test_without_a_place_the_header_says_marmot_tracker(client):
    html = client.get("/accessibility/").content.decode()
    assert 'class="govuk-generic-header__homepage-link">Marmot Tracker<' in html


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_not_found_page_uses_the_design(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "govuk-generic-header" in html


def test_sign_in_with_blank_fields_lists_each_error_and_links_it(client):
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in html
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'aria-describedby="id_password-error"' in html


def test_sign_in_with_a_wrong_password_says_so_without_saying_which(client):
    UserFactory(username="chair1")
    response = client.post(
        "/accounts/login/", {"username": "chair1", "password": "wrong-password-1"}
    )
    assert "Enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_then_sign_out(client):
    UserFactory(username="chair1")
    response = client.post(
        "/accounts/login/",
        {"username": "chair1", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get("/accounts/logout/").status_code == 405  # only POST signs out
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_sign_in_refuses_an_offsite_next(client):
    UserFactory(username="chair1")
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {
            "username": "chair1",
            "password": "correct-horse-battery-staple",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
