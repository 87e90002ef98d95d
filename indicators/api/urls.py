from django.urls import path
from rest_framework.routers import DefaultRouter

from indicators.api import views
from indicators.api.views.dashboard import DashboardCSVView, DashboardView
from indicators.api.views.values import IndicatorValueCSVViewSet

router = DefaultRouter(trailing_slash=True)
router.register("areas", views.AreaViewSet, basename="area")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("values", views.IndicatorValueViewSet, basename="indicator-value")

# Each CSV address names its format, as DRF's format suffixes do (ADR 42).
CSV = {"format": "csv"}
urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("dashboard.csv", DashboardCSVView.as_view(), CSV, name="dashboard-csv"),
    path(
        "values.csv",
        IndicatorValueCSVViewSet.as_view({"get": "list"}),
        CSV,
        name="indicator-value-csv",
    ),
    *router.urls,
]
