"""Refuse a request body larger than ``REQUEST_BODY_MAX_BYTES`` with 413,
before anything reads it.

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` counts only a form's non-file fields,
and an uploaded file streams to a temporary file whatever its size, so without
this a multi-gigabyte POST would be written to disk before a form could say it
is too big. The limit leaves room for the largest upload the site takes
(``EVIDENCE_MAX_FILES`` files of ``EVIDENCE_MAX_BYTES``, ADR 0035, or an
officer's measures table and its metadata); a body
without a declared length is read no further than its (zero) length. A reverse
proxy in front (docs/operations.md) should allow at least the same.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader

from marmot.api.errors import error_envelope


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


class RequestBodySizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_BODY_MAX_BYTES
        if length > limit:
            message = (
                f"What you sent is {megabytes(length)}: the most this site takes "
                f"in one go is {megabytes(limit)}, and each evidence file at most "
                f"{megabytes(settings.EVIDENCE_MAX_BYTES)}. Nothing was saved."
            )
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    error_envelope(413, "too_large", message), status=413
                )
            body = loader.render_to_string(
                "413.html", {"message": message}, request=None
            )
            return HttpResponse(body, status=413)
        return self.get_response(request)
