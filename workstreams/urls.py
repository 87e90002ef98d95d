"""The workstreams pages of the site: each view module lists its own URLs."""

from workstreams.views import (
    chair,
    chair_home,
    chair_milestones,
    changes,
    consultation,
    evidence,
    invitations,
    kpi_spreadsheet,
    kpis,
    logic_model,
    measures_table,
    overview,
    programme_page,
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
    *chair_milestones.urlpatterns,
    *evidence.urlpatterns,
    *recommendations.urlpatterns,
    *programme_page.urlpatterns,
    *changes.urlpatterns,
    *invitations.urlpatterns,
    *consultation.urlpatterns,
    *submissions.urlpatterns,
    *kpis.urlpatterns,
    *kpi_spreadsheet.urlpatterns,
    *chair_home.urlpatterns,
]
