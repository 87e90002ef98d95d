"""``GET /api/v1/me/``: the caller's own record, nobody else's (issue 18)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from marmot import roles
from tests.conftest import api_token_for, user_with_role
from tests.workstreams.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/"


def _get(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return client.get(URL)


def test_anonymous_is_a_401_in_the_envelope():
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401


def test_a_chair_reads_their_roles_and_workstreams():
    chair = user_with_role(
        roles.WORKSTREAM_CHAIR,
        username="cheryl",
        first_name="Cheryl",
        last_name="Jones",
        email="cheryl@example.org",
    )
    # display_order given: the factory's sequence passes 99 in a long run,
    # which once put "work" first (the list is by display order, then name).
    chaired = WorkstreamFactory(
        slug="housing", name="Housing", chair=chair, display_order=1
    )
    deputised = WorkstreamFactory(slug="work", name="Work", display_order=99)
    deputised.deputies.add(chair)
    other = user_with_role(roles.WORKSTREAM_CHAIR, email="other@example.org")
    WorkstreamFactory(slug="other", chair=other)  # not theirs
    body = _get(chair).json()
    assert body == {
        "id": chair.pk,
        "username": "cheryl",
        "full_name": "Cheryl Jones",
        "email": "cheryl@example.org",
        "roles": [roles.WORKSTREAM_CHAIR],
        "workstreams": [
            {"id": chaired.pk, "slug": "housing", "name": "Housing", "role": "chair"},
            {"id": deputised.pk, "slug": "work", "name": "Work", "role": "deputy"},
        ],
        "organisation": None,
    }


def test_a_partner_reads_their_organisation():
    partner = user_with_role(roles.PARTNER)
    organisation = OrganisationFactory(name="Age Concern", short_name="AC")
    OrganisationMembershipFactory(user=partner, organisation=organisation)
    body = _get(partner).json()
    assert body["roles"] == [roles.PARTNER]
    assert body["workstreams"] == []
    assert body["organisation"] == {
        "id": organisation.pk,
        "name": "Age Concern",
        "short_name": "AC",
    }


def test_a_superuser_is_an_officer():
    admin = user_with_role(roles.OVERSIGHT_MEMBER, is_superuser=True)
    assert _get(admin).json()["roles"] == [roles.OFFICER, roles.OVERSIGHT_MEMBER]


def test_the_queries_do_not_grow_with_the_workstreams():
    def count(user):
        with CaptureQueriesContext(connection) as queries:
            assert _get(user).status_code == 200
        return len(queries)

    few = user_with_role(roles.WORKSTREAM_CHAIR)
    WorkstreamFactory(chair=few)
    many = user_with_role(roles.WORKSTREAM_CHAIR)
    for _ in range(4):
        WorkstreamFactory(chair=many).deputies.add(few)
    OrganisationMembershipFactory(user=many)
    assert count(few) == count(many)
