"""The chair's landing page (`/my-workstreams/`, "Your workstreams"): where a
chair or deputy lands after signing in (`marmot.site.views.SignInView`), with
what needs their attention in each of their workstreams; officers see every
workstream. Anonymous visitors are sent to sign in; anyone else the rule
(`rules.can_view_chair_home`) keeps out gets the 403 page."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from marmot.site.access import require
from workstreams import rules
from workstreams.page_selectors.chair_home import chair_home_page


@require_safe
def chair_home(request):
    """The visitor's workstreams, each with what needs attention (a count and
    a link to where it is dealt with), or "Nothing needs your attention"."""
    if denied := require(request, rules.can_view_chair_home(request.user)):
        return denied
    page = chair_home_page(user=request.user, today=timezone.localdate())
    return render(request, "workstreams/chair/home.html", {"page": page})


urlpatterns = [
    path("my-workstreams/", chair_home, name="chair-home"),
]
