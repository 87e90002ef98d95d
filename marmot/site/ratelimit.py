"""Rate limits on the forms people could abuse (sign-in, submissions,
invitation links): a fixed window counted in Django's cache.

Limits are set in ``settings.RATE_LIMITS`` as ``"<count>/<period>"`` with
period one of second, minute, hour, day (e.g. ``"20/hour"``). Only POSTs count.
A signed-in user is counted by account; anyone else by address, as
`marmot.site.client_address` gives it (``X-Forwarded-For`` only from the
``TRUSTED_PROXY_COUNT`` proxies; ADR 0024). A refusal is a 429 page saying how
long is left of the window, with ``Retry-After``.

The cache must be shared by every worker process for the limits to hold across
them: set ``CACHE_URL`` in production (the default is per-process memory, and
``check --deploy`` warns about it: marmot.W001).
"""

from __future__ import annotations

import functools
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from marmot.site.client_address import client_address

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


def seconds_left(rate: str, now: float | None = None) -> int:
    """Seconds until the current window of ``rate`` ends (at least 1)."""
    _limit, seconds = parse_rate(rate)
    now = time.time() if now is None else now
    return max(1, math.ceil(seconds - now % seconds))


def wait_in_words(seconds: float) -> str:
    """``2400`` → ``"40 minutes"``, ``3600`` → ``"1 hour"``, ``4500`` →
    ``"1 hour 15 minutes"``: whole minutes, rounded up, at least one."""
    minutes = max(1, math.ceil(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def client_key(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{client_address(request) or 'unknown'}"


def too_many_requests(request, scope: str, retry_after: int | None = None):
    response = render(
        request,
        "site/too_many_requests.html",
        {
            "scope": scope,
            "wait": wait_in_words(retry_after) if retry_after else None,
        },
        status=429,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope: str):
    """Decorate a view: POSTs beyond ``settings.RATE_LIMITS[scope]`` get a 429
    page (in the site's design) and the view is not run."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                rate, now = settings.RATE_LIMITS[scope], time.time()
                if rate_limit_hit(
                    scope=scope, key=client_key(request), rate=rate, now=now
                ):
                    return too_many_requests(
                        request, scope, retry_after=seconds_left(rate, now)
                    )
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
