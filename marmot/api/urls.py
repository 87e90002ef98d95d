"""API v1: each app's router under /api/v1/, plus schema, docs and tokens."""

from django.contrib.auth import authenticate, user_logged_in, user_logged_out
from django.urls import include, path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.api.urls import urlpatterns as indicator_urls
from marmot.api import tokens
from marmot.api.throttles import AnonReadThrottle
from marmot.site.ratelimit import wait_in_words
from marmot.site.views import cool_off_seconds_left
from workstreams.api.urls import urlpatterns as workstream_urls

V1 = [*workstream_urls, *indicator_urls]


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(write_only=True)
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )

    def validate(self, attrs):
        # Through the authentication backends, so django-axes counts failures.
        user = authenticate(
            request=self.context["request"],
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:
            _refuse_if_locked_out(self.context["request"], attrs["username"])
            raise serializers.ValidationError(
                "Unable to log in with provided credentials.", code="authorization"
            )
        attrs["user"] = user
        return attrs


def _refuse_if_locked_out(request, username: str) -> None:
    """django-axes refused the sign-in because the username is locked at this
    address (it marks the request): a 429 that says how long is left, as the
    site's sign-in page does (ADR 24), not a wrong-password 400."""
    django_request = getattr(request, "_request", request)
    if not (
        getattr(request, "axes_locked_out", False)
        or getattr(django_request, "axes_locked_out", False)
    ):
        return
    seconds = cool_off_seconds_left(request, {"username": username})
    wait = f"try again in {wait_in_words(seconds)}" if seconds else "ask an officer"
    raise exceptions.Throttled(
        wait=seconds,
        detail=f"Too many failed sign-ins for this account from this address: {wait}.",
        code="locked_out",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send as `Authorization: Token <token>`. Shown only this once."
    )
    expiry = serializers.DateTimeField(
        help_text="When the token stops working; then ask for a new one."
    )


class TokenView(APIView):
    """Username and password in, a token that expires out (ADR 0027)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonReadThrottle]
    serializer_class = CredentialsSerializer

    @extend_schema(
        summary="Get an API token for scripts",
        description="Send username and password; use the token as "
        "`Authorization: Token <key>` until its `expiry` (then ask again). "
        "A password change revokes every token of the account; "
        "`auth/logout/` revokes this one. The site itself uses sessions.",
        request=CredentialsSerializer,
        responses={200: TokenSerializer},
        auth=[],
    )
    def post(self, request):
        serializer = CredentialsSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        instance, key = tokens.api_token_create(user=user)
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        body = TokenSerializer({"token": key, "expiry": instance.expiry})
        return Response(body.data)


class _TokenLogoutView(APIView):
    # Only a token can be logged out: a browser session signs out on the site.
    authentication_classes = [tokens.TokenAuthentication]
    permission_classes = [IsAuthenticated]
    every_token = False  # this token only, or every token of the account

    def post(self, request):
        if self.every_token:
            tokens.api_tokens_revoke_all(user=request.user)
        else:
            tokens.api_token_revoke(token=request.auth)
        user_logged_out.send(
            sender=request.user.__class__, request=request, user=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    summary="Revoke this API token",
    description="The token sent with this request stops working at once.",
    request=None,
    responses={204: OpenApiResponse(description="Revoked.")},
)
class LogoutView(_TokenLogoutView):
    pass


@extend_schema(
    summary="Revoke every API token of this account",
    description="Every token of the signed-in account stops working at once "
    "(as a password change does).",
    request=None,
    responses={204: OpenApiResponse(description="All revoked.")},
)
class LogoutAllView(_TokenLogoutView):
    every_token = True


urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("v1/auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("v1/auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
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
