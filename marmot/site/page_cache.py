"""Page bodies cached per set of roles under the data version (ADR 15).

A page whose body depends on its visitor only through their roles
(:func:`marmot.principals.principal_cache_key`) - not their name, not a CSRF
token - can be built once and served to everyone with the same roles: all
visitors who are not signed in, the oversight group, the officers, the chairs
of the same workstreams, one organisation's partners. The key also holds the
page's own parts (e.g. a slug), the query parameters the page reads (others
cannot make new entries), today's date, and the data version, which every write
moves, so a change shows at once. The layout around the body (the visitor's
name, the CSP nonce, messages) is rendered per request.

Bodies go to the ``pages`` cache, compressed: by default each worker's own
memory, at most ``PAGE_CACHE_ENTRIES`` of them (settings), so however many
filter values a visitor tries, the cache stays a few megabytes; a visitor who
tries many only pushes others out.
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import caches
from django.utils import timezone

from marmot.principals import principal_cache_key
from marmot.site.data_version import data_version

# The version in the key changes with the data; the expiry bounds a change it
# cannot see (a write made outside Django) to five minutes.
CACHE_SECONDS = 5 * 60


def page_cache_key(request, name: str, *parts: str, params: Iterable[str] = ()) -> str:
    """The key of page ``name`` (with ``parts``, reading the GET ``params``)
    as ``request``'s visitor sees it today, as the data stands now (one query:
    the data version)."""
    query = [
        (key, value) for key in sorted(params) for value in request.GET.getlist(key)
    ]
    digest = hashlib.sha256()
    for part in (
        principal_cache_key(request.user),
        timezone.localdate().isoformat(),
        repr(query),
        *parts,
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return f"{name}:{data_version()}:{digest.hexdigest()}"


def page_cached(
    request,
    name: str,
    build: Callable[[], tuple[Any, dict, bool]],
    *parts: str,
    params: Iterable[str] = (),
) -> tuple[Any, dict]:
    """``(value, context)``: ``build()`` returns ``(value, context, keep)``;
    the value is kept (when ``keep``) and served to the same roles until the
    data changes, with an empty context (build's context is for the layout of
    the request that built it). ``params``: every GET parameter the page reads;
    one it reads but is not named here would be served the wrong body."""
    cache = caches["pages"]
    key = page_cache_key(request, name, *parts, params=params)
    packed = cache.get(key)
    if packed is not None:
        return pickle.loads(zlib.decompress(packed)), {}  # noqa: S301 - ours
    value, context, keep = build()
    if keep:
        packed = zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)
        cache.set(key, packed, CACHE_SECONDS)
    return value, context
