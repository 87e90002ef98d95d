"""Site pages: a workstream's progress page (`/workstreams/<slug>/`).

The page's body (everything under the breadcrumbs) is rendered on its own,
then placed in the site's layout, which depends on the visitor. The body
depends on the visitor only through their roles, so it is cached per set of
roles (marmot.site.page_cache, ADR 15) until the data changes. It must stay
free of anything else about the visitor (no CSRF token, no name).
"""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from marmot.site.page_cache import page_cached
from workstreams.page_selectors.progress import PROGRESS_PARAMS, progress_page

BODY = "workstreams/_progress_body.html"


def _body(request, slug):
    page = progress_page(user=request.user, slug=slug, params=request.GET)
    form = page.filterset.form if page.workplan else None
    context = {"page": page, "form": form}
    body = render_to_string(BODY, context, request)
    keep = not (form and form.errors)  # the layout's title says "Error:"
    return (page.workstream.name, body), context, keep


@require_safe
def workstream_detail(request, slug):
    """The workstream, its current workplan and actions (filtered by the GET
    parameters status, rag and lead_organisation), progress and measures, as
    much as the visitor may see. Unknown slug: 404 (never cached)."""
    (title, body), context = page_cached(
        request,
        "progress-page",
        lambda: _body(request, slug),
        slug,
        params=PROGRESS_PARAMS,
    )
    context.update(title=title, body=mark_safe(body))  # noqa: S308 - our template
    return render(request, "workstreams/progress.html", context)


urlpatterns = [
    path("workstreams/<slug:slug>/", workstream_detail, name="workstream-detail"),
]
