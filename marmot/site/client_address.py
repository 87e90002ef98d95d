"""The client's address: one answer for the API throttles, the site's form rate
limits and django-axes (ADR 0024).

``X-Forwarded-For`` is only believed as far as the ``TRUSTED_PROXY_COUNT``
proxies in front of the app wrote it (default 0: no proxy is trusted, and the
address is ``REMOTE_ADDR``, the peer that opened the connection). Each proxy
appends the address it saw, so with N trusted proxies the client is the N-th
entry from the right; anything left of it is the client's own claim, which
anyone can forge. DRF's ``NUM_PROXIES`` is set from the same setting, so any
DRF throttle agrees with this function.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _address(text: str | None) -> str | None:
    """``text`` as a normalised IP address (one spelling per address), or None."""
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address of the client that sent ``request``, or None when the
    connection has none (e.g. a Unix socket without a proxy). Used as
    ``AXES_CLIENT_IP_CALLABLE`` and by `marmot.api.throttles` and
    `marmot.site.ratelimit`."""
    meta = request.META
    remote = _address(meta.get("REMOTE_ADDR"))
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            # Fewer entries than proxies: the left-most is the furthest any
            # proxy saw (DRF's NUM_PROXIES makes the same choice).
            claimed = _address(forwarded[-min(proxies, len(forwarded))])
            if claimed is not None:
                return claimed
    return remote
