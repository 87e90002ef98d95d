"""Invitation services: who may invite, the token (only its hash stored), the
expiry, one open invitation per address, withdraw, resend, and accepting once."""

import datetime as dt
import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from marmot import roles
from marmot.principals import principal_for
from tests.workstreams.factories import (
    PlaceFactory,
    UserFactory,
    WorkstreamFactory,
    organisation_in_every_workstream,
)
from workstreams import rules, services
from workstreams.models import Invitation, OrganisationMembership
from workstreams.services.invitations import InvitationNotUsable, invitation_status

pytestmark = pytest.mark.django_db
User = get_user_model()
STRONG = "amber-kettle-orbit-97"


@pytest.fixture
def people(role_users):
    PlaceFactory(service_name="Testshire Health Equity")
    own, other = WorkstreamFactory(), WorkstreamFactory()
    return role_users(chair_of=own, other=other)


@pytest.fixture
def org(people):
    """An organisation in both chairs' workstreams."""
    return organisation_in_every_workstream("Testshire Food Bank")


@pytest.fixture
def invite(people, org, django_capture_on_commit_callbacks):
    """``invite(email=..., by=role)`` → (invitation, token from the email)."""

    def make(email="new.partner@example.org", by="officer", organisation=None):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_create(
                email=email,
                organisation=organisation or org,
                invited_by=people[by],
            )
        assert len(mail.outbox) == before + 1
        return invitation, token_in(mail.outbox[-1].body)

    return make


def token_in(body: str) -> str:
    return re.search(r"/invitations/accept/([A-Za-z0-9_-]+)/", body).group(1)


def accept(token, **overrides):
    values = {
        "token": token,
        "username": "nadia",
        "password": STRONG,
        "first_name": "Nadia",
        "last_name": "Rahman",
        **overrides,
    }
    return services.invitation_accept(**values)


@override_settings(SITE_URL="https://marmot.example.org", INVITATION_EXPIRY_DAYS=3)
def test_the_email_carries_the_link_and_only_the_hash_is_stored(invite, people):
    before = timezone.now()
    invitation, token = invite()
    message = mail.outbox[-1]
    assert message.to == ["new.partner@example.org"]
    assert message.subject == "You are invited to Testshire Health Equity"
    assert f"https://marmot.example.org/invitations/accept/{token}/" in message.body
    assert "Testshire Food Bank" in message.body
    assert len(token) >= 43  # token_urlsafe(32)
    invitation.refresh_from_db()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [
        str(v) for v in Invitation.objects.values().get(pk=invitation.pk).values()
    ]
    history = [str(v) for row in invitation.history.values() for v in row.values()]
    assert not any(token in value for value in stored + history)
    expected = before + dt.timedelta(days=3)
    assert abs(invitation.expires_at - expected) < dt.timedelta(seconds=5)
    assert invitation.invited_by == people["officer"]
    assert invitation_status(invitation) == "open"


def test_a_chair_of_any_workstream_may_invite_and_other_roles_may_not(
    invite, people, org
):
    assert invite(by="chair")[0].invited_by == people["chair"]
    assert invite(email="b@example.org", by="other_chair")[0].pk
    for role in ("partner", "oversight"):
        with pytest.raises(PermissionDenied):
            services.invitation_create(
                email="x@example.org", organisation=org, invited_by=people[role]
            )
    chair_of_nothing = UserFactory()
    chair_of_nothing.groups.add(roles.roles_ensure_groups()[roles.WORKSTREAM_CHAIR])
    assert not rules.can_invite_partners(chair_of_nothing)
    assert Invitation.objects.count() == 2


def test_an_address_with_an_account_is_refused_whatever_its_case(people, org):
    UserFactory(email="Someone@Example.org")
    with pytest.raises(ValidationError) as caught:
        services.invitation_create(
            email="someone@EXAMPLE.org", organisation=org, invited_by=people["officer"]
        )
    assert "already has an account" in caught.value.message_dict["email"][0]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_new_invitation_withdraws_the_open_one_to_the_same_address(invite):
    first, first_token = invite(email="Same@example.org")
    second, second_token = invite(email="same@example.org")
    first.refresh_from_db()
    assert invitation_status(first) == "withdrawn"
    assert invitation_status(second) == "open"
    with pytest.raises(InvitationNotUsable) as caught:
        accept(first_token)
    assert caught.value.status == 410
    assert accept(second_token).email == "same@example.org"


def test_accepting_makes_the_partner_account_membership_and_role(invite, org):
    invitation, token = invite(email="new.partner@example.org")
    user = accept(token)
    assert (user.username, user.email) == ("nadia", "new.partner@example.org")
    assert (user.first_name, user.last_name) == ("Nadia", "Rahman")
    assert user.check_password(STRONG)
    assert OrganisationMembership.objects.get(user=user).organisation == org
    assert list(user.groups.values_list("name", flat=True)) == [roles.PARTNER]
    principal = principal_for(User.objects.get(pk=user.pk))
    assert principal.is_partner and principal.organisation_id == org.pk
    invitation.refresh_from_db()
    assert invitation.user == user and invitation.accepted_at is not None
    assert invitation_status(invitation) == "accepted"


