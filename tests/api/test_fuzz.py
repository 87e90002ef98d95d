"""Property-based fuzzing of the whole API against its own OpenAPI schema.

Schemathesis reads ``/api/schema/`` (drf-spectacular) from the WSGI app
in-process and sends generated requests to every operation, signed in as each
role, over a small programme. Every response must be a non-5xx, use a status
code the schema documents, and match the documented response schema.
Officers, partners, the world's chair and another workstream's chair fuzz the
writes too (their 403s and 404s must be documented). Writes under optimistic
locking (ADR 0010) on the world's own rows send the row's current ETag, read
afresh before each example, so they reach the write instead of stopping at 428.
Hypothesis is derandomized and bounded, so CI sees the same cases each run.

The slow tier (``pytest -m slow``; deselected by default, run by .ci/run)
fuzzes deeper: every role with five times the examples, write bodies whose
reference fields point at the world's rows, and the stateful phase (call
sequences linked through earlier responses) as each role that writes.
"""

import factory.random
import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from tests.conftest import api_token_for
from tests.indicators.factories import IndicatorValueFactory
from tests.workstreams.factories import (
    MilestoneFactory,
    ProgressUpdateFactory,
    SubmissionFactory,
)
from tests.workstreams.kpi_fixtures import build_kpi_world, record_sample_entries
from workstreams.models import Action, Workstream

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ_ROLES = ("anonymous", "partner", "chair", "other_chair", "oversight", "officer")
# Everyone who may write something fuzzes every operation: officers may do
# everything; partners, the world's chair and the other workstream's chair meet
# 403s and 404s, which must be documented answers, never 5xx. Anonymous and
# oversight only read (their writes stop at 401/403 before any view code).
ALL_METHODS = ("partner", "chair", "other_chair", "officer")
EXAMPLES = 8
WRITE_EXAMPLES = 4  # for the writers other than officers
DEEP_SCALE = 5  # the slow tier's deep run: five times the examples
STATEFUL_EXAMPLES = 40  # scenarios per role in the stateful phase


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
    world = build_kpi_world(role_users)
    value = IndicatorValueFactory(indicator__principle=world.principles[0])
    entries = record_sample_entries(world)
    world.known = {
        "actions": world.action.pk,
        "areas": value.area.code,
        "indicators": value.indicator.code,
        "logic-models": world.model.pk,
        "milestones": MilestoneFactory(action=world.action).pk,
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
        "kpis": world.reported.pk,
        "kpi-entries": entries["submitted"].pk,
        "/api/v1/kpi-entries/{id}/approve/": entries["to_approve"].pk,
        "/api/v1/kpi-entries/{id}/return/": entries["to_return"].pk,
        "/api/v1/kpi-entries/{id}/reopen/": entries["approved"].pk,
    }
    return world


def _operations(schema, role):
    """The operations a role fuzzes, deletes last so the others find rows, and
    the token logouts after them (they revoke the token the fuzzer sends)."""
    operations = [result.ok() for result in schema.get_all_operations()]
    if role not in ALL_METHODS:
        operations = [op for op in operations if op.method.upper() == "GET"]
    return sorted(
        operations,
        key=lambda op: ("/auth/logout" in op.path, op.method.upper() == "DELETE"),
    )


def _is_locked(operation) -> bool:
    """A write under optimistic locking (ADR 0010): it documents the 428 it
    answers without an ETag."""
    return "428" in operation.definition.raw.get("responses", {})


def _restore_world(world):
    """Undo what earlier fuzzed writes did to the rows later writes need: a
    PUT or PATCH may rename the world's workstream (its address) and an
    archive takes the action behind the milestone out of the plan (its
    milestones then refuse changes, 409). Run before each locked write on the
    own row, so each starts from the world as built."""
    Workstream.objects.filter(pk=world.own.pk).update(slug=world.known["workstreams"])
    Action.objects.filter(pk=world.action.pk).update(archived_at=None)


def _with_fresh_etag(detail_url, headers, restore=lambda: None):
    """A function that GETs ``detail_url`` as the role and puts the row's ETag
    in the case's If-Match. It runs when Hypothesis draws each example, just
    before the case is sent, so it reads the version the previous example's
    write left behind; a role that cannot read the row sends none (and gets
    its 403/404 anyway)."""
    # The WSGI app straight, as Schemathesis calls it: Django's test client
    # would reconnect close_old_connections, which closes the test's
    # transaction on PostgreSQL.
    client = Client(get_wsgi_application())

    def add_if_match(case):
        restore()
        cache.clear()  # the GET must not use up the role's throttle
        etag = client.get(detail_url, headers=headers).headers.get("ETag")
        if etag:
            case.headers = {**(case.headers or {}), "If-Match": etag}
        return case

    return add_if_match


def _strategies(operation, role, world, headers):
    """(strategy, examples) pairs: random path parameters (mostly 404s), then
    the world's own row. A locked write on the own row sends the row's current
    ETag in If-Match, so it reaches the write itself instead of stopping at
    428. Officers fuzz every write both ways; the other writers fuzz their
    writes on the own row (or the collection) only, with fewer examples: a
    random id is a 404 before any role-specific code, which the officer
    already covers."""
    known = world.known
    names = [p.name for p in operation.path_parameters]
    is_write = operation.method.upper() != "GET"
    if not names:
        yield operation.as_strategy(), EXAMPLES if not is_write else _examples(role)
        return
    if not is_write or role == "officer":
        yield operation.as_strategy(), EXAMPLES
    resource = operation.path.split("/")[3]
    # An action may need its own row (a value waiting for approval to approve).
    row = known.get(operation.path, known[resource])
    own = operation.as_strategy(path_parameters={names[0]: row})
    if _is_locked(operation):
        own = own.map(
            _with_fresh_etag(
                f"/api/v1/{resource}/{row}/", headers, lambda: _restore_world(world)
            )
        )
    yield own, EXAMPLES if not is_write else _examples(role)
    if operation.path.endswith("/status/") and resource == "workplans":
        # Random moves of the world's draft are almost all refused by the
        # workflow (draft → consultation → signed off, sign-off fields only
        # with the move to signed off): one valid move proves the endpoint
        # writes.
        move = operation.as_strategy(
            path_parameters={names[0]: known[resource]},
            body={"status": "consultation"},
            media_type="application/json",
        ).map(_with_fresh_etag(f"/api/v1/{resource}/{known[resource]}/", headers))
        yield move, 1


