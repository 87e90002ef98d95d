"""Site page: the spine chart (`/measures/spine/`, optionally `?principle=N`).

Each measure's place value against the range of every area of the same type in
England (ADR 21). Unpublished measures are left out for whoever may not see them
(`indicators.rules.visible_indicators`), as on the other measure pages.
"""

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from indicators.models import Indicator
from indicators.page_selectors.spine import SPINE_HEIGHT, SPINE_WIDTH, spine_groups
from indicators.rules import visible_indicators
from indicators.selectors import place_get
from marmot.whole_numbers import whole_number


@require_safe
def spine_chart(request):
    """Every measure (or one principle's) against the England range."""
    indicators = visible_indicators(request.user, Indicator.objects.all())
    principle = request.GET.get("principle", "").strip()
    if principle:
        number = whole_number(principle)
        if number is None:
            return HttpResponseBadRequest(
                "The principle parameter must be a principle's number, e.g. 2."
            )
        indicators = indicators.filter(principle__number=number)
        if not indicators.exists():
            raise Http404("No such principle.")
    groups = spine_groups(indicators=indicators, place=place_get())
    context = {
        "groups": groups,
        "principle": principle,
        "width": SPINE_WIDTH,
        "height": SPINE_HEIGHT,
    }
    return render(request, "indicators/spine.html", context)


urlpatterns = [path("measures/spine/", spine_chart, name="measures-spine")]
