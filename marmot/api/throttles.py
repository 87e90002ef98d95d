"""Throttles: anonymous reads (scope ``anon``) and partners' writes.

Every throttle counts a client by `marmot.site.client_address` (ADR 0024): a
forged ``X-Forwarded-For`` does not give a client a fresh count.
"""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from marmot.principals import principal_for
from marmot.site.client_address import client_address


class SettingsRateMixin:
    """Read the rate from the settings on each request (DRF reads it at import),
    so a deployment or a test can change it; count anonymous clients by the
    site's one answer to "the client's address"."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request) or "unknown"


class AnonReadThrottle(SettingsRateMixin, AnonRateThrottle):
    """Anonymous requests, limited by the ``anon`` rate per client address."""

    scope = "anon"


class PartnerWriteThrottle(SettingsRateMixin, UserRateThrottle):
    """Writes by partner users (who are not also officers or chairs), per user."""

    scope = "partner_write"

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        principal = principal_for(request.user)
        if not principal.is_partner or principal.officer:
            return True
        if principal.chaired_workstream_ids:
            return True
        return super().allow_request(request, view)


API_THROTTLES = [AnonReadThrottle, PartnerWriteThrottle]
