from django.urls import path
from rest_framework.routers import DefaultRouter

from indicators.api import views
from indicators.api.views.dashboard import DashboardView

router = DefaultRouter(trailing_slash=True)
router.register("areas", views.AreaViewSet, basename="area")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("values", views.IndicatorValueViewSet, basename="indicator-value")

urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    *router.urls,
]
