"""The workstreams pages of the site: each view module lists its own URLs."""

from workstreams.views import (
    chair,
    changes,
    logic_model,
    overview,
    progress,
    recommendations,
)

urlpatterns = [
    *overview.urlpatterns,
    *progress.urlpatterns,
    *logic_model.urlpatterns,
    *chair.urlpatterns,
    *recommendations.urlpatterns,
    *changes.urlpatterns,
]
