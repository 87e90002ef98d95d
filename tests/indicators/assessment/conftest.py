"""Shared set-up for the assessment tests: a place with its benchmarks."""

import pytest

from indicators.models import Area
from tests.indicators.factories import AreaFactory
from tests.workstreams.factories import PlaceFactory


@pytest.fixture
def place():
    return PlaceFactory(
        area=AreaFactory(name="Testtown"),
        country=AreaFactory(name="England", area_type=Area.Type.COUNTRY),
        region=AreaFactory(name="Test Region", area_type=Area.Type.REGION),
        nearest_neighbours=AreaFactory(
            name="Test neighbours", area_type=Area.Type.COMPARATOR_GROUP
        ),
    )
