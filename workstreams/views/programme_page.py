"""Site pages: the programme as a whole (`/programme/`)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from workstreams.page_selectors.programme_page import programme_page


@require_safe
def programme(request):
    """The programme's timeline, the achievements of its system programmes,
    its next steps and its evaluation. Anyone may read it."""
    page = programme_page(user=request.user)
    return render(request, "workstreams/programme/page.html", {"page": page})


urlpatterns = [
    path("programme/", programme, name="programme"),
]
