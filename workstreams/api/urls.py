from django.urls import path
from rest_framework.routers import DefaultRouter

from workstreams.api import views
from workstreams.api.views.actions import ActionCSVViewSet
from workstreams.api.views.me import MeView
from workstreams.api.views.milestones import MilestoneViewSet

router = DefaultRouter(trailing_slash=True)
router.register("principles", views.PrincipleViewSet, basename="principle")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("workstreams", views.WorkstreamViewSet, basename="workstream")
router.register("logic-models", views.LogicModelViewSet, basename="logic-model")
router.register("workplans", views.WorkplanViewSet, basename="workplan")
router.register("priorities", views.PriorityViewSet, basename="priority")
router.register("actions", views.ActionViewSet, basename="action")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register(
    "progress-updates", views.ProgressUpdateViewSet, basename="progress-update"
)
router.register(
    "recommendations", views.RecommendationViewSet, basename="recommendation"
)
router.register("submissions", views.SubmissionViewSet, basename="submission")
router.register("kpis", views.KpiViewSet, basename="kpi")
router.register("kpi-entries", views.KpiEntryViewSet, basename="kpi-entry")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    # The list's CSV, named by its format as DRF's format suffixes (ADR 42).
    path(
        "actions.csv",
        ActionCSVViewSet.as_view({"get": "list"}),
        {"format": "csv"},
        name="action-csv",
    ),
    *router.urls,
]
