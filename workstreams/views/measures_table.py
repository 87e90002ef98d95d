"""Site pages: the measures table (`/measures/`) and its CSV and XLSX downloads.

The page is public; what each visitor sees follows the dashboard's rule,
:func:`indicators.rules.visible_indicators` (anonymous visitors and partners
see published indicators only). The view lives here, not in ``indicators``,
because that rule is a workstreams rule and ``indicators`` must not import
``workstreams``; the table itself is built by
:mod:`indicators.page_selectors.measures_table`. The body is cached per set of
roles until the data changes (ADR 15). A ``?sort=`` we do not know is a 400
naming the sorts we do.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from indicators.models import Indicator
from indicators.page_selectors.measures_table import (
    DEFAULT_SORT,
    SORTS,
    SortError,
    measures_table,
)
from indicators.page_selectors.measures_table_download import (
    measures_csv,
    measures_xlsx,
)
from indicators.rules import visible_indicators
from marmot.site.page_cache import page_cached

BODY = "workstreams/_measures_table_body.html"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", measures_csv),
    "xlsx": (XLSX_TYPE, measures_xlsx),
}

#: The comparisons' shapes and letters, explained above the table.
KEY = [
    ("green", "G better"),
    ("amber", "A similar"),
    ("red", "R worse"),
    ("none", "N/a not compared"),
]


def _table(request):
    sort = request.GET.get("sort") or DEFAULT_SORT
    indicators = visible_indicators(request.user, Indicator.objects.all())
    return measures_table(indicators=indicators, sort=sort)


def _sort_links(sort: str) -> dict[str, dict]:
    """Per sortable column: the link (the reverse order when it is the sort
    already) and its aria-sort value."""
    links = {}
    for name in SORTS:
        if sort == name:
            links[name] = {"sort": f"-{name}", "aria": "ascending"}
        elif sort == f"-{name}":
            links[name] = {"sort": name, "aria": "descending"}
        else:
            links[name] = {"sort": name, "aria": "none"}
    return links


@require_safe
def measures_table_page(request):
    """Every measure the visitor may see, both snapshots, sortable."""

    def build():
        try:
            table = _table(request)
        except SortError as error:
            context = {"error": str(error)}
            return render_to_string(BODY, context, request), context, False
        context = {"table": table, "sorts": _sort_links(table.sort), "key": KEY}
        return render_to_string(BODY, context, request), context, True

    body, context = page_cached(request, "measures-table", build, params=("sort",))
    status = 400 if context.get("error") else 200
    context["body"] = mark_safe(body)  # noqa: S308 - our template
    return render(request, "workstreams/measures_table.html", context, status=status)


@require_safe
def measures_table_download(request, fmt: str):
    """The table as CSV or XLSX, in the page's order (formulas neutralised)."""
    if fmt not in DOWNLOADS:
        raise Http404("No such download format.")
    try:
        table = _table(request)
    except SortError as error:
        return HttpResponse(
            f"{error}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    content_type, write = DOWNLOADS[fmt]
    content = write(table)
    if fmt == "csv":
        content = "\ufeff" + content  # so spreadsheets read the file as UTF-8
    response = HttpResponse(content, content_type=content_type)
    file_name = f"outcome-measures-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


urlpatterns = [
    path("measures/", measures_table_page, name="measures-table"),
    path(
        "measures/download.<str:fmt>",
        measures_table_download,
        name="measures-table-download",
    ),
]
