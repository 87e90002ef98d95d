"""Site-wide pages: sign in, health check, accessibility statement."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from marmot.site.forms import GovukFormMixin
from marmot.site.ratelimit import rate_limited


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
    and django-axes locks out a username or address after
    ``AXES_FAILURE_LIMIT`` failures (see `sign_in_locked_out`)."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def sign_in_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response (``AXES_LOCKOUT_CALLABLE``): a page in the
    site's design, status 429. It is the same whether or not the username
    exists, and never repeats it, so it reveals nothing about accounts."""
    hours = settings.AXES_COOLOFF_TIME
    minutes = round(float(hours) * 60) if isinstance(hours, int | float) else None
    response = render(
        request,
        "registration/locked_out.html",
        {"cool_off_minutes": minutes},
        status=429,
    )
    add_never_cache_headers(response)
    return response


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not (for the compose
    healthcheck and load balancers). Says nothing else about the deployment."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class AccessibilityView(TemplateView):
    template_name = "site/accessibility.html"
