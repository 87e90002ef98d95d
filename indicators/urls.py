"""The indicator pages of the site: each view module lists its own URLs."""

from indicators.views import dashboard, indicator

urlpatterns = [
    *dashboard.urlpatterns,
    *indicator.urlpatterns,
]
