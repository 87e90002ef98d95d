"""Site pages: the overview for the oversight group (`/`)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from workstreams.page_selectors.overview import overview_page


@require_safe
def overview(request):
    """Every workstream as a card and the outcome measures by Marmot principle,
    as much as the visitor may see (anonymous visitors: published only)."""
    return render(
        request,
        "workstreams/overview.html",
        {"page": overview_page(user=request.user)},
    )


urlpatterns = [
    path("", overview, name="home"),
]
