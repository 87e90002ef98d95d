"""Project-wide test fixtures: one user per role, the Luton programme, and a
test client signed in as a given user (used by the site and browser tests)."""

import pytest
from django.core.management import call_command

from tests.workstreams.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
)
from workstreams import roles

ROLES = ("anonymous", "partner", "chair", "other_chair", "oversight", "officer")


def user_with_role(role: str, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(roles.roles_ensure_groups()[role])
    return user


def api_token_for(user) -> str:
    """A fresh API token for ``user``, as sent in ``Authorization: Token <key>``
    (django-rest-knox: it expires after ``REST_KNOX["TOKEN_TTL"]``; ADR 0027)."""
    from knox.models import AuthToken

    return AuthToken.objects.create(user=user)[1]


@pytest.fixture
def luton(db):
    """Luton's programme and outcome measures, loaded as `make run` loads them."""
    call_command("load_luton", verbosity=0)


@pytest.fixture
def role_users(db):
    """A factory: ``role_users(chair_of=workstream, other=workstream2)`` gives a
    dict of role name to user (``None`` for anonymous). The chair chairs
    ``chair_of``; the other chair chairs ``other``; the partner belongs to
    ``organisation`` (made if not given)."""

    def make(*, chair_of=None, other=None, organisation=None):
        users = {
            "anonymous": None,
            "officer": user_with_role(roles.OFFICER, username="officer", is_staff=True),
            "oversight": user_with_role(roles.OVERSIGHT_MEMBER, username="oversight"),
            "chair": user_with_role(roles.WORKSTREAM_CHAIR, username="chair"),
            "other_chair": user_with_role(
                roles.WORKSTREAM_CHAIR, username="other_chair"
            ),
            "partner": user_with_role(roles.PARTNER, username="partner"),
        }
        OrganisationMembershipFactory(
            user=users["partner"], organisation=organisation or OrganisationFactory()
        )
        if chair_of is not None:
            chair_of.chair = users["chair"]
            chair_of.save(update_fields=["chair"])
        if other is not None:
            other.chair = users["other_chair"]
            other.save(update_fields=["chair"])
        return users

    return make


@pytest.fixture
def client_as(client):
    """``client_as(user)``: the test client signed in as ``user`` (or anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


def clients_signed_in(users: dict) -> dict:
    """A test client per role (``role_users``'s dict), each signed in before
    any visit, so tests of cached pages can visit with no write in between."""
    from django.test import Client

    clients = {role: Client() for role in users}
    for role, user in users.items():
        if user is not None:
            clients[role].force_login(user)
    return clients


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: rate-limit counters, and page bodies
    (on SQLite the data version rolls back with each test, so a body kept by
    one test could match the next)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
