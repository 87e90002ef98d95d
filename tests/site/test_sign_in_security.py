"""Sign-in security: django-axes locks out after repeated failures (a 429 page
in the site's design that reveals nothing about accounts), sign-in POSTs are
rate-limited, passwords meet Django's four validators, and every form needs
its CSRF token."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.workstreams.factories import OrganisationFactory, UserFactory
from tests.workstreams.fixtures import build_world
from workstreams import services
from workstreams.models import Invitation, Workplan, WorkplanComment

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
PASSWORD = "correct-horse-battery-staple"  # the UserFactory's
WRONG = "wrong-password-1"
LOCKOUT = {"AXES_ENABLED": True, "AXES_FAILURE_LIMIT": 3}


def sign_in(client, username, password=WRONG):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@override_settings(**LOCKOUT)
def test_locked_out_after_the_failure_limit_even_with_the_right_password(client):
    UserFactory(username="nadia")
    for _ in range(2):
        response = sign_in(client, "nadia")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    locked = sign_in(client, "nadia")  # the third failure
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Sign-in locked" in html
    assert "Wait 1 hour, then try again." in html
    assert 'class="govuk-heading-l"' in html and "govuk-footer" in html
    assert "no-store" in locked["Cache-Control"]
    right = sign_in(client, "nadia", PASSWORD)
    assert right.status_code == 429 and not signed_in(client)


@override_settings(**LOCKOUT)
def test_the_lockout_page_is_the_same_for_unknown_usernames():
    UserFactory(username="nadia")
    known, unknown = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    for _ in range(3):
        known_page = sign_in(known, "nadia")
        unknown_page = sign_in(unknown, "nobody-by-this-name")
    assert known_page.status_code == unknown_page.status_code == 429

    def main(response):
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert main(known_page) == main(unknown_page)
    assert "nadia" not in main(known_page)
    assert "nobody-by-this-name" not in main(unknown_page)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_success_before_the_limit_signs_in(client):
    UserFactory(username="nadia")
    sign_in(client, "nadia")
    response = sign_in(client, "nadia", PASSWORD)
    assert response.status_code == 302 and signed_in(client)


@override_settings(RATE_LIMITS={"login": "2/hour", "invitation": "20/hour"})
def test_sign_in_posts_are_rate_limited(client):
    UserFactory(username="nadia")
    assert sign_in(client, "nadia").status_code == 200
    assert sign_in(client, "nadia").status_code == 200
    refused = sign_in(client, "nadia", PASSWORD)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert not signed_in(client)
    assert client.get(LOGIN).status_code == 200  # reading the form is not counted


def test_passwords_must_pass_djangos_four_validators():
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] >= 12


def test_every_form_refuses_a_post_without_its_csrf_token(role_users):
    world = build_world(role_users, own_status=Workplan.Status.CONSULTATION)
    officer = world.users["officer"]
    invitation = services.invitation_create(
        email="guest@example.org",
        organisation=OrganisationFactory(),
        invited_by=officer,
    )

    def forged(user, url, data):
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        return client.post(url, data)

    UserFactory(username="nadia")
    checks = [
        (None, LOGIN, {"username": "nadia", "password": PASSWORD}),
        (
            officer,
            reverse("invitation-create"),
            {"email": "x@example.org", "organisation": world.org.pk},
        ),
        (officer, reverse("invitation-withdraw", args=[invitation.pk]), {}),
        (officer, reverse("invitation-resend", args=[invitation.pk]), {}),
        (
            None,
            reverse("invitation-accept", args=["any-token"]),
            {"username": "x", "password": "y"},
        ),
        (
            world.users["partner"],
            reverse("workplan-comments", args=[world.workplan.pk]),
            {"body": "Forged"},
        ),
    ]
    for user, url, data in checks:
        assert forged(user, url, data).status_code == 403, url
    assert Invitation.objects.count() == 1
    assert Invitation.objects.get().withdrawn_at is None
    assert not WorkplanComment.objects.exists()
