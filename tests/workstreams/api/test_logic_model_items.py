"""PATCH /api/v1/logic-models/<id>/ with an item missing ``kind`` or ``text``
was a 500 (KeyError); it is a 400 naming ``items[N].kind``, nothing changed.
A version beyond the field's range is a 400 too (SQLite stored it)."""

import pytest

from workstreams.models import LogicModel, LogicModelItem

pytestmark = pytest.mark.django_db
URL = "/api/v1/logic-models/"


def _items(logic_model):
    return list(
        LogicModelItem.objects.filter(logic_model=logic_model).values_list(
            "kind", "text"
        )
    )


@pytest.mark.parametrize("role", ["chair", "officer"])
@pytest.mark.parametrize(
    ("item", "missing"),
    [
        ({"text": "a"}, ["kind"]),
        ({}, ["kind", "text"]),
        ({"kind": "activity"}, ["text"]),
    ],
)
def test_an_item_without_its_kind_or_text_is_a_field_error(
    world, client_for, role, item, missing
):
    logic_model = world["draft_logic_model"]
    before = _items(logic_model)
    good = {"kind": "activity", "text": "Fine"}
    response = client_for(role).patch(
        f"{URL}{logic_model.pk}/", {"items": [good, item]}, format="json"
    )
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert fields == {
        f"items[1].{name}": ["This field is required."] for name in missing
    }
    assert _items(logic_model) == before


def test_an_item_with_a_null_or_wrong_kind_names_it(world, client_for):
    logic_model = world["draft_logic_model"]
    response = client_for("chair").patch(
        f"{URL}{logic_model.pk}/",
        {"items": [{"kind": None, "text": "a"}, {"kind": "wish", "text": None}]},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"items[0].kind", "items[1].kind", "items[1].text"}
    assert all(
        isinstance(m, str) and "Error" not in m for v in fields.values() for m in v
    )


def test_complete_items_replace_the_items(world, client_for):
    logic_model = world["draft_logic_model"]
    response = client_for("chair").patch(
        f"{URL}{logic_model.pk}/",
        {"items": [{"kind": "activity", "text": "Visit"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert _items(logic_model) == [("activity", "Visit")]


@pytest.mark.parametrize("version", [9223372036854775807, 32768])
def test_a_version_out_of_range_is_a_field_error(world, client_for, version):
    before = LogicModel.objects.count()
    response = client_for("officer").post(
        URL, {"workstream": "own", "version": version}, format="json"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()["error"]["fields"]) == ["version"]
    assert LogicModel.objects.count() == before
    response = client_for("officer").post(URL, {"workstream": "own"}, format="json")
    assert response.status_code == 201, response.content
