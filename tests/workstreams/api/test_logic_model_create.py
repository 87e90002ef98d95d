"""POST /api/v1/logic-models/ without ``version`` (issue 14, finding 7): it
was a 500 (KeyError). Left out, the version is the workstream's next one; a
version that exists is a 400 on ``version``."""

import pytest

from workstreams.models import LogicModel

pytestmark = pytest.mark.django_db
URL = "/api/v1/logic-models/"


@pytest.mark.parametrize("role", ["chair", "officer"])
def test_a_logic_model_without_a_version_is_the_next_version(world, client_for, role):
    highest = max(
        LogicModel.objects.filter(workstream=world["own"]).values_list(
            "version", flat=True
        )
    )
    response = client_for(role).post(
        URL, {"workstream": "own", "hypothesis": "If we..."}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == highest + 1
    assert response.json()["status"] == "draft"
    as_other = "other_chair" if role == "chair" else role
    first = client_for(as_other).post(URL, {"workstream": "other"}, format="json")
    assert first.status_code == 201 and first.json()["version"] == 1


def test_an_existing_version_is_a_field_error_and_nothing_is_written(world, client_for):
    before = LogicModel.objects.count()
    response = client_for("officer").post(
        URL, {"workstream": "own", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "version": ["This version exists already."]
    }
    assert LogicModel.objects.count() == before


@pytest.mark.parametrize(
    "body", [{}, {"version": 3}, {"workstream": None}, {"workstream": "nope"}]
)
def test_other_incomplete_bodies_are_400s(world, client_for, body):
    response = client_for("officer").post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]
