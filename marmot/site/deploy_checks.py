"""Deployment checks of our own (`manage.py check --deploy`), registered by
the production settings.

marmot.W001: the default cache (``CACHE_URL``) is one each process keeps for
itself (local memory) or none at all (dummy). The form rate limits, the API
throttles and the page cache's data version then hold per gunicorn worker, not
per site: three workers let three times the limit through (ADR 0024).
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs=None, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"The default cache is {backend.rsplit('.', 1)[-1]}, which each "
            "process keeps for itself: rate limits and API throttles then count "
            "per gunicorn worker, not for the whole site.",
            hint="Set CACHE_URL to a cache every worker shares, e.g. "
            "redis://cache:6379/0 (docker compose runs one); see "
            "docs/operations.md.",
            id="marmot.W001",
        )
    ]
