"""Property-based fuzzing of the whole API against its own OpenAPI schema.

Schemathesis reads ``/api/schema/`` (drf-spectacular) from the WSGI app
in-process and sends generated requests to every operation, signed in as each
role, over a small programme. Every response must be a non-5xx, use a status
code the schema documents, and match the documented response schema.
Hypothesis is derandomized and bounded, so CI sees the same cases each run.
"""

import factory.random
import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.indicators.factories import IndicatorValueFactory
from tests.site.test_chair_world import build_world
from tests.workstreams.factories import ProgressUpdateFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ_ROLES = ("anonymous", "partner", "chair", "oversight", "officer")
# Officers may do everything, so they fuzz every operation; the other roles
# fuzz only the reads, to keep the run short (who may write what is pinned by
# the permission-matrix tests).
ALL_METHODS = ("officer",)
EXAMPLES = 8


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Call the WSGI app as Django's test client does: without closing the
    database connection at the start and end of each request. (Closing it
    inside the test's transaction would discard the test data and let the
    fuzzer's writes reach the database in autocommit, outliving the test.)"""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def small_world(role_users):
    """The chairs' world plus a progress update, a submission and a published
    outcome measure with one value, so detail operations can find rows."""
    factory.random.reseed_random(7)  # the same names and texts on every run
    world = build_world(role_users)
    value = IndicatorValueFactory(indicator__principle=world.principles[0])
    world.known = {
        "actions": world.action.pk,
        "areas": value.area.code,
        "indicators": value.indicator.code,
        "logic-models": world.model.pk,
        "organisations": world.org.pk,
        "periods": value.period.pk,
        "principles": world.principles[0].pk,
        "priorities": world.priorities[0].pk,
        "progress-updates": ProgressUpdateFactory(action=world.action).pk,
        "recommendations": world.recommendation.pk,
        "submissions": SubmissionFactory(
            organisation=world.org,
            submitted_by=world.users["partner"],
            workstream=world.own,
        ).pk,
        "values": value.pk,
        "workplans": world.workplan.pk,
        "workstreams": world.own.slug,
    }
    return world


def _operations(schema, role):
    """The operations a role fuzzes, deletes last so the others find rows."""
    operations = [result.ok() for result in schema.get_all_operations()]
    if role not in ALL_METHODS:
        operations = [op for op in operations if op.method.upper() == "GET"]
    return sorted(operations, key=lambda op: op.method.upper() == "DELETE")


def _strategies(operation, known):
    """Random path parameters (mostly 404s), then the world's own row."""
    yield operation.as_strategy()
    names = [p.name for p in operation.path_parameters]
    if names:
        resource = operation.path.split("/")[3]
        yield operation.as_strategy(path_parameters={names[0]: known[resource]})


@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_api_conforms_to_its_schema(small_world, role):
    user = small_world.users[role]
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Token {Token.objects.create(user=user).key}"
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application()
    )
    failures = []
    for operation in _operations(schema, role):
        for strategy in _strategies(operation, small_world.known):

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def fuzz(case):
                cache.clear()  # throttles count per test, not over the whole run
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                fuzz()
            except (Exception, FailureGroup) as exc:  # gather every failure
                failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
