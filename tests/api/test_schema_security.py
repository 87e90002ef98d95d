"""The schema says which operations anonymous readers may call, and the server
agrees (ADR 0039): an operation lists ``{}`` (no credentials) among its
security requirements exactly when an anonymous GET of it answers.

Against a small programme with a row of every resource (built once for the
module). A detail address reads the first row of the anonymous list where
that list answers with one, and must then be a 200; otherwise a made-up id
must be the 404 of a reader allowed to ask (``{}``) or the 401 of one who
is not.
"""

import re

import pytest
from rest_framework.test import APIClient

from tests.api.schema_validation import api_contract
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory
from tests.shared_data import rolled_back_after
from tests.workstreams.api.conftest import build_api_world
from tests.workstreams.factories import MilestoneFactory
from tests.workstreams.kpi_fixtures import add_api_kpis

PARAM = re.compile(r"\{(\w+)\}")


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with rolled_back_after(django_db_blocker):
        world = build_api_world()
        world.update(add_api_kpis(world))
        MilestoneFactory(action=world["action"])
        IndicatorValueFactory(indicator=IndicatorFactory(principle=world["principle"]))
        yield world


@pytest.fixture
def world(world_once, db):
    return world_once


def _get_operations():
    for path, item in api_contract().document["paths"].items():
        if "get" in item:
            yield path, item["get"]


def _first_row(client, list_path, key):
    response = client.get(list_path)
    if response.status_code != 200:
        return None
    body = response.json()
    rows = body.get("results", body) if isinstance(body, dict) else body
    for row in rows if isinstance(rows, list) else []:
        if row.get(key) is not None:
            return row[key]
    return None


def _address(path, anonymous):
    """The path with a row's key filled in, and whether the row is real."""
    match = PARAM.search(path)
    if match is None:
        return path, True
    value = _first_row(anonymous, path[: match.start()], match.group(1))
    real = value is not None
    return PARAM.sub(str(value if real else 987654321), path, count=1), real


def test_anonymous_security_matches_what_anonymous_readers_get(world):
    anonymous = APIClient()
    wrong, checked = [], 0
    for path, operation in _get_operations():
        address, real = _address(path, anonymous)
        status = anonymous.get(address).status_code
        open_to_all = {} in operation.get("security", [{}])
        answered = status == 200 if real else status == 404
        if answered != open_to_all or status not in (200, 401, 404):
            wrong.append(f"GET {address}: {status}, security {operation['security']}")
        checked += real
    assert wrong == []
    assert checked >= 30  # most addresses read a real row


def test_the_rule_reads_permissions_not_a_list():
    """Reads that need a login (submissions, /me/) and every write keep the
    schemes alone; the token endpoint needs none at all."""
    paths = api_contract().document["paths"]
    assert {} not in paths["/api/v1/submissions/"]["get"]["security"]
    assert {} in paths["/api/v1/actions/"]["get"]["security"]
    assert {} in paths["/api/v1/values/{id}/"]["get"]["security"]
    writes = [
        (method, path)
        for path, item in paths.items()
        for method, op in item.items()
        if method in ("post", "put", "patch", "delete") and {} in op.get("security", [])
    ]
    assert writes == []
    assert paths["/api/v1/auth/token/"]["post"].get("security", []) == []
