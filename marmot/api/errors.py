"""One JSON error shape for every API error.

    {"error": {"status": 400, "code": "invalid", "message": "...",
               "fields": {"due_date": ["..."]}}}

Django `ValidationError`s raised by services become 400s with field messages,
so a rule enforced in a service reads the same through the API as in a form.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from workstreams.services.common import StaleRowVersion

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
    if isinstance(exc, DjangoValidationError):
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
    if isinstance(exc, exceptions.ValidationError) and isinstance(detail, dict):
        fields = {key: _messages(value) for key, value in detail.items()}
        message = "The request has errors; see fields."
    elif isinstance(exc, exceptions.ValidationError):
        fields = {NON_FIELD: _messages(detail)}
        message = "The request has errors; see fields."
    else:
        message = (
            str(detail.get("detail", detail))
            if isinstance(detail, dict)
            else (str(detail))
        )
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException) and isinstance(exc.get_codes(), str):
        code = exc.get_codes()
    response.data = error_envelope(response.status_code, code, message, fields)
    return response


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
