"""Rate limits on the forms people could abuse (sign-in, submissions,
invitation links): a fixed window counted in Django's cache.

Limits are set in ``settings.RATE_LIMITS`` as ``"<count>/<period>"`` with
period one of second, minute, hour, day (e.g. ``"20/hour"``). Only POSTs count.
A signed-in user is counted by account; anyone else by IP address (the proxy
in front of the app must set ``REMOTE_ADDR``; see the README's deployment
notes).

The cache must be shared by every worker process for the limits to hold across
them: set ``CACHE_URL`` in production (the default is per-process memory).
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/hour"`` → ``(20, 3600)``; a clear ValueError for anything else."""
    try:
        count, period = rate.split("/")
        return int(count), PERIODS[period.strip()]
    except (ValueError, KeyError):
        raise ValueError(
            f"Rate {rate!r} is not '<count>/<period>' with period one of "
            f"{', '.join(PERIODS)}."
        ) from None


def rate_limit_hit(
    *, scope: str, key: str, rate: str, now: float | None = None
) -> bool:
    """Count one attempt for ``key`` in ``scope``; True when it is over the limit."""
    limit, seconds = parse_rate(rate)
    window = int((time.time() if now is None else now) // seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds + 1)
        count = 1
    return count > limit


def client_key(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', 'unknown')}"


def too_many_requests(request, scope: str):
    return render(request, "site/too_many_requests.html", {"scope": scope}, status=429)


def rate_limited(scope: str):
    """Decorate a view: POSTs beyond ``settings.RATE_LIMITS[scope]`` get a 429
    page (in the site's design) and the view is not run."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and rate_limit_hit(
                scope=scope, key=client_key(request), rate=settings.RATE_LIMITS[scope]
            ):
                return too_many_requests(request, scope)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