def _locked_write_failures(schema, role, statuses):
    """The If-Match strategy must get past the lock: no locked write sent
    with If-Match answers 428, and each locked PATCH or POST (status change)
    an officer sends on the own row succeeds at least once."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not _is_locked(operation) or not operation.path_parameters:
            # values/calculate/ (a collection POST) needs the ETag only when
            # its figures' value exists; no own row gives it one.
            continue
        seen = statuses.get(operation.label, set())
        if 428 in seen:
            failures.append(f"{operation.label}: 428 although If-Match was sent")
        wants_success = role == "officer" and operation.method.upper() != "PUT"
        if wants_success and not any(200 <= code < 300 for code in seen):
            failures.append(
                f"{operation.label}: no write succeeded ({sorted(seen)}); "
                "is the fresh-ETag strategy still sending If-Match?"
            )
    return failures


def _examples(role):
    return EXAMPLES if role == "officer" else WRITE_EXAMPLES


# Body fields that name another row: the deep run sometimes points them at the
# world's own rows, so generated writes get past "no such workstream" to the
# code behind it (a random slug almost never names one).
BODY_REFERENCES = {
    "workstream": "workstreams",
    "workplan": "workplans",
    "action": "actions",
    "priority": "priorities",
    "organisation": "organisations",
    "lead_organisation": "organisations",
    "supports_recommendation": "recommendations",
    "period": "periods",
    "kpi": "kpis",
}


def _steered(strategy, known):
    """``strategy``, with each example's reference fields (those present)
    pointed at the world's rows in about half the examples; Hypothesis draws
    the choice, so the run stays derandomized."""

    def steer(drawn):
        case, point = drawn
        if point and isinstance(case.body, dict):
            case.body = {
                key: known[BODY_REFERENCES[key]] if key in BODY_REFERENCES else value
                for key, value in case.body.items()
            }
        return case

    return st.tuples(strategy, st.booleans()).map(steer)


def _fuzz_as(small_world, role, *, examples_scale=1, steer=False):
    """Fuzz every operation ``role`` may try; returns the failures found."""
    user = small_world.users[role]
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Token {api_token_for(user)}"
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application()
    )
    failures = []
    statuses = {}  # label -> the codes answered to writes sent with If-Match
    for operation in _operations(schema, role):
        for strategy, examples in _strategies(operation, role, small_world, headers):
            if steer and operation.method.upper() != "GET":
                strategy = _steered(strategy, small_world.known)

            @given(case=strategy)
            @settings(
                max_examples=examples * examples_scale,
                deadline=None,
                derandomize=True,
                database=None,
                # No shrinking: a failure is reported as found, in seconds, not
                # after minutes of shrinking and tracing.
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def fuzz(case):
                cache.clear()  # throttles count per test, not over the whole run
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                # The fresh ETag, not a value drawn for the declared header
                # (an empty one or "*" is a 428 by design, ADR 40).
                if (case.headers or {}).get("If-Match", "").strip() not in ("", "*"):
                    statuses.setdefault(case.operation.label, set()).add(
                        response.status_code
                    )

            try:
                fuzz()
            except (Exception, FailureGroup) as exc:  # gather every failure
                failures.append(f"{operation.label}: {exc}")
    return failures + _locked_write_failures(schema, role, statuses)


@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_api_conforms_to_its_schema(small_world, role):
    failures = _fuzz_as(small_world, role)
    assert not failures, "\n\n".join(failures)


@pytest.mark.slow
@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_api_deep_fuzz(small_world, role):
    """The slow tier's deep run (``pytest -m slow``, which .ci/run runs):
    every role, `DEEP_SCALE` times the examples, and writes whose reference
    fields point at the world's own rows, so a generated body reaches the
    code behind the serializer. It finds the 500 of a logic model posted
    without ``version`` (issue 14) that the quick run above missed."""
    failures = _fuzz_as(small_world, role, examples_scale=DEEP_SCALE, steer=True)
    assert not failures, "\n\n".join(failures)


STATEFUL_ROLES = ("partner", "chair", "officer")  # the roles that write


@pytest.mark.slow
@pytest.mark.parametrize("role", STATEFUL_ROLES)
def test_api_stateful_fuzz(small_world, role):
    """The slow tier's stateful phase: sequences of calls, each later call
    fed with what an earlier response gave (Schemathesis infers the links
    between operations from the schema), as each role that writes, with the
    same checks."""
    headers = {"Authorization": f"Token {api_token_for(small_world.users[role])}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application()
    )

    class AsRole(schema.as_state_machine()):
        def setup(self):
            # Each scenario starts from the same rows (its writes are rolled
            # back), so what it generates depends on its own calls only.
            self._scenario = transaction.atomic()
            self._scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self._scenario.__exit__(None, None, None)

        def get_call_kwargs(self, case):
            cache.clear()  # throttles count per test, not over the whole run
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kw):
            case.validate_response(response, checks=CHECKS, headers=headers)

    AsRole.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=8,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
