"""Fixtures for the indicators API: the place, users per role, clients."""

import pytest
from rest_framework.test import APIClient

from indicators.models import Area
from marmot import roles
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TrendFactory,
)
from tests.workstreams.factories import (
    OrganisationMembershipFactory,
    PlaceFactory,
    UserFactory,
    WorkstreamFactory,
)

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


def put(indicator, area, year, value, **fields):
    defaults = {
        "lower95": value - 1,
        "upper95": value + 1,
        "count": None,
        "denominator": None,
    }
    defaults.update(fields)
    return IndicatorValueFactory(
        indicator=indicator,
        area=area,
        period=PeriodFactory(label=str(year)),
        value=value,
        **defaults,
    )


def build(place, count, **indicator_fields):
    """``count`` indicators with 2021-2023 series for the place and benchmarks."""
    made = []
    for _ in range(count):
        indicator = IndicatorFactory(**indicator_fields)
        for year in (2021, 2022, 2023):
            latest = put(indicator, place.area, year, 40.0 + year - 2021)
            put(indicator, place.country, year, 30.0)
            put(indicator, place.region, year, 41.5)
        AssessmentFactory(value=latest, result="similar")
        TrendFactory(value=latest)
        made.append((indicator, latest))
    return made


@pytest.fixture(autouse=True)
def _edits_send_the_current_etag(monkeypatch):
    """Tests of what an edit does read the row first, as a client must (ADR 40)."""
    from tests.workstreams.api.conftest import _with_current_etag

    monkeypatch.setattr(APIClient, "patch", _with_current_etag(APIClient.patch))
    monkeypatch.setattr(APIClient, "put", _with_current_etag(APIClient.put))
