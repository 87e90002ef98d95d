"""The indicator pages of the site: each view module lists its own URLs."""

from indicators.views import dashboard, indicator, spine

urlpatterns = [
    *dashboard.urlpatterns,
    *indicator.urlpatterns,
    *spine.urlpatterns,
]