def test_a_link_works_once_the_second_use_is_refused_and_changes_nothing(invite):
    """Two uses of one link (SQLite cannot race: the row lock is exercised on
    PostgreSQL; here, the already-used path the loser takes)."""
    _invitation, token = invite()
    accept(token)
    with pytest.raises(InvitationNotUsable) as caught:
        accept(token, username="someone-else")
    assert caught.value.status == 410
    assert "already been used" in caught.value.message
    assert not User.objects.filter(username="someone-else").exists()
    assert OrganisationMembership.objects.filter(user__username="nadia").count() == 1


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ("expire", 410, "expired"),
        ("withdraw", 410, "withdrawn"),
        ("unknown", 404, "not valid"),
    ],
)
def test_an_unusable_link_is_refused_with_a_clear_message(
    invite, people, change, status, words
):
    invitation, token = invite()
    if change == "expire":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )
    elif change == "withdraw":
        services.invitation_withdraw(invitation=invitation, user=people["officer"])
    else:
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(InvitationNotUsable) as caught:
        accept(token)
    assert caught.value.status == status
    assert words in caught.value.message
    assert not User.objects.filter(username="nadia").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short"),
        ("password1234", "This password is too common"),
        ("804219376512", "This password is entirely numeric"),
        ("new.partner@example.org", "too similar to the email address"),
    ],
)
def test_a_weak_password_is_refused_on_the_password_field_and_nothing_made(
    invite, org, password, message
):
    invitation, token = invite()
    with pytest.raises(ValidationError) as caught:
        accept(token, password=password)
    errors = caught.value.message_dict
    assert any(message in text for text in errors["password"])
    assert not User.objects.filter(username="nadia").exists()
    assert not OrganisationMembership.objects.filter(organisation=org).exists()
    invitation.refresh_from_db()
    assert invitation_status(invitation) == "open"
    assert accept(token).username == "nadia"  # still usable


def test_a_taken_username_and_missing_names_are_field_errors(invite):
    _invitation, token = invite()
    UserFactory(username="Nadia")
    users = User.objects.count()
    with pytest.raises(ValidationError) as caught:
        accept(token, first_name=" ", last_name="")
    errors = caught.value.message_dict
    assert errors["username"] == ["That username is taken: choose another"]
    assert errors["first_name"] == ["Enter your first name"]
    assert errors["last_name"] == ["Enter your last name"]
    assert User.objects.count() == users


def test_accepting_is_refused_if_the_address_got_an_account_meanwhile(invite):
    _invitation, token = invite(email="late@example.org")
    UserFactory(email="LATE@example.org")
    with pytest.raises(ValidationError, match="already has an account"):
        accept(token)
    assert not User.objects.filter(username="nadia").exists()


def test_withdraw_and_resend_by_the_sender_or_an_officer_only(invite, people):
    invitation, _token = invite(by="chair")
    assert rules.can_manage_invitation(people["chair"], invitation)
    for role in ("other_chair", "partner", "oversight"):
        with pytest.raises(PermissionDenied):
            services.invitation_withdraw(invitation=invitation, user=people[role])
        with pytest.raises(PermissionDenied):
            services.invitation_resend(invitation=invitation, user=people[role])
    services.invitation_withdraw(invitation=invitation, user=people["chair"])
    invitation.refresh_from_db()
    assert invitation_status(invitation) == "withdrawn"
    with pytest.raises(ValidationError, match="was withdrawn"):
        services.invitation_withdraw(invitation=invitation, user=people["officer"])
    with pytest.raises(ValidationError, match="was withdrawn"):
        services.invitation_resend(invitation=invitation, user=people["officer"])


@override_settings(INVITATION_EXPIRY_DAYS=7)
def test_resend_gives_a_new_link_and_expiry_and_the_old_link_stops(
    invite, people, django_capture_on_commit_callbacks
):
    invitation, old_token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    old_hash = invitation.token_hash
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, user=people["officer"])
    invitation.refresh_from_db()
    new_token = token_in(mail.outbox[-1].body)
    assert new_token != old_token and invitation.token_hash != old_hash
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=6)
    assert mail.outbox[-1].to == ["new.partner@example.org"]
    with pytest.raises(InvitationNotUsable) as caught:
        accept(old_token)
    assert caught.value.status == 404
    assert accept(new_token).username == "nadia"
    invitation.refresh_from_db()
    with pytest.raises(ValidationError, match="already been accepted"):
        services.invitation_resend(invitation=invitation, user=people["officer"])
    with pytest.raises(ValidationError, match="already been accepted"):
        services.invitation_withdraw(invitation=invitation, user=people["officer"])


def test_nothing_is_emailed_when_the_transaction_rolls_back(people, org):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.invitation_create(
            email="x@example.org", organisation=org, invited_by=people["officer"]
        )
        raise RuntimeError
    assert mail.outbox == []
    assert not Invitation.objects.exists()
