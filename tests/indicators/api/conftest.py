"""Fixtures for the indicators API: the place, users per role, clients."""

import pytest
from rest_framework.test import APIClient

from indicators.models import Area
from tests.indicators.factories import AreaFactory
from tests.workstreams.factories import (
    OrganisationMembershipFactory,
    PlaceFactory,
    UserFactory,
    WorkstreamFactory,
)
from workstreams import roles

ROLES = ["anonymous", "partner", "chair", "oversight", "officer"]


def user_with_role(role: str):
    """A user holding ``role`` as workstreams.rules sees it (None: anonymous)."""
    if role == "anonymous":
        return None
    groups = roles.roles_ensure_groups()
    user = UserFactory(username=f"{role}-user")
    group = {
        "partner": roles.PARTNER,
        "chair": roles.WORKSTREAM_CHAIR,
        "oversight": roles.OVERSIGHT_MEMBER,
        "officer": roles.OFFICER,
    }[role]
    user.groups.add(groups[group])
    if role == "partner":
        OrganisationMembershipFactory(user=user)
    if role == "chair":
        WorkstreamFactory(chair=user)
    return user


def client_for(role: str) -> APIClient:
    client = APIClient()
    user = user_with_role(role)
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def place():
    return PlaceFactory(
        area=AreaFactory(code="E06000001", name="Testtown"),
        country=AreaFactory(
            code="E92000001", name="England", area_type=Area.Type.COUNTRY
        ),
        region=AreaFactory(
            code="E12000001", name="Test Region", area_type=Area.Type.REGION
        ),
        nearest_neighbours=AreaFactory(
            code="NN-TEST",
            name="Test neighbours",
            area_type=Area.Type.COMPARATOR_GROUP,
        ),
    )


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def officer_client():
    return client_for("officer")
