"""Site pages: the KPI dashboard and its CSV download.

Both are public: what each visitor sees is decided by
:func:`indicators.rules.visible_indicators` (anonymous visitors see published
indicators only), inside :func:`indicators.page_selectors.dashboard.dashboard_page`.
When a filter changes, ``static/js/dashboard.js`` swaps in the results region
that ``GET /api/v1/dashboard/`` renders as HTML from the same selector and
template (ADR 20); without JavaScript the form's GET renders it here.
"""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from indicators.formatting import unit_of
from indicators.page_selectors.dashboard import (
    COMPARATORS,
    DashboardFilterForm,
    DashboardPage,
    benchmark_names,
    dashboard_page,
)
from marmot.site.page_cache import page_cached

#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


BODY = "indicators/_dashboard_body.html"


@require_safe
def dashboard(request):
    """Every visible measure's latest value, filtered by the GET form; the
    body is cached per set of roles until the data changes (ADR 15), except
    when the filters are wrong (400)."""

    def build():
        page = dashboard_page(request.user, request.GET)
        context = {"page": page, "form": page.form}
        body = render_to_string(BODY, context, request)
        return body, context, not page.form.errors

    params = DashboardFilterForm.base_fields
    body, context = page_cached(request, "dashboard", build, params=params)
    form = context.get("form")
    status = 400 if form and form.errors else 200
    context["body"] = mark_safe(body)  # noqa: S308 - our template
    return render(request, "indicators/dashboard.html", context, status=status)


def spreadsheet_safe(cell):
    """Text that a spreadsheet would run as a formula gets a leading quote.

    Numbers are left as numbers (a negative value is not a formula).
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return f"'{cell}"
    return cell


def _number(value):
    return "" if value is None else value


#: An output KPI's columns (ADR 32), blank for an outcome measure.
OUTPUT_HEADER = [
    "Kind",
    "Financial year",
    "Year to date",
    "Year to date as shown",
    "Year-to-date target",
    "Annual target",
    "Against target",
    "Against target (code)",
    "Overdue periods",
]


def output_cells(tile) -> list:
    """The KPI columns of one tile: the kind, then an output KPI's year."""
    kind = tile.indicator.get_kind_display()
    summary = tile.output
    if summary is None:
        return [kind] + [""] * (len(OUTPUT_HEADER) - 1)
    progress = summary.progress
    judgement = summary.judgement
    return [
        kind,
        summary.year_label,
        _number(progress.year_to_date),
        summary.year_to_date_text,
        _number(progress.year_to_date_target),
        _number(progress.annual_target.value if progress.annual_target else None),
        judgement.words if judgement else summary.judgement_missing,
        judgement.status.value if judgement else "",
        "; ".join(progress.overdue),
    ]


def csv_rows(page: DashboardPage) -> list[list]:
    """A header and one row per measure shown, grouped as on the page; an
    output KPI's row has its year to date, target, judgement and overdue
    periods (ADR 32)."""
    names = benchmark_names(page.place)
    header = [
        "Marmot principle",
        "Code",
        "Measure",
        "Unit",
        "Period",
        "Value",
        "Value as shown",
        "Lower 95% limit",
        "Upper 95% limit",
    ]
    for key in COMPARATORS:
        heading = names[key][0]
        header += [f"{heading} value", f"Compared with {names[key][1]}"]
    header += ["Compared with target", "Trend", *OUTPUT_HEADER]
    rows = [header]
    for group in page.groups:
        for tile in group.tiles:
            entry, latest = tile.entry, tile.entry.value
            row = [
                group.title,
                tile.indicator.code,
                tile.indicator.name,
                unit_of(tile.indicator),
                latest.period.label if latest else "",
                _number(latest.value if latest else None),
                tile.value_text if latest else "",
                _number(latest.lower95 if latest else None),
                _number(latest.upper95 if latest else None),
            ]
            for key in [*COMPARATORS, "target"]:
                benchmark = entry.benchmark_values.get(key)
                assessment = entry.assessments.get(key)
                if key != "target":
                    row.append(_number(benchmark.value if benchmark else None))
                row.append(assessment.get_result_display() if assessment else "")
            row.append(entry.trend.label if entry.trend else "")
            row += output_cells(tile)
            rows.append(row)
    return rows


@require_safe
def dashboard_csv(request):
    page = dashboard_page(request.user, request.GET)
    if page.form.errors:
        errors = "; ".join(e for errs in page.form.errors.values() for e in errs)
        return HttpResponse(
            f"{errors}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dashboard-measures.csv"'
    response.write("\ufeff")  # so spreadsheets read the file as UTF-8
    writer = csv.writer(response)
    for row in csv_rows(page):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/data.csv", dashboard_csv, name="dashboard-csv"),
]
