"""Site-wide URLs: sign in and out, health check, accessibility statement."""

from django.contrib.auth import views as auth_views
from django.urls import path

from marmot.site import accounts, views

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        accounts.PasswordChangeView.as_view(),
        name="password-change",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
]
