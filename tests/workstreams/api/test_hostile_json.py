"""JSON bodies that are valid JSON but no body the API takes (review of issue
19): nesting thousands deep, and unpaired surrogates, which a choice field's
message repeated into a response that could not be encoded. Each is a 400
saying what and where, for anyone, before any view runs (marmot.api.parsers)."""

import json

import pytest
from rest_framework.test import APIClient

from marmot.api.parsers import MAX_DEPTH
from workstreams.models import ProgressUpdate

pytestmark = pytest.mark.django_db
DEEP = "[" * 3000 + "]" * 3000


def post_raw(client, url, body: str):
    return client.post(url, body, content_type="application/json")


def parse_error(response) -> str:
    assert response.status_code == 400, response.content
    return response.json()["error"]["message"]


def test_deep_nesting_is_a_400_even_for_anonymous_clients():
    message = parse_error(post_raw(APIClient(), "/api/v1/auth/token/", DEEP))
    assert f"nests more than {MAX_DEPTH} levels deep" in message


def test_nesting_past_the_limit_but_short_of_recursion_names_where(client_for):
    body = {"entries": [json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)]}
    response = client_for("officer").post(
        "/api/v1/kpi-entries/bulk/", body, format="json"
    )
    assert "nests more than 32 levels deep at entries[0]" in parse_error(response)


@pytest.mark.parametrize(
    ("member", "where"),
    [
        ('"status": "\\ud800"', "text at status"),  # a choice field: was a 500
        ('"\\udfff": 1', "a key"),
        ('"extra": ["ok", "\\ud800x"]', "text at extra[1]"),
    ],
)
def test_an_unpaired_surrogate_is_a_400_naming_where(world, client_for, member, where):
    action = world["action"].pk
    raw = f'{{"action": {action}, "text": "x", "reported_on": "2025-04-02", {member}}}'
    before = ProgressUpdate.objects.count()

    response = post_raw(client_for("partner"), "/api/v1/progress-updates/", raw)

    message = parse_error(response)
    assert where in message and "unpaired surrogate" in message
    assert ProgressUpdate.objects.count() == before


def test_a_whole_number_too_long_for_any_field_is_a_400(client_for):
    # 400 digits: valid JSON, but float() overflows in DRF's FloatField.
    raw = '{"entries": [{"value": 1' + "0" * 400 + "}]}"
    response = post_raw(client_for("officer"), "/api/v1/kpi-entries/bulk/", raw)
    assert "number at entries[0].value has more digits" in parse_error(response)
