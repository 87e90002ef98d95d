import pytest

from tests.workstreams.factories import ActionFactory, PlaceFactory


@pytest.mark.django_db
def test_factories_build_a_place_and_an_action():
    place = PlaceFactory()
    action = ActionFactory()
    assert place.area.area_type == "local_authority"
    assert action.workplan.workstream.chair is not None
