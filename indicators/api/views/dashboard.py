"""``GET /api/v1/dashboard/``: the KPI dashboard as JSON, or as the page's HTML.

One URL, two representations (ADR 20), chosen by content negotiation:

- JSON (the default; ``Accept: application/json``, ``*/*`` or none): every
  measure with its latest value, benchmarks, judgements, trend and series,
  filtered by :class:`indicators.filters.DashboardFilter`, for integrators.
- HTML (``Accept: text/html`` or ``?format=html``): the dashboard's results
  region exactly as the page renders it (the same page selector and the same
  template), which ``static/js/dashboard.js`` swaps in when a filter changes.
  Its filters are the page's form, so a wrong one answers 400 with the GOV.UK
  error summary the page would show. Like the page's body it is kept in the
  page cache per set of roles until the data changes (ADR 15).

The browsable API stays at ``?format=api``.
"""

import csv

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import (
    BrowsableAPIRenderer,
    JSONRenderer,
    StaticHTMLRenderer,
)
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from indicators.api.serializers.dashboard import COMPARATORS, DashboardSerializer
from indicators.filters import TRENDS, DashboardFilter
from indicators.models import Indicator
from indicators.page_selectors.dashboard import (
    DashboardFilterForm,
    dashboard_entries,
    dashboard_page,
)
from indicators.selectors import place_get
from indicators.views.dashboard import csv_rows, spreadsheet_safe
from marmot.api.query import unknown_parameters
from marmot.api.renderers import (
    CSV,
    CSVListMixin,
    Echo,
    csv_download_schema,
    csv_requested,
    csv_response,
    csv_schema_response,
)
from marmot.api.schema import COMMON_ERRORS, ERROR
from marmot.api.throttles import API_THROTTLES
from marmot.site.page_cache import page_cached

JSON = "application/json"
#: The results region of the dashboard page (and its error summary).
FRAGMENT = "indicators/_dashboard_fragment.html"

DASHBOARD_PARAMETERS = [
    OpenApiParameter(
        "principle",
        str,
        description='Principle number (1-8) or "overarching" (outcome measures '
        "only: output KPIs have no principle).",
    ),
    OpenApiParameter("workstream", str, description="Workstream slug."),
    OpenApiParameter(
        "kind",
        str,
        enum=[str(k) for k in Indicator.Kind],
        description="Outcome measures or output KPIs only. An output KPI's "
        "entry has `output`: its year to date against the pro-rata target, "
        "the judgement and the overdue periods.",
    ),
    OpenApiParameter(
        "comparator",
        str,
        enum=[str(c) for c in COMPARATORS],
        description="Show only this benchmark (and filter results against it).",
    ),
    OpenApiParameter(
        "assessment_result",
        str,
        enum=list(DashboardFilter.RESULTS),
        description="Only indicators whose effective assessment (against the "
        "comparator, or any benchmark) has this result (outcome measures only: "
        "output KPIs are judged against their targets).",
    ),
    OpenApiParameter(
        "trend",
        str,
        enum=list(TRENDS),
        description="Only indicators whose latest value's effective trend (the "
        "one the dashboard shows) is getting better, getting worse, not "
        "significantly changed, or not calculated (none, or it cannot be). "
        "With comparator=national&assessment_result=worse&trend=worse: the "
        "measures worse than England and getting worse. Outcome measures only.",
    ),
    OpenApiParameter(
        "today",
        OpenApiTypes.DATE,
        description="Judge freshness on (JSON only; the HTML is the page's, today).",
    ),
    OpenApiParameter(
        "format",
        str,
        enum=["json", "html", "csv", "api"],
        description="Instead of the Accept header: `html` for the dashboard "
        "page's results as HTML, `csv` for the dashboard page's CSV download "
        "(the same columns), `api` for the browsable API.",
    ),
]


class DashboardHTMLRenderer(StaticHTMLRenderer):
    """``text/html``: the fragment the view rendered from the page's template
    (DRF's TemplateHTMLRenderer for HTML already rendered, so that it can come
    from the page cache). Errors other than the filters' (401, 429, 503) are
    DRF's short text."""


