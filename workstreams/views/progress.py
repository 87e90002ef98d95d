"""Site pages: a workstream's progress page (`/workstreams/<slug>/`).

The page's body (everything under the breadcrumbs) is rendered on its own,
then placed in the site's layout, which depends on the visitor. The body
depends on the visitor only through their roles, so it is cached under
``progress_cache_key``: their roles, the filters, the day and the data version
(ADR 15), which every write moves, so a change anywhere shows at once. The body
must stay free of anything else about the visitor (no CSRF token, no name).
"""

from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from workstreams.page_selectors.progress import progress_cache_key, progress_page

BODY = "workstreams/_progress_body.html"
# The key changes with the data; the expiry bounds any staleness from a change
# the key cannot see (a write made outside Django) to five minutes.
CACHE_SECONDS = 5 * 60


def _body(request, slug):
    page = progress_page(user=request.user, slug=slug, params=request.GET)
    form = page.filterset.form if page.workplan else None
    context = {"page": page, "form": form}
    return page.workstream.name, render_to_string(BODY, context, request), context


@require_safe
def workstream_detail(request, slug):
    """The workstream, its current workplan and actions (filtered by the GET
    parameters status, rag and lead_organisation), progress and measures, as
    much as the visitor may see. Unknown slug: 404."""
    context = {}
    key = progress_cache_key(user=request.user, slug=slug, params=request.GET)
    cached = cache.get(key)  # an unknown slug is a 404 below, never cached
    if cached is not None:
        title, body = cached
    else:
        title, body, context = _body(request, slug)
        form = context.get("form")
        if not (form and form.errors):  # the layout's title says "Error:"
            cache.set(key, (title, body), CACHE_SECONDS)
    context.update(title=title, body=mark_safe(body))  # noqa: S308 - our template
    return render(request, "workstreams/progress.html", context)


urlpatterns = [
    path("workstreams/<slug:slug>/", workstream_detail, name="workstream-detail"),
]
