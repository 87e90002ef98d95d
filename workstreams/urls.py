"""The workstreams pages of the site: each view module lists its own URLs."""

from workstreams.views import (
    chair,
    changes,
    consultation,
    invitations,
    kpi_spreadsheet,
    kpis,
    logic_model,
    measures_table,
    overview,
    progress,
    recommendations,
    submissions,
)

urlpatterns = [
    *overview.urlpatterns,
    *measures_table.urlpatterns,
    *progress.urlpatterns,
    *logic_model.urlpatterns,
    *chair.urlpatterns,
    *recommendations.urlpatterns,
    *changes.urlpatterns,
    *invitations.urlpatterns,
    *consultation.urlpatterns,
    *submissions.urlpatterns,
    *kpis.urlpatterns,
    *kpi_spreadsheet.urlpatterns,
]
