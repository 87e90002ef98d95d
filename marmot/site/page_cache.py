"""Page bodies cached per set of roles under the data version (ADR 15).

A page whose body depends on its visitor only through their roles
(:func:`workstreams.rules.principal_cache_key`) - not their name, not a CSRF
token - can be built once and served to everyone with the same roles: all
visitors who are not signed in, the oversight group, the officers, the chairs
of the same workstreams, one organisation's partners. The key also holds the
page's own parts (e.g. a slug), its query string and today's date, and the data
version, which every write moves, so a change shows at once. The layout around
the body (the visitor's name, the CSP nonce, messages) is rendered per request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from marmot.site.data_version import data_version
from workstreams import rules

# The version in the key changes with the data; the expiry bounds a change it
# cannot see (a write made outside Django) to five minutes.
CACHE_SECONDS = 5 * 60


def page_cache_key(request, name: str, *parts: str) -> str:
    """The key of page ``name`` (with ``parts``) as ``request``'s visitor
    sees it today, as the data stands now (one query: the data version)."""
    digest = hashlib.sha256()
    for part in (
        rules.principal_cache_key(request.user),
        timezone.localdate().isoformat(),
        request.GET.urlencode(),
        *parts,
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return f"{name}:{data_version()}:{digest.hexdigest()}"


def page_cached(
    request, name: str, build: Callable[[], tuple[Any, dict, bool]], *parts: str
) -> tuple[Any, dict]:
    """``(value, context)``: ``build()`` returns ``(value, context, keep)``;
    the value is kept (when ``keep``) and served to the same roles until the
    data changes, with an empty context (build's context is for the layout of
    the request that built it)."""
    key = page_cache_key(request, name, *parts)
    value = cache.get(key)
    if value is not None:
        return value, {}
    value, context, keep = build()
    if keep:
        cache.set(key, value, CACHE_SECONDS)
    return value, context
