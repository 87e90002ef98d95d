"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Marmot Tracker administration"
admin.site.site_title = "Marmot Tracker"
admin.site.index_title = "Programme administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("marmot.api.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
