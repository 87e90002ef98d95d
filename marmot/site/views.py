"""Site-wide pages: sign in, health check, accessibility statement."""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from marmot.principals import principal_for
from marmot.site import health
from marmot.site.errors import RETRY_AFTER_SECONDS
from marmot.site.forms import GovukFormMixin
from marmot.site.ratelimit import rate_limited, wait_in_words


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. "
        "Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No autofocus: it would skip the skip link and the page's heading.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


@method_decorator(rate_limited("login"), name="dispatch")
class SignInView(auth_views.LoginView):
    """Sign in. Its POSTs are rate-limited per address (``RATE_LIMITS["login"]``)
    and django-axes locks a username at an address after ``AXES_FAILURE_LIMIT``
    failures from it (ADR 0024; see `sign_in_locked_out`)."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Where to go without a safe ``next``: a workstream's chair or
        deputy to their workstreams ("chair-home"), everyone else to
        ``LOGIN_REDIRECT_URL``. (An unsafe ``next`` is dropped by Django's
        `get_redirect_url` before this is asked.)"""
        if principal_for(self.request.user).chaired_workstream_ids:
            try:
                return reverse("chair-home")
            except NoReverseMatch:  # no programme wired in this deployment
                pass
        return super().get_default_redirect_url()


def cool_off_seconds_left(request, credentials=None) -> int | None:
    """Seconds until this username may sign in again from this address: the
    cool-off counted from the latest failure axes holds for them (a try while
    locked is not recorded: ``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``
    is off). None when the lock has no end (no ``AXES_COOLOFF_TIME``)."""
    cool_off = get_cool_off(request)
    if not cool_off:
        return None
    latest = None
    handler = AxesProxyHandler.get_implementation()
    for attempts in getattr(handler, "get_user_attempts", lambda *a: [])(
        request, credentials
    ):
        when = attempts.aggregate(latest=Max("attempt_time"))["latest"]
        if when is not None and (latest is None or when > latest):
            latest = when
    if latest is None:  # a handler that keeps no times: the whole cool-off
        return math.ceil(cool_off.total_seconds())
    return max(1, math.ceil((latest + cool_off - timezone.now()).total_seconds()))


def sign_in_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response (``AXES_LOCKOUT_CALLABLE``): a page in the
    site's design, status 429, saying how long is really left (and in
    ``Retry-After``). It is the same whether or not the username exists, and
    never repeats it, so it reveals nothing about accounts."""
    seconds = cool_off_seconds_left(request, credentials)
    response = render(
        request,
        "registration/locked_out.html",
        {"wait": wait_in_words(seconds) if seconds else None},
        status=429,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 with ``Retry-After`` when it does not
    (for the compose healthcheck and load balancers), within 2 seconds even when
    the database hangs (`marmot.site.health`). Says nothing else about the
    deployment."""
    if not health.database_ok():
        response = JsonResponse(
            {"status": "unavailable", "database": "down"}, status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


class AccessibilityView(TemplateView):
    template_name = "site/accessibility.html"
