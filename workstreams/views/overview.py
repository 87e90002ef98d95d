"""Site pages: the overview for the oversight group (`/`)."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from marmot.site.page_cache import page_cached
from workstreams.page_selectors.overview import overview_page

BODY = "workstreams/_overview_body.html"


@require_safe
def overview(request):
    """Every workstream as a card and the outcome measures by Marmot principle,
    as much as the visitor may see (anonymous visitors: published only). The
    body is cached per set of roles until the data changes (ADR 15)."""

    def build():
        context = {"page": overview_page(user=request.user)}
        return render_to_string(BODY, context, request), context, True

    body, context = page_cached(request, "overview", build)
    context["body"] = mark_safe(body)  # noqa: S308 - our template
    return render(request, "workstreams/overview.html", context)


urlpatterns = [
    path("", overview, name="home"),
]
