"""Every signed-in user changes their own password on the site (ADR 0027): a
GOV.UK form linked from the header; this browser stays signed in, every other
session and API token is signed out."""

import pytest
from django.test import Client
from django.urls import reverse

from marmot import roles
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db
URL = reverse("password-change")
PASSWORD = "correct-horse-battery-staple"  # the UserFactory's
NEW_PASSWORD = "a-brand-new-long-passphrase"


@pytest.fixture
def partner():
    return user_with_role(roles.PARTNER, username="partner")


def change(client, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(
        URL,
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": new if again is None else again,
        },
    )


def test_the_page_is_a_govuk_form_for_the_signed_in_user(client, partner):
    client.force_login(partner)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Change your password</h1>' in html
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in html
    assert 'class="govuk-input' in html
    assert 'autocomplete="current-password"' in html
    assert 'autocomplete="new-password"' in html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_a_partner_changes_their_password(client, partner):
    elsewhere = Client()
    elsewhere.force_login(partner)
    client.force_login(partner)
    response = change(client)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Your password has been changed" in page.content.decode()
    partner.refresh_from_db()
    assert partner.check_password(NEW_PASSWORD)
    # This browser stays signed in; any other session is signed out.
    assert client.get(URL).status_code == 200
    assert elsewhere.get(URL).status_code == 302


def test_a_wrong_current_password_changes_nothing(client, partner):
    client.force_login(partner)
    response = change(client, old="not-my-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Your current password is incorrect" in html
    partner.refresh_from_db()
    assert partner.check_password(PASSWORD)


@pytest.mark.parametrize(
    "new, again, message",
    [
        ("a-brand-new-long-passphrase", "something-else-entirely", "do not match"),
        ("short", "short", "too short"),
        ("", "", "Enter a new password"),
    ],
)
def test_a_bad_new_password_says_what_is_wrong(client, partner, new, again, message):
    client.force_login(partner)
    response = change(client, new=new, again=again)
    assert response.status_code == 200
    assert message in response.content.decode()
    partner.refresh_from_db()
    assert partner.check_password(PASSWORD)


@pytest.mark.parametrize("role", [roles.PARTNER, roles.WORKSTREAM_CHAIR])
def test_the_header_links_to_the_page_when_signed_in(client, role):
    assert f'href="{URL}"' not in client.get(reverse("accessibility")).content.decode()
    client.force_login(user_with_role(role))
    html = client.get(reverse("accessibility")).content.decode()
    assert f'href="{URL}"' in html
