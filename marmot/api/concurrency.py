"""Optimistic locking for the API: ETags from `row_version`, checked on writes.

A model with a `row_version` field (actions, workplans, logic models,
submissions) gets an `ETag: "<row_version>"` header on GET. A PUT/PATCH must
send `If-Match: "<row_version>"` (or `row_version` in the body); a stale one
gets 412 Precondition Failed and nothing is written; none at all gets 428.
The service that saves the row bumps `row_version` with a conditional UPDATE,
so two writers racing past this check still cannot both win.
"""

from collections.abc import Mapping

from marmot.api.errors import PreconditionFailed, PreconditionRequired


def etag_for(instance) -> str:
    return f'"{instance.row_version}"'


def expected_row_version(request) -> int:
    """The version the client last read, from If-Match or the body."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        if header == "*":
            raise PreconditionRequired()
        value = header.removeprefix("W/").strip('"')
    else:
        data = getattr(request, "data", None)
        value = data.get("row_version") if isinstance(data, Mapping) else None
    if value in (None, ""):
        raise PreconditionRequired()
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PreconditionFailed(
            f"If-Match must be an ETag this API sent (a quoted number), not {value!r}."
        ) from None


def check_row_version(request, instance) -> int:
    expected = expected_row_version(request)
    if expected != instance.row_version:
        raise PreconditionFailed()
    return expected
