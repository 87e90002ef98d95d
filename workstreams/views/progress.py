"""Site pages: a workstream's progress page (`/workstreams/<slug>/`)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from workstreams.page_selectors.progress import progress_page


@require_safe
def workstream_detail(request, slug):
    """The workstream, its current workplan and actions (filtered by the GET
    parameters status, rag and lead_organisation), progress and measures, as
    much as the visitor may see. Unknown slug: 404."""
    page = progress_page(user=request.user, slug=slug, params=request.GET)
    form = page.filterset.form if page.workplan else None
    return render(request, "workstreams/progress.html", {"page": page, "form": form})


urlpatterns = [
    path("workstreams/<slug:slug>/", workstream_detail, name="workstream-detail"),
]
