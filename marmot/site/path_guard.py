"""Answer 404 for a URL path holding a control character, before any view.

PostgreSQL refuses a NUL character in text, so a path parameter such as
``/api/v1/workstreams/%00/`` or ``/indicators/a%00b/`` that a view looks up
unchecked fails with a server error (SQLite just finds nothing). No page or API
route has a control character in it, so one check here covers every lookup,
API and site alike, including routes added later; it also keeps newlines out of
the request log's path. API paths get the API's JSON error envelope
(``marmot.api.errors``), the site the usual 404 page.
"""

import re

from django.http import Http404, JsonResponse

from marmot.api.errors import error_envelope

# C0 controls (NUL, newline, escape, ...) and DEL.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
API_PREFIX = "/api/"


def has_control_character(text: str) -> bool:
    return CONTROL_CHARACTER.search(text) is not None


def api_not_found() -> JsonResponse:
    """The 404 the API's own exception handler writes."""
    return JsonResponse(error_envelope(404, "not_found", "Not found."), status=404)


class PathControlCharacterMiddleware:
    """404 for a request whose path holds a control character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_character(request.path_info):
            if request.path_info.startswith(API_PREFIX):
                return api_not_found()
            raise Http404("No such page.")
        return self.get_response(request)
