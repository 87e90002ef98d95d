"""Each request gets an id, echoed in X-Request-ID, and one log line with its
method, path, status, duration and user (marmot.site.request_log)."""

import json
import logging

import pytest

from marmot.site.request_log import JsonFormatter

pytestmark = pytest.mark.django_db


def request_records(caplog):
    return [r for r in caplog.records if r.name == "marmot.request"]


def test_a_request_is_logged_with_its_fields_and_id(client, caplog):
    caplog.set_level(logging.INFO, logger="marmot.request")
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123.proxy:7"})
    assert response["X-Request-ID"] == "abc-123.proxy:7"
    [record] = request_records(caplog)
    assert record.levelno == logging.INFO
    assert record.method == "GET"
    assert record.path == "/healthz"
    assert record.status == 200
    assert record.duration_ms >= 0
    assert record.user_id == "-"
    assert record.request_id == "abc-123.proxy:7"


def test_a_signed_in_users_id_is_logged(client, caplog, django_user_model):
    user = django_user_model.objects.create_user(username="someone", password="x")
    client.force_login(user)
    caplog.set_level(logging.INFO, logger="marmot.request")
    client.get("/")
    [record] = request_records(caplog)
    assert record.user_id == user.pk


@pytest.mark.parametrize(
    "hostile", ["id\nFAKE LOG LINE", "x" * 500, "a b", "<script>", "\r\n"]
)
def test_a_hostile_request_id_is_replaced(client, caplog, hostile):
    caplog.set_level(logging.INFO, logger="marmot.request")
    response = client.get("/healthz", headers={"X-Request-ID": hostile})
    echoed = response["X-Request-ID"]
    assert echoed != hostile
    assert len(echoed) == 32 and echoed.isalnum()
    [record] = request_records(caplog)
    assert record.request_id == echoed


def test_without_an_incoming_id_each_request_gets_its_own(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second


def test_json_format_is_one_object_a_line_with_the_fields(client, caplog):
    caplog.set_level(logging.INFO, logger="marmot.request")
    client.get("/no-such-page/", headers={"X-Request-ID": "req-1"})
    [record] = request_records(caplog)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "INFO"
    assert data["logger"] == "marmot.request"
    assert {k: data[k] for k in ("method", "path", "status", "user_id")} == {
        "method": "GET",
        "path": "/no-such-page/",
        "status": 404,
        "user_id": "-",
    }
    assert data["request_id"] == "req-1"
    assert isinstance(data["duration_ms"], float)
