"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path, re_path

from marmot.api.errors import api_fallback

admin.site.site_header = "Marmot Tracker administration"
admin.site.site_title = "Marmot Tracker"
admin.site.index_title = "Programme administration"
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("marmot.api.urls")),
    # Any other /api/ address: the API's JSON 404, or a 308 to the address
    # with the trailing slash (instead of APPEND_SLASH's HTML redirect).
    re_path(r"^api(?:/(?P<rest>.*))?$", api_fallback),
    path("", include("marmot.site.urls")),
    path("", include("workstreams.urls")),
    path("", include("indicators.urls")),
]

# An unreachable database answers 503 with Retry-After (marmot/site/errors.py).
handler500 = "marmot.site.errors.server_error"