class DashboardView(CSVListMixin, APIView):
    """Everything the KPI dashboard shows, in one call: JSON, or the page's
    results as HTML (``Accept: text/html`` or ``?format=html``)."""

    throttle_classes = API_THROTTLES

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, DashboardHTMLRenderer, BrowsableAPIRenderer]

    @extend_schema(
        parameters=DASHBOARD_PARAMETERS,
        responses={
            (200, JSON): OpenApiResponse(
                DashboardSerializer,
                description="JSON (the default), or with `Accept: text/html` "
                "or `?format=html` the dashboard page's results region (count, "
                "CSV link, tiles by principle) as HTML, to swap into the page.",
            ),
            (200, "text/html"): OpenApiTypes.STR,
            (200, CSV): csv_schema_response(
                "The dashboard page's CSV download (`/dashboard/data.csv`), "
                "the same columns: one row per measure, grouped by principle, "
                "with each benchmark's value and comparison, the target's, the "
                "trend and an output KPI's year to date."
            ),
            (400, JSON): OpenApiResponse(
                ERROR,
                description="A filter is wrong: `error.fields` names it (and "
                "the values it accepts); as HTML, the page's GOV.UK error "
                "summary, then the results region without tiles.",
            ),
            (400, "text/html"): OpenApiTypes.STR,
            **{
                (int(code), JSON): OpenApiResponse(ERROR, description=text)
                for code, text in COMMON_ERRORS.items()
                if code != "400"  # as JSON only
            },
            # Asked for as HTML, any other error is a short text/html answer.
            **{
                (int(code), "text/html"): OpenApiTypes.STR
                for code in COMMON_ERRORS
                if code != "400"
            },
        },
    )
    def get(self, request):
        if request.accepted_renderer.format == DashboardHTMLRenderer.format:
            return self.fragment(request)
        accepted = [*DashboardFilter.base_filters, api_settings.URL_FORMAT_OVERRIDE]
        if unknown := unknown_parameters(request.query_params, accepted):
            raise ValidationError(unknown)
        filterset = DashboardFilter(request.query_params)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        if csv_requested(request):
            return self.csv(request)
        options = filterset.form.cleaned_data
        today = options.get("today") or timezone.localdate()
        place = place_get()
        entries = dashboard_entries(request.user, options, today=today, place=place)
        document = {"place": place, "today": today, "indicators": entries}
        return Response(DashboardSerializer(document).data)

    def csv(self, request):
        """The site's dashboard download for these filters (its rows)."""
        page = dashboard_page(request.user, request.query_params)
        if page.form.errors:
            raise ValidationError(page.form.errors)
        writer = csv.writer(Echo())
        lines = (
            writer.writerow([spreadsheet_safe(cell) for cell in row])
            for row in csv_rows(page)
        )
        return csv_response(lines, "dashboard-measures.csv")

    def fragment(self, request):
        """The page's results for these filters, from the page cache."""

        def build():
            page = dashboard_page(request.user, request.query_params)
            context = {"page": page, "form": page.form}
            html = render_to_string(FRAGMENT, context, request._request)
            return html, {"errors": bool(page.form.errors)}, not page.form.errors

        params = DashboardFilterForm.base_fields
        html, built = page_cached(request, "dashboard-fragment", build, params=params)
        return Response(html, status=400 if built.get("errors") else 200)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept",))
        return response


class DashboardCSVView(DashboardView):
    """``dashboard.csv``: the dashboard page's CSV download, an operation of
    its own for generated clients (:func:`marmot.api.renderers.csv_download_schema`)."""

    csv_only = True

    @csv_download_schema(
        resource="dashboard",
        parameters=[p for p in DASHBOARD_PARAMETERS if p.name != "format"],
        description="The dashboard page's CSV download (`/dashboard/data.csv`): "
        "one row per measure the filters select.",
    )
    def get(self, request, format=None):
        return super().get(request)
