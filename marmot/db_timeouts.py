"""Statement timeouts beyond the web's (ADR 0025).

The settings give every PostgreSQL session ``statement_timeout`` and
``lock_timeout`` (``DB_STATEMENT_TIMEOUT_MS``, ``DB_LOCK_TIMEOUT_MS``) so that a
hung or locked database fails a web request in seconds. Work that legitimately
takes longer (an import of a large file, from a command or an officer's upload)
raises the statement timeout for its own transaction with
:func:`statement_timeout_raise`; it never lowers it (0 means none).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def _effective(milliseconds: int) -> int:
    """0 (no timeout) is the largest value."""
    return milliseconds if milliseconds > 0 else 1 << 62


def statement_timeout_raise(milliseconds: int | None = None) -> None:
    """Raise this transaction's statement timeout (``SET LOCAL``) to at least
    ``milliseconds`` (default ``DB_IMPORT_STATEMENT_TIMEOUT_MS``).

    Call it inside ``transaction.atomic``; the old value comes back at the
    transaction's end. A no-op except on PostgreSQL.
    """
    if connection.vendor != "postgresql":
        return
    wanted = (
        settings.DB_IMPORT_STATEMENT_TIMEOUT_MS
        if milliseconds is None
        else milliseconds
    )
    current = getattr(settings, "DB_STATEMENT_TIMEOUT_MS", 0)
    if _effective(current) >= _effective(wanted):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, true)", [str(wanted)]
        )
