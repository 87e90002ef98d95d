"""A pytest plugin: every response a test receives for ``/api/v1/…`` is checked
against the OpenAPI document the project serves (issue 18: "every response in
the API test suite is validated against the schema").

Registered for the whole suite from ``tests/conftest.py``. It wraps Django's
test ``Client.request`` (DRF's ``APIClient`` goes through it too), and for each
``/api/v1/`` response:

* finds the operation by method and path template (HEAD as GET);
* requires the status code to be documented for it (or ``NXX`` / ``default``);
* requires the Content-Type to be one the response declares, and a body where
  it declares one;
* validates a JSON body against the declared schema with
  ``OAS30StrictValidator`` (python-openapi's openapi-schema-validator, strict
  OpenAPI 3.0: ``nullable`` counts only beside a ``type`` in the same schema
  object, so ``allOf: [$ref] + nullable`` rejects null; formats such as
  ``date``, ``date-time``, ``uuid`` and ``int64`` are checked);
* requires each response header the schema marks ``required``;
* for a write the server accepted (2xx), validates the JSON request body the
  test sent against the operation's request schema: a body the server takes
  and the schema refuses means the schema tells integrators the wrong thing.

A path or method with no operation may only answer with an error (4xx or a
redirect) in the API's error envelope (``ApiError``).

The document is generated once per session, as ``/api/schema/`` serves it,
and checked once with openapi-spec-validator; validators are built once per
schema (a component's is shared by every operation that returns it).

Every mismatch of a test is reported after its body has run (so one run shows
them all), with method, path, status and the JSON pointer in the body, e.g.::

    GET /api/v1/workstreams/own/ -> 200 (operation GET /api/v1/workstreams/{slug}/)
      body schema: body at /current_workplan: None for not nullable
      ['type' of /components/schemas/Workstream/properties/current_workplan/…]

A test opts out only for responses deliberately outside the contract, with a
reason: ``@pytest.mark.schema_unchecked(reason="the browsable API's HTML")``.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest

API_PREFIX = "/api/v1/"
DOC_URI = "urn:marmot:openapi"
WRITE_METHODS = ("POST", "PUT", "PATCH")
MAX_ERRORS_PER_BODY = 3

MARKER = "schema_unchecked"
LOG_PATH = os.environ.get("API_SCHEMA_CHECK_LOG")


class SchemaMismatch(AssertionError):
    """A response (or accepted request) of the test disagrees with the schema."""


@dataclass
class _TestState:
    nodeid: str = ""
    opted_out: str | None = None
    mismatches: list[str] = field(default_factory=list)


@dataclass
class _Stats:
    checked: Counter = field(default_factory=Counter)
    mismatches: Counter = field(default_factory=Counter)
    opted_out: int = 0
    requests_checked: int = 0
    cpu_seconds: float = 0.0


_state = _TestState()
_stats = _Stats()


# --- the document --------------------------------------------------------


class ApiContract:
    """The served OpenAPI document, its path templates, and cached validators."""

    def __init__(self, document: dict):
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4

        self.document = document
        self._classes = _validator_classes()
        self._registry = Registry().with_resource(
            DOC_URI, Resource(contents=document, specification=DRAFT4)
        )
        self._validators: dict[str, object] = {}
        self._paths = sorted(
            (
                (template, _template_regex(template), item)
                for template, item in document.get("paths", {}).items()
            ),
            # Literal segments first: /me/ before /{slug}/.
            key=lambda entry: (entry[0].count("{"), entry[0]),
        )

    @classmethod
    def served(cls) -> ApiContract:
        """The document ``/api/schema/`` serves, as JSON, checked once with
        openapi-spec-validator."""
        from drf_spectacular.generators import SchemaGenerator
        from drf_spectacular.renderers import OpenApiJsonRenderer
        from openapi_spec_validator import validate

        schema = SchemaGenerator().get_schema(request=None, public=True)
        document = json.loads(OpenApiJsonRenderer().render(schema))
        validate(document)
        return cls(document)

    def operation(self, method: str, path: str):
        """(template, operation or None); template None when no path matches."""
        for template, regex, item in self._paths:
            if regex.fullmatch(path):
                op = item.get(method.lower())
                if op is None and method == "HEAD":
                    op = item.get("get")
                return template, op
        return None, None

    def validator_for(self, schema: dict, pointer: str, direction="response"):
        """A validator for ``schema`` (found at ``pointer`` in the document),
        built once: by the component it names when it is a bare ``$ref``."""
        ref = schema.get("$ref") if len(schema) == 1 else None
        key = ref or "#" + pointer
        validator = self._validators.get((direction, key))
        if validator is None:
            cls = self._classes[direction]
            validator = cls(
                {"$ref": DOC_URI + key},
                registry=self._registry,
                format_checker=cls.FORMAT_CHECKER,
            )
            self._validators[direction, key] = validator
        return validator

    def error_schema(self):
        if "ApiError" not in self.document.get("components", {}).get("schemas", {}):
            return None
        return self.validator_for(
            {"$ref": "#/components/schemas/ApiError"}, "/components/schemas/ApiError"
        )


def _validator_classes() -> dict:
    """Strict OpenAPI 3.0 validators, one for each direction.

    ``OAS30StrictValidator`` is strict about types (``nullable`` only beside
    ``type``; no Python bytes for ``binary``) and its format checker checks
    ``date``, ``date-time``, ``uuid``, ``int32``/``int64`` and more (when given,
    as here). But its ``required`` lets a *required* ``readOnly`` property be
    missing (it cannot tell a response from a request), which would let a
    response drop ``id``; so a response is read with the rules of
    ``OAS30ReadValidator`` (``required`` holds for readOnly properties; a
    writeOnly one must not appear) and a request body with those of
    ``OAS30WriteValidator``, on top of the strict class.
    """
    from jsonschema.validators import extend
    from openapi_schema_validator import (
        OAS30ReadValidator,
        OAS30StrictValidator,
        OAS30WriteValidator,
    )

    def strict(base, keywords):
        return extend(OAS30StrictValidator, {k: base.VALIDATORS[k] for k in keywords})

    return {
        "response": strict(OAS30ReadValidator, ("required", "writeOnly")),
        "request": strict(OAS30WriteValidator, ("required", "readOnly")),
    }


def _template_regex(template: str) -> re.Pattern:
    parts = re.split(r"(\{[^}/]+\})", template)
    return re.compile(
        "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    )


def _pointer_escape(part) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _pointer(parts) -> str:
    return "".join("/" + _pointer_escape(p) for p in parts) or "(the whole body)"


_contract: ApiContract | None = None
_contract_error: str | None = None


def api_contract() -> ApiContract:
    global _contract, _contract_error
    if _contract_error is not None:
        raise SchemaMismatch(_contract_error)
    if _contract is None:
        try:
            _contract = ApiContract.served()
        except Exception as exc:  # the document itself is broken
            _contract_error = (
                "The OpenAPI document is not valid OpenAPI 3.0 "
                f"(openapi-spec-validator): {exc}"
            )
            raise SchemaMismatch(_contract_error) from exc
    return _contract


# --- checking one exchange -------------------------------------------------


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _declared_media(content: dict, media: str) -> str | None:
    for declared in content:
        d = _media_type(declared)
        if d == media or d == "*/*" or (d.endswith("/*") and media.startswith(d[:-1])):
            return declared
    return None


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _response_for_status(responses: dict, status: int):
    code = str(status)
    for key in (code, code[0] + "XX", code[0] + "xx", "default"):
        if key in responses:
            return key, responses[key]
    return None, None


def _body_errors(validator, instance) -> list[str]:
    errors = sorted(
        validator.iter_errors(instance),
        key=lambda e: (list(e.absolute_path), e.message),
    )
    lines = []
    for error in errors[:MAX_ERRORS_PER_BODY]:
        message = error.message
        if len(message) > 300:
            message = message[:300] + "…"
        lines.append(
            f"at {_pointer(error.absolute_path)}: {message} "
            f"[{error.validator!r} of {validator.schema['$ref'].split('#', 1)[1]}"
            f"{_pointer(error.absolute_schema_path).replace('(the whole body)', '')}]"
        )
    if len(errors) > MAX_ERRORS_PER_BODY:
        lines.append(f"… and {len(errors) - MAX_ERRORS_PER_BODY} more")
    return lines


def _body_of(response) -> bytes:
    """The body; a streamed one (the CSV downloads) is read and put back, so
    the test still reads it as it came."""
    if not response.streaming:
        return response.content
    if getattr(response, "is_async", False):
        return b"(streamed)"
    content = b"".join(response.streaming_content)
    response.streaming_content = [content]
    return content


def check_exchange(
    contract: ApiContract, method: str, path: str, response, request_body: bytes | None
) -> list[tuple[str, str]]:
    """The mismatches of one exchange, as (kind, message) pairs."""
    status = response.status_code
    media = _media_type(response.get("Content-Type"))
    content = _body_of(response)
    template, op = contract.operation(method, path)
    problems: list[tuple[str, str]] = []

    if op is None:
        if 200 <= status < 300:
            what = "path" if template is None else "method"
            return [
                ("undocumented operation", f"a {status} for an undocumented {what}")
            ]
        if content and _is_json(media) and contract.error_schema() is not None:
            body = json.loads(content)
            for line in _body_errors(contract.error_schema(), body):
                problems.append(("error envelope", f"body (not ApiError) {line}"))
        return problems

    key, declared = _response_for_status(op.get("responses", {}), status)
    if declared is None:
        documented = ", ".join(sorted(op.get("responses", {})))
        return [("undocumented status", f"status not documented (has: {documented})")]

    for name, header in (declared.get("headers") or {}).items():
        if header.get("required") and not response.has_header(name):
            problems.append(("missing header", f"required header {name} is missing"))

    declared_content = declared.get("content") or {}
    if not content:
        if declared_content and method != "HEAD" and status not in (204, 304):
            problems.append(
                (
                    "empty body",
                    f"no body, but {key} declares {', '.join(declared_content)}",
                )
            )
    elif not declared_content:
        problems.append(
            ("undeclared body", f"a {media or 'untyped'} body, but {key} declares none")
        )
    else:
        media_key = _declared_media(declared_content, media)
        if media_key is None:
            problems.append(
                (
                    "content type",
                    f"Content-Type {media or '(none)'} not declared "
                    f"(declared: {', '.join(declared_content)})",
                )
            )
        elif _is_json(media):
            schema = declared_content[media_key].get("schema")
            if schema is not None:
                try:
                    body = json.loads(content)
                except ValueError:
                    problems.append(("body schema", "the body is not JSON"))
                else:
                    pointer = "/".join(
                        (
                            "",
                            "paths",
                            _pointer_escape(template),
                            op_method(method, template, contract),
                            "responses",
                            key,
                            "content",
                            _pointer_escape(media_key),
                            "schema",
                        )
                    )
                    validator = contract.validator_for(schema, pointer)
                    for line in _body_errors(validator, body):
                        problems.append(("body schema", f"body {line}"))

    if (
        request_body
        and method in WRITE_METHODS
        and 200 <= status < 300
        and op.get("requestBody")
    ):
        problems.extend(_request_problems(contract, op, method, template, request_body))
    return problems


def op_method(method: str, template: str, contract: ApiContract) -> str:
    item = contract.document["paths"][template]
    return "get" if method == "HEAD" and "head" not in item else method.lower()


def _request_problems(contract, op, method, template, request_body):
    _stats.requests_checked += 1
    content = op["requestBody"].get("content", {})
    media_key = _declared_media(content, "application/json")
    if media_key is None:
        return [
            ("request body", "the server took a JSON body the schema does not declare")
        ]
    try:
        body = json.loads(request_body)
    except ValueError:
        return []
    schema = content[media_key].get("schema")
    if schema is None:
        return []
    pointer = "/".join(
        (
            "",
            "paths",
            _pointer_escape(template),
            op_method(method, template, contract),
            "requestBody",
            "content",
            _pointer_escape(media_key),
            "schema",
        )
    )
    validator = contract.validator_for(schema, pointer, direction="request")
    return [
        ("request body", f"accepted request body {line}")
        for line in _body_errors(validator, body)
    ]


# --- the test client hook ----------------------------------------------------


def _wrap_client_request(original):
    def request(self, **environ):
        body = None
        payload = environ.get("wsgi.input")
        path = environ.get("PATH_INFO", "")
        checking = path.startswith(API_PREFIX)
        if (
            checking
            and payload is not None
            and environ.get("REQUEST_METHOD") in WRITE_METHODS
        ):
            from django.test.client import FakePayload

            if isinstance(payload, FakePayload) and not payload.read_started:
                body = payload.read()
                environ["wsgi.input"] = FakePayload(body)
        response = original(self, **environ)
        if checking:
            _check(response, body)
        return response

    request.__wrapped__ = original
    return request


def _check(response, request_body):
    request = response.wsgi_request
    method, path = request.method, request.path
    if _state.opted_out is not None:
        _stats.opted_out += 1
        return
    _stats.checked[method] += 1
    started = time.process_time()
    try:
        contract = api_contract()
    except SchemaMismatch as exc:
        _record("invalid document", method, path, response.status_code, None, str(exc))
        return
    template, _ = contract.operation(method, path)
    problems = check_exchange(contract, method, path, response, request_body)
    _stats.cpu_seconds += time.process_time() - started
    for kind, message in problems:
        _record(kind, method, path, response.status_code, template, message)


def _record(kind, method, path, status, template, message):
    _stats.mismatches[kind] += 1
    where = f" (operation {method} {template})" if template else ""
    text = f"{method} {path} -> {status}{where}\n  {kind}: {message}"
    _state.mismatches.append(text)
    if LOG_PATH:  # a log of every mismatch of the run, for triage
        with open(LOG_PATH, "a") as log:
            log.write(json.dumps({"test": _state.nodeid, "kind": kind, "text": text}))
            log.write("\n")


# --- pytest hooks ------------------------------------------------------------


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"{MARKER}(reason): this test's /api/v1/ responses are deliberately outside "
        "the OpenAPI contract (the browsable API's HTML, a 500 on purpose); "
        "not checked against the schema (tests/api/schema_validation.py)",
    )
    from django.test.client import Client

    if not hasattr(Client.request, "__wrapped__"):
        Client.request = _wrap_client_request(Client.request)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    global _state
    _state = _TestState(nodeid=item.nodeid)
    marker = item.get_closest_marker(MARKER)
    if marker is not None:
        reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
        if not reason:
            raise pytest.UsageError(
                f"{item.nodeid}: @pytest.mark.{MARKER} needs a reason (why these "
                "responses are outside the contract)"
            )
        _state.opted_out = reason
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    try:
        result = yield
    except BaseException as exc:
        if _state.mismatches:
            exc.add_note(_report(_state.mismatches))
        raise
    if _state.mismatches:
        raise SchemaMismatch(_report(_state.mismatches))
    return result


def _report(mismatches: list[str]) -> str:
    unique = list(dict.fromkeys(mismatches))
    return (
        f"{len(unique)} response(s) disagree with the OpenAPI schema "
        "(tests/api/schema_validation.py):\n" + "\n".join(unique)
    )


def pytest_terminal_summary(terminalreporter):
    total = sum(_stats.checked.values())
    if not total and not _stats.opted_out:
        return
    by_method = ", ".join(f"{m} {n}" for m, n in sorted(_stats.checked.items()))
    line = (
        f"API schema check: {total} /api/v1/ responses checked ({by_method}); "
        f"{_stats.requests_checked} accepted request bodies; "
        f"{_stats.opted_out} opted out; {_stats.cpu_seconds:.1f} s CPU checking"
    )
    if _stats.mismatches:
        kinds = ", ".join(f"{k} {n}" for k, n in _stats.mismatches.most_common())
        line += f"; mismatches: {kinds}"
    terminalreporter.write_line(line)
