"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Marmot Tracker administration"
admin.site.site_title = "Marmot Tracker"
admin.site.index_title = "Programme administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("marmot.api.urls")),
    path("", include("marmot.site.urls")),
    path("", include("workstreams.urls")),
    path("", include("indicators.urls")),
]

# An unreachable database answers 503 with Retry-After (marmot/site/errors.py).
handler500 = "marmot.site.errors.server_error"
