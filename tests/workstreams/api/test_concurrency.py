"""No lost updates: ETags on read, If-Match on write, 428/412 otherwise."""

import pytest

from marmot.services import StaleRowVersion
from workstreams import services
from workstreams.models import Action, LogicModel, Workplan

pytestmark = pytest.mark.django_db

ROWS = [
    ("actions", "action", {"title": "Renamed"}, "title"),
    # A draft: a signed-off plan's year and sign-off are the record (ADR 22).
    ("workplans", "draft_workplan", {"year_label": "2031/32"}, "year_label"),
    ("logic-models", "logic_model", {"hypothesis": "Revised."}, "hypothesis"),
]


@pytest.mark.parametrize(("endpoint", "key", "change", "field"), ROWS)
def test_get_sends_etag_and_a_matching_write_bumps_it(
    world, client_for, endpoint, key, change, field
):
    client = client_for("chair")
    url = f"/api/v1/{endpoint}/{world[key].pk}/"
    etag = client.get(url)["ETag"]
    assert etag == '"1"'
    response = client.patch(url, change, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()[field] == change[field]
    assert response.json()["row_version"] == 2
    assert response["ETag"] == '"2"'


@pytest.mark.parametrize(("endpoint", "key", "change", "field"), ROWS)
def test_write_without_etag_is_428(world, client_for, endpoint, key, change, field):
    url = f"/api/v1/{endpoint}/{world[key].pk}/"
    response = client_for("chair").patch(url, change, format="json")
    assert response.status_code == 428
    assert response.json()["error"]["code"] == "precondition_required"


@pytest.mark.parametrize(("endpoint", "key", "change", "field"), ROWS)
def test_stale_write_is_412_and_changes_nothing(
    world, client_for, endpoint, key, change, field
):
    row = world[key]
    before = getattr(row, field)
    url = f"/api/v1/{endpoint}/{row.pk}/"
    response = client_for("chair").patch(
        url, change, format="json", HTTP_IF_MATCH='"0"'
    )
    assert response.status_code == 412
    assert response.json()["error"]["code"] == "precondition_failed"
    row.refresh_from_db()
    assert getattr(row, field) == before
    assert row.row_version == 1


def test_row_version_in_the_body_stands_for_if_match(world, client_for):
    url = f"/api/v1/actions/{world['action'].pk}/"
    client = client_for("officer")
    ok = client.patch(url, {"rag": "red", "row_version": 1}, format="json")
    assert ok.status_code == 200
    assert ok.json()["rag"] == "red"
    stale = client.patch(url, {"rag": "amber", "row_version": 1}, format="json")
    assert stale.status_code == 412
    assert Action.objects.get(pk=world["action"].pk).rag == "red"


def test_second_of_two_racing_writers_loses_in_the_service(world):
    """Both read version 1; the first write wins, the second is refused."""
    first = Action.objects.get(pk=world["action"].pk)
    second = Action.objects.get(pk=world["action"].pk)
    services.action_update(action=first, title="First", expected_row_version=1)
    with pytest.raises(StaleRowVersion):
        services.action_update(action=second, title="Second", expected_row_version=1)
    row = Action.objects.get(pk=first.pk)
    assert (row.title, row.row_version) == ("First", 2)


def test_stale_workplan_and_logic_model_writes_are_refused(world):
    with pytest.raises(StaleRowVersion):
        services.workplan_update(
            workplan=world["workplan"], expected_row_version=5, signed_off_at="X"
        )
    assert Workplan.objects.get(pk=world["workplan"].pk).signed_off_at == ""
    logic_model = world["logic_model"]
    with pytest.raises(StaleRowVersion):
        services.logic_model_upsert(
            workstream=logic_model.workstream,
            version=1,
            status="current",
            hypothesis="Overwritten",
            expected_row_version=9,
        )
    assert LogicModel.objects.get(pk=logic_model.pk).hypothesis == (
        "Better work improves health."
    )


def test_put_without_items_keeps_the_logic_model_items(world, client_for):
    logic_model = world["logic_model"]
    response = client_for("chair").put(
        f"/api/v1/logic-models/{logic_model.pk}/",
        {"workstream": "own", "version": 1, "status": "current", "context": "C"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.content
    assert [i["text"] for i in response.json()["items"]] == [world["activity"].text]
