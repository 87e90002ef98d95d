"""django-axes locks a username *at an address* (issue 14, finding 12): wrong
passwords for one account from one address must not lock that account
everywhere, nor lock everyone else at that address (behind the TLS proxy,
every user shares one). The 429 pages say how long is really left."""

import datetime as dt
import time

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings

from tests.workstreams.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery-staple"  # the UserFactory's
LOCKOUT = {"AXES_ENABLED": True, "AXES_FAILURE_LIMIT": 3, "AXES_COOLOFF_TIME": 1.0}
A, B = "192.0.2.1", "192.0.2.2"
WRONG = "wrong-password-1"


def sign_in(client, username, password=WRONG):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@override_settings(**LOCKOUT)
def test_wrong_passwords_lock_that_user_at_that_address_only():
    UserFactory(username="xavier")
    UserFactory(username="yasmin")
    at_a = Client(REMOTE_ADDR=A)
    for _ in range(3):
        sign_in(at_a, "xavier")
    assert sign_in(at_a, "xavier", PASSWORD).status_code == 429
    assert not signed_in(at_a)

    xavier_at_b = Client(REMOTE_ADDR=B)
    assert sign_in(xavier_at_b, "xavier", PASSWORD).status_code == 302
    assert signed_in(xavier_at_b)

    yasmin_at_a = Client(REMOTE_ADDR=A)
    assert sign_in(yasmin_at_a, "yasmin", PASSWORD).status_code == 302
    assert signed_in(yasmin_at_a)


@override_settings(**LOCKOUT)
def test_made_up_usernames_do_not_lock_everyone_at_that_address():
    UserFactory(username="yasmin")
    at_a = Client(REMOTE_ADDR=A)
    for n in range(6):
        assert sign_in(at_a, f"made-up-{n}").status_code == 200
    yasmin_at_a = Client(REMOTE_ADDR=A)
    assert sign_in(yasmin_at_a, "yasmin", PASSWORD).status_code == 302


@override_settings(**LOCKOUT)
def test_the_lockout_page_tells_the_time_really_left():
    UserFactory(username="xavier")
    at_a = Client(REMOTE_ADDR=A)
    for _ in range(3):
        sign_in(at_a, "xavier")
    # The last failure was 20 minutes ago: 40 minutes of the hour are left.
    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)
    )
    locked = sign_in(at_a, "xavier", PASSWORD)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Wait 40 minutes, then try again." in html
    assert 2390 <= int(locked["Retry-After"]) <= 2400
    # Trying again while locked does not start the hour again.
    again = sign_in(at_a, "xavier", PASSWORD)
    assert "Wait 40 minutes, then try again." in again.content.decode()


@override_settings(**LOCKOUT)
def test_the_lock_ends_when_the_cool_off_has_passed():
    UserFactory(username="xavier")
    at_a = Client(REMOTE_ADDR=A)
    for _ in range(3):
        sign_in(at_a, "xavier")
    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61)
    )
    assert sign_in(at_a, "xavier", PASSWORD).status_code == 302


@override_settings(RATE_LIMITS={"login": "2/hour"})
def test_the_rate_limit_page_tells_the_time_left_in_its_window(monkeypatch):
    # 20 minutes into the hour's window: 40 minutes are left.
    window_start = 3600 * 500_000
    monkeypatch.setattr(time, "time", lambda: window_start + 1200.0)
    client = Client(REMOTE_ADDR=A)
    sign_in(client, "nobody")
    sign_in(client, "nobody")
    refused = sign_in(client, "nobody")
    assert refused.status_code == 429
    assert "Wait 40 minutes, then try again." in refused.content.decode()
    assert refused["Retry-After"] == "2400"


@override_settings(**LOCKOUT)
def test_a_locked_out_token_request_is_a_429_that_says_how_long():
    """The API's token endpoint is a sign-in too: once the username is locked
    at this address it answers 429 with the wait (envelope and Retry-After),
    not the 400 of a wrong password, even when the password is right."""
    UserFactory(username="xavier")
    at_a = Client(REMOTE_ADDR=A)
    token = "/api/v1/auth/token/"
    body = {"username": "xavier", "password": WRONG}
    answers = [
        at_a.post(token, body, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert answers == [400, 400, 429]  # the third failure reaches the limit
    right = {"username": "xavier", "password": PASSWORD}
    locked = at_a.post(token, right, content_type="application/json")
    assert locked.status_code == 429, locked.content
    error = locked.json()["error"]
    assert error["code"] == "locked_out"
    assert "try again in" in error["message"]
    assert 3000 < int(locked["Retry-After"]) <= 3600
    elsewhere = Client(REMOTE_ADDR=B).post(
        token, right, content_type="application/json"
    )
    assert elsewhere.status_code == 200
