"""One JSON error shape for every API error.

    {"error": {"status": 400, "code": "invalid", "message": "...",
               "fields": {"due_date": ["..."]}}}

Django `ValidationError`s raised by services become 400s with field messages,
so a rule enforced in a service reads the same through the API as in a form;
a ``StateConflict`` (the record's state refuses the change: a closed workplan,
a submission decided or moved meanwhile) is a 409.
"""

import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from marmot.services import StaleRowVersion, StateConflict

NON_FIELD = "non_field_errors"


def error_envelope(status: int, code: str, message: str, fields=None) -> dict:
    """The API's error body; also written outside DRF (the path guard, the
    500/503 handler) so every API error reads the same."""
    return {
        "error": {
            "status": status,
            "code": code,
            "message": message,
            "fields": fields or {},
        }
    }


def _messages(detail) -> list[str]:
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return [f"{k}: {v}" for k, v in detail.items()]
    return [str(detail)]


def _path(key, part) -> str:
    if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
        return f"{key}[{part}]"
    return f"{key}.{part}" if key else str(part)


def _flatten(key: str, detail, into: dict[str, list[str]]) -> None:
    if isinstance(detail, dict):
        for part, value in detail.items():
            _flatten(_path(key, part), value, into)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                # A list serializer's errors: one per item, {} for a good one.
                _flatten(_path(key, index), value, into)
            else:
                into.setdefault(key or NON_FIELD, []).append(str(value))
    else:
        into.setdefault(key or NON_FIELD, []).append(str(detail))


def flat_fields(detail) -> dict[str, list[str]]:
    """A validation error's detail as {path: [messages]}: a flat field's
    messages under its name as before, an error inside a list or object under
    its path (``entries[0]``, ``items[1].kind``), never a Python repr."""
    fields: dict[str, list[str]] = {}
    _flatten("", detail, fields)
    return fields


def _from_django(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {
            (NON_FIELD if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    else:
        detail = {NON_FIELD: exc.messages}
    return exceptions.ValidationError(detail)


def api_exception_handler(exc, context) -> Response | None:
    conflict_fields: dict[str, list[str]] = {}
    if isinstance(exc, StateConflict):
        # A 409 that still says which field the state refused, when it does.
        if hasattr(exc, "error_dict"):
            conflict_fields = _from_django(exc).detail
        exc = Conflict(" ".join(dict.fromkeys(exc.messages)))
    elif isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, StaleRowVersion):
        exc = PreconditionFailed()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields: dict[str, list[str]] = {}
    message = ""
    if isinstance(exc, exceptions.ValidationError):
        fields = flat_fields(detail)
        message = "The request has errors; see fields."
    else:
        message = (
            str(detail.get("detail", detail))
            if isinstance(detail, dict)
            else (str(detail))
        )
        fields = {key: _messages(value) for key, value in conflict_fields.items()}
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException) and isinstance(exc.get_codes(), str):
        code = exc.get_codes()
    response.data = error_envelope(response.status_code, code, message, fields)
    return response


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The record changed under this request; fetch it again."


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = (
        "This record has changed since you read it. Fetch it again, reapply your "
        "change and send it with the new ETag."
    )


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = (
        "Send the record's ETag in an If-Match header (or its row_version in the "
        "body) so a concurrent change is never overwritten."
    )


@csrf_exempt
def api_fallback(request, rest: str = ""):
    """Every /api/ address no API route matches (any method).

    Without this, Django's own HTML 404 page answered, and for a POST, PUT,
    PATCH or DELETE without the trailing slash CommonMiddleware's APPEND_SLASH
    failed (a RuntimeError under DEBUG, an HTML 301 the client re-sends as a
    GET otherwise). Here: when the address with a slash added is an API
    route, a 308 to it (which keeps the method and body), with the envelope
    saying so; otherwise the envelope's 404."""
    path = request.path_info
    if not path.endswith("/"):
        try:
            match = resolve(f"{path}/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_fallback:
            location = f"{request.path}/"
            if request.META.get("QUERY_STRING"):
                location += f"?{request.META['QUERY_STRING']}"
            body = error_envelope(
                308,
                "trailing_slash",
                f"API addresses end with a slash: send this to {location}",
            )
            return HttpResponsePermanentRedirect(
                location,
                preserve_request=True,  # 308: the client keeps method and body
                content=json.dumps(body),
                content_type="application/json",
            )
    return JsonResponse(error_envelope(404, "not_found", "Not found."), status=404)
