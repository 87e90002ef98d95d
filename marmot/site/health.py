"""The database check behind ``/healthz``, answered within a bound (ADR 0025).

A frozen PostgreSQL server (stopped, swapping, its host paused) accepts TCP
connections and never answers, and its own ``statement_timeout`` cannot fire,
so a check that waits on it waits as long as the server is frozen. The check
therefore runs in a thread of its own, on a connection of its own (short
connect timeout, ``SET LOCAL statement_timeout`` and ``lock_timeout`` for its
query), and the request waits for it at most ``HEALTHZ_TIMEOUT`` seconds. While
a check is still stuck, the next requests answer "down" at once rather than
start another, so a frozen database costs each worker at most one thread and
one connection attempt.

On SQLite (a local file) the check runs inline.
"""

from __future__ import annotations

import contextlib
import copy
import threading

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.utils import load_backend

#: Seconds the request waits for the answer.
HEALTHZ_TIMEOUT = 1.0
#: The check's own bounds, on the server and for connecting (libpq's minimum: 2 s).
QUERY_TIMEOUT_MS = 800
CONNECT_TIMEOUT = 2
#: Reads a table, so a database without the schema or with it locked is "down".
HEALTH_QUERY = "SELECT 1 FROM django_migrations LIMIT 1"

_lock = threading.Lock()
_running: threading.Thread | None = None


def health_settings() -> dict:
    """The default database's settings with the check's short connect timeout."""
    settings_dict = copy.deepcopy(connections.settings["default"])
    settings_dict.setdefault("OPTIONS", {})["connect_timeout"] = CONNECT_TIMEOUT
    settings_dict["CONN_MAX_AGE"] = 0
    return settings_dict


def _query(cursor) -> None:
    cursor.execute(HEALTH_QUERY)
    cursor.fetchone()


def _check_on_own_connection(outcome: dict) -> None:
    settings_dict = health_settings()
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, "healthz"
    )
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true), "
                "set_config('lock_timeout', %s, true)",
                [str(QUERY_TIMEOUT_MS), str(QUERY_TIMEOUT_MS)],
            )
            _query(cursor)
            cursor.execute("ROLLBACK")
        outcome["ok"] = True
    except DatabaseError:
        outcome["ok"] = False
    except Exception:  # noqa: BLE001 - any failure of the check means "down"
        outcome["ok"] = False
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection
            wrapper.close()


def database_ok() -> bool:
    """Whether the database answered the check within ``HEALTHZ_TIMEOUT``."""
    global _running
    if connection.vendor != "postgresql":
        try:
            with connection.cursor() as cursor:
                _query(cursor)
        except DatabaseError:
            return False
        return True
    with _lock:
        if _running is not None and _running.is_alive():
            return False  # the last check is still waiting: the database hangs
        outcome: dict = {}
        thread = threading.Thread(
            target=_check_on_own_connection,
            args=(outcome,),
            name="healthz-check",
            daemon=True,
        )
        _running = thread
        thread.start()
    thread.join(getattr(settings, "HEALTHZ_TIMEOUT", HEALTHZ_TIMEOUT))
    return bool(outcome.get("ok"))
