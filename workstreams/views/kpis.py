"""Output KPI pages (ADR 32): the workstream's KPIs and one KPI (public), and
the chairs' and partners' pages (`kpi_edit`, `kpi_grid`).

Refusals as on the chairs' pages: an unknown slug or id is a 404; a page the
rules keep from the visitor sends anonymous visitors to sign in and gives
signed-in users the 403 page, on GET and POST alike. Every figure comes from
`indicators.output_progress.output_progress` (through
`workstreams.page_selectors.kpi_pages`)."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from workstreams.page_selectors import kpi_pages
from workstreams.views import kpi_edit, kpi_grid


@require_safe
def kpi_list(request, slug: str):
    """The workstream's KPIs: where each stands this year, what is overdue,
    and (to chairs and officers) the links to manage them."""
    workstream = kpi_pages.workstream_get(slug)
    page = kpi_pages.kpi_list_page(
        user=request.user, workstream=workstream, today=timezone.localdate()
    )
    return render(request, "workstreams/kpis/list.html", {"page": page})


@require_safe
def kpi_detail(request, pk: int):
    """One KPI: what it measures and counts, every period of every year, its
    targets and its history."""
    kpi = kpi_pages.kpi_get(pk)
    page = kpi_pages.kpi_detail_page(
        user=request.user, kpi=kpi, today=timezone.localdate()
    )
    return render(
        request,
        "workstreams/kpis/detail.html",
        {"page": page, "kpi": kpi, "workstream": kpi.workstream},
    )


urlpatterns = [
    path("workstreams/<slug:slug>/kpis/", kpi_list, name="kpi-list"),
    path("workstreams/<slug:slug>/kpis/add/", kpi_edit.kpi_add, name="kpi-add"),
    path("workstreams/<slug:slug>/kpis/record/", kpi_grid.kpi_grid, name="kpi-grid"),
    path(
        "workstreams/<slug:slug>/kpis/targets/",
        kpi_edit.kpi_targets,
        name="kpi-targets",
    ),
    path(
        "workstreams/<slug:slug>/kpis/approvals/",
        kpi_grid.kpi_approvals,
        name="kpi-approvals",
    ),
    path("kpis/<int:pk>/", kpi_detail, name="kpi-detail"),
    path("kpis/<int:pk>/edit/", kpi_edit.kpi_edit, name="kpi-edit"),
    path("kpis/<int:pk>/retire/", kpi_edit.kpi_retire, name="kpi-retire"),
    path(
        "kpis/entries/<int:pk>/reopen/",
        kpi_edit.kpi_entry_reopen,
        name="kpi-entry-reopen",
    ),
]
