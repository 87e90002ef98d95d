"""Site pages: the recommendations coverage audit (`/recommendations/`)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from workstreams.page_selectors.recommendations import recommendations_page


@require_safe
def recommendations(request):
    """Every recommendation with the actions answering it that the visitor may
    see; ``?has_actions=false`` lists those with no action."""
    page = recommendations_page(request=request, params=request.GET)
    return render(
        request,
        "workstreams/recommendations.html",
        {"page": page, "filter_form": page.filterset.form},
    )


urlpatterns = [
    path("recommendations/", recommendations, name="recommendations"),
]
