"""The site's 500 handler: a database that cannot be reached is a 503.

When PostgreSQL restarts or the network to it drops, requests fail with
``OperationalError`` or ``InterfaceError`` until the connection is back
(``CONN_HEALTH_CHECKS`` replaces broken connections on the next request; the
load test in bench/load.py measures the recovery). Those answers are a
temporary unavailability, not a fault of the application, so they say so:
503 with ``Retry-After``, in the API's JSON error shape under /api/, and the
site's page otherwise. Everything else is the usual 500. Django calls this
view inside its ``except`` block, so the exception is ``sys.exc_info()``.
Neither answer reads the database.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader

from marmot.api.errors import error_envelope

RETRY_AFTER_SECONDS = 5
UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, UNAVAILABLE)


def server_error(request):
    exc = sys.exc_info()[1]
    api = request.path.startswith("/api/")
    if database_unavailable(exc):
        if api:
            message = (
                "The service is briefly unavailable. "
                f"Try again in {RETRY_AFTER_SECONDS} seconds."
            )
            response = JsonResponse(
                error_envelope(503, "service_unavailable", message), status=503
            )
        else:
            body = loader.render_to_string("503.html")
            response = HttpResponseServerError(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if api:
        return JsonResponse(
            error_envelope(500, "error", "A server error occurred."), status=500
        )
    return HttpResponseServerError(loader.render_to_string("500.html"))
