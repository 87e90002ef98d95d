"""Invitations in the officer admin: listed without the token's hash, sent
through the service (so the email goes), resent and withdrawn by action."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.workstreams.factories import OrganisationFactory, UserFactory
from workstreams import services
from workstreams.models import Invitation
from workstreams.services.invitations import invitation_status

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:workstreams_invitation_changelist")
ADD = reverse("admin:workstreams_invitation_add")


@pytest.fixture
def officer_client(role_users, client_as):
    users = role_users()
    return users, client_as(users["officer"])


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Testshire Food Bank")


def test_adding_in_the_admin_goes_through_the_service_and_sends_the_email(
    officer_client, org, django_capture_on_commit_callbacks
):
    users, client = officer_client
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ADD, {"email": "guest@example.org", "organisation": org.pk}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.invited_by == users["officer"]
    assert len(invitation.token_hash) == 64
    assert [m.to for m in mail.outbox] == [["guest@example.org"]]
    assert "/invitations/accept/" in mail.outbox[0].body


def test_the_admin_refuses_an_address_that_has_an_account(officer_client, org):
    _users, client = officer_client
    UserFactory(email="Taken@example.org")
    response = client.post(ADD, {"email": "taken@example.org", "organisation": org.pk})
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_list_and_detail_never_show_the_hash_and_cannot_edit(officer_client, org):
    users, client = officer_client
    invitation = services.invitation_create(
        email="guest@example.org", organisation=org, invited_by=users["officer"]
    )
    listing = client.get(CHANGELIST).content.decode()
    assert "guest@example.org" in listing and "Open" in listing
    assert invitation.token_hash not in listing
    detail = client.get(
        reverse("admin:workstreams_invitation_change", args=[invitation.pk])
    )
    assert detail.status_code == 200
    html = detail.content.decode()
    assert invitation.token_hash not in html and "Token hash" not in html
    assert 'name="email"' not in html  # read-only
    delete = reverse("admin:workstreams_invitation_delete", args=[invitation.pk])
    assert client.get(delete).status_code == 403


@pytest.mark.parametrize("action", ["resend", "withdraw"])
def test_resend_and_withdraw_actions_call_the_services(
    officer_client, org, action, django_capture_on_commit_callbacks
):
    users, client = officer_client
    invitation = services.invitation_create(
        email="guest@example.org", organisation=org, invited_by=users["officer"]
    )
    old_hash = invitation.token_hash
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": action, "_selected_action": [invitation.pk]},
            follow=True,
        )
    invitation.refresh_from_db()
    page = response.content.decode()
    if action == "resend":
        assert invitation.token_hash != old_hash
        assert len(mail.outbox) == 1
        assert re.search(r"/invitations/accept/[\w-]+/", mail.outbox[0].body)
        assert "Resent 1 invitation." in page
    else:
        assert invitation_status(invitation) == "withdrawn"
        assert "Withdrew 1 invitation." in page
    # A second withdraw is refused with the service's reason.
    if action == "withdraw":
        again = client.post(
            CHANGELIST,
            {"action": "withdraw", "_selected_action": [invitation.pk]},
            follow=True,
        ).content.decode()
        assert "was withdrawn. Send a new one instead." in again


def test_the_changelist_takes_a_fixed_number_of_queries(
    officer_client, org, django_assert_max_num_queries
):
    users, client = officer_client
    for size in (2, 10):
        Invitation.objects.all().delete()
        for n in range(size):
            services.invitation_create(
                email=f"g{n}@example.org", organisation=org, invited_by=users["officer"]
            )
        with django_assert_max_num_queries(15) as queries:
            assert client.get(CHANGELIST).status_code == 200
        print(f"invitation changelist with {size} rows: {len(queries)} queries")
