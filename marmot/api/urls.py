"""API v1: each app's router under /api/v1/, plus schema, docs and tokens."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.authtoken.views import ObtainAuthToken

from indicators.api.urls import urlpatterns as indicator_urls
from marmot.api.throttles import AnonReadThrottle
from workstreams.api.urls import urlpatterns as workstream_urls

V1 = [*workstream_urls, *indicator_urls]


@extend_schema_view(
    post=extend_schema(
        summary="Get an API token for scripts",
        description="Send username and password; use the token as "
        "`Authorization: Token <key>`. The site itself uses sessions.",
    )
)
class TokenView(ObtainAuthToken):
    throttle_classes = [AnonReadThrottle]


urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="api-token"),
    # One namespace, "api", so the API's route names ("action-detail",
    # "dashboard", ...) never collide with the site pages' names.
    path("v1/", include((V1, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path(
        "redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"
    ),
]
