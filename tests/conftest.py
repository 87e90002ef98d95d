"""Project-wide test fixtures: one user per role, the Luton programme, and a
test client signed in as a given user (used by the site and browser tests)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from marmot import roles
from tests.shared_data import rolled_back_after
from tests.workstreams.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
)

ROLES = ("anonymous", "partner", "chair", "other_chair", "oversight", "officer")

# Every /api/v1/ response a test receives is checked against the OpenAPI
# schema (issue 18; opt out: @pytest.mark.schema_unchecked(reason=...)).
pytest_plugins = ["tests.api.schema_validation"]


def user_with_role(role: str, **kwargs):
    user = UserFactory(**kwargs)
    # The role groups exist from migrate (post_migrate, with the officers'
    # permissions); set them up again only if a test removed them.
    group = Group.objects.filter(name=role).first() or roles.roles_ensure_groups()[role]
    user.groups.add(group)
    return user


def api_token_for(user) -> str:
    """A fresh API token for ``user``, as sent in ``Authorization: Token <key>``
    (django-rest-knox: it expires after ``REST_KNOX["TOKEN_TTL"]``; ADR 0027)."""
    from knox.models import AuthToken

    return AuthToken.objects.create(user=user)[1]


@pytest.fixture
def luton(db):
    """Luton's programme and outcome measures, loaded as `make run` loads them,
    for this test alone. A module whose every test reads Luton uses
    ``luton_shared`` instead: loading Luton is slow."""
    call_command("load_luton", verbosity=0)


@pytest.fixture(scope="module")
def luton_module(django_db_setup, django_db_blocker):
    """Luton loaded once for the module (see ``luton_shared``)."""
    with rolled_back_after(django_db_blocker):
        call_command("load_luton", verbosity=0)
        yield


@pytest.fixture
def luton_shared(luton_module, db):
    """Luton's programme and outcome measures, loaded once for the module and
    rolled back after it; what a test writes on top is rolled back after that
    test. Every test of the module must use it (``pytestmark``), since the rows
    stay loaded for the tests that run after the first one that asks for it;
    ``pytest_collection_modifyitems`` below refuses a module that mixes."""


def pytest_collection_modifyitems(config, items):
    by_module = {}
    for item in items:
        uses = "luton_shared" in getattr(item, "fixturenames", ())
        by_module.setdefault(item.module.__name__, set()).add(uses)
    mixed = sorted(name for name, uses in by_module.items() if len(uses) > 1)
    if mixed:
        raise pytest.UsageError(
            "Every test of a module that uses luton_shared must use it (put it "
            f"in pytestmark) or none: {', '.join(mixed)}"
        )


def make_role_users(*, chair_of=None, other=None, organisation=None):
    """A dict of role name to a new user (``None`` for anonymous). The chair
    chairs ``chair_of``; the other chair chairs ``other``; the partner belongs
    to ``organisation`` (made if not given). ``role_users`` in a test; called
    directly by fixtures that build a world once for a module."""
    users = {
        "anonymous": None,
        "officer": user_with_role(roles.OFFICER, username="officer", is_staff=True),
        "oversight": user_with_role(roles.OVERSIGHT_MEMBER, username="oversight"),
        "chair": user_with_role(roles.WORKSTREAM_CHAIR, username="chair"),
        "other_chair": user_with_role(roles.WORKSTREAM_CHAIR, username="other_chair"),
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


@pytest.fixture
def role_users(db):
    """A factory: ``role_users(chair_of=workstream, other=workstream2)`` gives a
    dict of role name to user (``None`` for anonymous); see
    ``make_role_users``."""
    return make_role_users


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


@pytest.fixture
def today_is(monkeypatch):
    """``today_is(date)``: ``timezone.localdate()`` answers ``date`` (the live
    server's pages too: it runs in this process), so calendars that reckon from
    today (output KPIs' open and overdue periods) are fixed in a test."""
    real = timezone.localdate

    def set_today(day):
        def localdate(value=None, timezone=None):
            return day if value is None else real(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)

    return set_today


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
