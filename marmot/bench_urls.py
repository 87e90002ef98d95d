"""The site's URLs plus ``/bench/minimal/``, for marmot.settings.bench only.

The minimal view is the framework's floor: the same middleware, sessions and
authentication as every page, no query of its own and a constant body.
"""

from django.http import HttpResponse
from django.urls import path

from marmot.urls import handler500  # noqa: F401 - the site's own 500/503 handler
from marmot.urls import urlpatterns as site_urlpatterns


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal, name="bench-minimal"), *site_urlpatterns]
