"""Site pages: one indicator (`/indicators/<code>/`) and its downloads.

An unpublished indicator is a 404 for whoever may not see it
(`indicators.rules.can_view_indicator`), so its existence is not given away;
those who may see it get the page with a "Not published" warning.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from indicators.page_selectors.indicator import indicator_for_page, indicator_page
from indicators.page_selectors.indicator_download import download_csv, download_xlsx
from indicators.page_selectors.indicator_neighbours import neighbours_view
from indicators.rules import can_view_indicator

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", download_csv),
    "xlsx": (XLSX_TYPE, download_xlsx),
}


def _visible_indicator(request, code: str, *, workstreams: bool = True):
    indicator = indicator_for_page(code=code, workstreams=workstreams)
    if indicator is None or not can_view_indicator(request.user, indicator):
        raise Http404("No such indicator.")
    return indicator


@require_safe
def indicator_detail(request, code: str):
    """Definition, freshness, the chart and its table, comparisons, breakdowns."""
    indicator = _visible_indicator(request, code)
    page = indicator_page(indicator=indicator, today=timezone.localdate())
    neighbours = neighbours_view(
        indicator=indicator, place=page.place, latest=page.latest
    )
    return render(
        request, "indicators/indicator.html", {"page": page, "neighbours": neighbours}
    )


@require_safe
def indicator_download(request, code: str, fmt: str):
    """Every value of the indicator as CSV or XLSX (formulas neutralised)."""
    if fmt not in DOWNLOADS:
        raise Http404("No such download format.")
    indicator = _visible_indicator(request, code, workstreams=False)
    content_type, write = DOWNLOADS[fmt]
    response = HttpResponse(write(indicator), content_type=content_type)
    file_name = f"{indicator.code}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


urlpatterns = [
    path("indicators/<str:code>/", indicator_detail, name="indicator-detail"),
    path(
        "indicators/<str:code>/download.<str:fmt>",
        indicator_download,
        name="indicator-download",
    ),
]
