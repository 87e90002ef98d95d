"""CSV from the API (issue 18): ``Accept: text/csv`` or ``?format=csv`` on the
list endpoints that offer it (``values/``, ``actions/``, ``dashboard/``).

A view that offers CSV takes :class:`CSVListMixin` and answers a CSV request
with :func:`csv_response`: the whole filtered list (never one
page), streamed line by line, so memory stays bounded whatever its length.
The columns are the site's own download of the same data, defined once in the
app that owns it; this module knows no app (core imports none).

An error (a wrong filter, 401, 429) is still the JSON error envelope with its
status, whatever was asked for: :class:`CSVListMixin`.
"""

from collections.abc import Iterable

from django.http import StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer

CSV = "text/csv"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


class CSVRenderer(BaseRenderer):
    """Offers ``text/csv`` in content negotiation (and ``?format=csv``). The
    view streams the CSV itself (:func:`csv_response`), so this renderer only
    ever sees a body the view did not turn into CSV: it is written as JSON."""

    media_type = CSV
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, renderer_context=renderer_context)


class Echo:
    """A file for ``csv.writer`` whose ``write`` hands the line back, so rows
    become lines to stream one at a time."""

    def write(self, text: str) -> str:
        return text


def csv_requested(request) -> bool:
    return getattr(request, "accepted_renderer", None) is not None and (
        request.accepted_renderer.format == CSVRenderer.format
    )


def csv_response(lines: Iterable[str], filename: str) -> StreamingHttpResponse:
    """The CSV lines streamed as a download called ``filename``."""
    response = StreamingHttpResponse(lines, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CSVListMixin:
    """For a view that offers CSV: ``text/csv`` is offered on its list (a
    viewset's ``list``; an APIView's one answer), and an error answers in the
    JSON envelope (``application/json``) even when CSV was asked for. The
    view's list calls :func:`csv_response` when :func:`csv_requested`."""

    csv_actions = ("list",)

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", "list") in self.csv_actions:
            renderers.append(CSVRenderer())
        return renderers

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept",))  # JSON or CSV by Accept
        return response

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if csv_requested(self.request):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return response


#: The ``format`` query parameter of a list that offers CSV, for its schema.
CSV_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description="`csv`: the whole filtered list as CSV (as `Accept: text/csv`), "
    "not one page; errors stay JSON.",
)


def csv_schema_response(description: str) -> OpenApiResponse:
    """The 200 ``text/csv`` response of a list that offers CSV."""
    return OpenApiResponse(
        OpenApiTypes.STR,
        description=f"{description} With `Accept: text/csv` or `?format=csv`: "
        "every row the filters select (not one page), streamed, with a "
        "filename in `Content-Disposition`. Text cells a spreadsheet would run "
        "as a formula start with `'`.",
    )


def csv_download_schema(*, resource: str, description: str, parameters=()):
    """The schema of a list's CSV address (``values.csv``, ``actions.csv``,
    ``dashboard.csv``): an operation of its own, ``<resource>_csv``, that
    answers ``text/csv`` only. A generated client picks one content type per
    answer (openapi-python-client reads the first), so on the list's own
    address it parses JSON; this operation gives it a function that returns
    the CSV text. Same filters, same rows, same view: only the format is
    fixed (by the address's ``format`` argument, as DRF's format suffixes)."""
    words = resource.replace("-", " ")
    return extend_schema(
        operation_id=f"{resource.replace('-', '_')}_csv",
        tags=[resource],
        summary=f"Download {words} as CSV",
        description=f"The {words} list's filters, answered as CSV: every row "
        "they select (not one page), streamed. The same as the list with "
        "`Accept: text/csv` or `?format=csv`, as an operation of its own so "
        "that a generated client returns the text. Errors are JSON.",
        parameters=[
            *parameters,
            # One CSV of every row: no format to choose, no pages.
            *(
                OpenApiParameter(name, exclude=True)
                for name in ("format", "page", "page_size")
            ),
        ],
        responses={(200, CSV): csv_schema_response(description)},
    )
