"""Optimistic locking and conditional GET for the API (ADR 10, ADR 40).

Every resource the API edits carries ``row_version``. Its ETag is
``"<row_version>-<digest>"``: the row's version and a short hash of the JSON
the API answers for it. The hash makes the tag move when the *representation*
moves, not only the row (an action's JSON holds its milestones and % complete,
a workstream's its current workplan): a client holding an old tag never gets a
304 for a changed answer, and its If-Match is stale.

Writes (``check_if_match``): a PUT/PATCH must send ``If-Match`` with the
current ETag (or ``row_version`` in the body, or the bare ``"<row_version>"``
tag this API used to send, which check the row's own version only); a stale
one is 412 and nothing is written; none at all (or ``*``, which proves no
reading) is 428. Detail POST actions and DELETE take If-Match optionally. The
check gives the row version the client read; the service then claims it with
a conditional UPDATE (``marmot.services.row_version_claim``), so two writers
racing past the check cannot both win.

Reads (``not_modified``): ``If-None-Match`` on a detail GET compares weakly
(``W/`` ignored, RFC 9110 §13.1.2); a match, or ``*``, is a 304 with the ETag.
"""

import hashlib
import json
from collections.abc import Callable, Mapping

from rest_framework.utils.encoders import JSONEncoder

from marmot.api.errors import PreconditionFailed, PreconditionRequired
from marmot.whole_numbers import whole_number


def representation_etag(row_version: int, data) -> str:
    """The strong ETag of a row answered as ``data`` (its JSON)."""
    body = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    digest = hashlib.blake2b(body.encode(), digest_size=6).hexdigest()
    return f'"{row_version}-{digest}"'


def _tags(header: str) -> list[str]:
    """The entity tags of an If-Match/If-None-Match list, unquoted, weakness
    dropped (a proxy that compresses may weaken our tags)."""
    tags = []
    for part in header.split(","):
        tag = part.strip().removeprefix("W/").strip()
        if tag:
            tags.append(tag.strip('"'))
    return tags


def check_if_match(
    request, *, etag: Callable[[], str], row_version: int, required: bool = True
) -> int | None:
    """The row version the client read, checked against the current ETag
    (``etag()``, worked out only if an If-Match needs it).

    412 if what the client sent is stale; 428 if ``required`` and it sent
    nothing usable. ``None`` when not required and nothing (or ``*``) was sent:
    the write is then unconditional."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        if header == "*":
            if required:
                raise PreconditionRequired(
                    "If-Match: * does not say which version you read: send the "
                    "record's ETag."
                )
            return None  # RFC 9110: "*" matches any current representation
        current = etag().strip('"')
        for tag in _tags(header):
            if tag == current or tag == str(row_version):
                return row_version
        raise PreconditionFailed()
    data = getattr(request, "data", None)
    value = data.get("row_version") if isinstance(data, Mapping) else None
    if value in (None, ""):
        if required:
            raise PreconditionRequired()
        return None
    # A JSON number (not true/false, not 1.5 or 1e400) or its digits as text.
    is_int = isinstance(value, int) and not isinstance(value, bool)
    expected = value if is_int else whole_number(value)
    if expected is None:
        raise PreconditionFailed(
            f"row_version must be the number this API sent, not {value!r}."
        )
    if expected != row_version:
        raise PreconditionFailed()
    return expected


def not_modified(request, etag: str) -> bool:
    """Whether a GET's ``If-None-Match`` holds ``etag`` (weakly) or ``*``."""
    header = request.headers.get("If-None-Match", "").strip()
    if not header:
        return False
    if header == "*":
        return True
    return etag.strip('"') in _tags(header)
