"""A number that moves whenever the programme's data is written (ADR 15).

Pages that are the same for many visitors cache what they show under this
number (:func:`data_version`, one cheap query), so an entry is never served
after a change: the change moves the number and the next visitor renders the
page afresh. Each cache entry also expires (minutes), which bounds anything the
number cannot see, such as a write made outside Django.

What moves it: every INSERT, UPDATE, DELETE, TRUNCATE or MERGE that Django
sends - services, the admin's saves, deletes and actions, the importers'
merges, management commands, data migrations, a shell, bulk operations, raw
cursor SQL - on any table but those in :data:`IGNORED_PREFIXES` (sessions,
sign-in attempts, API tokens, the mail queue, the number itself) or a database
cache; the stamp of a user's last sign-in does not move it either. An execute
wrapper on every connection (:func:`install`, from the site app's ``ready``)
reads each statement's first clause (:func:`is_data_write`), so no write path
has to remember to call anything. This is the only mechanism: nothing else
moves the number, and no service has to.

Its limits (``tests/site/test_data_version.py`` shows the first two):

- It sees only statements sent through a Django cursor's ``execute`` or
  ``executemany``. Missed: writes from outside Django (psql, a restore),
  through the driver's own cursor (``cursor.cursor``: the importers' COPY,
  which only fills a TEMP staging table; the merge that follows is seen), by
  ``callproc``, or by a database function, trigger or rule that a SELECT
  sets off (the project has none). The expiry of each cache entry bounds
  these.
- It reads the statement, not its effect: a write that matches no row, or a
  write to a table no cached page shows (an import run's record, a reminder
  sent, the admin's log), still moves it. Each such move costs the next
  visitor of each cached page one fresh render, no wrong page.
- Every statement pays for the reading (a SELECT, the most common, only for
  a prefix check) and a write also for the move: ADR 15 has the
  measurements, ``bench/data_version.py`` repeats them.

When it moves: at once, and again just after the writing transaction commits.

- On PostgreSQL the number is a sequence, which never waits for a lock (a
  counter row would make every writer queue behind a long import). Sequences
  are not transactional, so a visitor between the first move and the commit
  can render the old rows under the new number; the second move, made once the
  new rows are visible, retires that entry.
- On SQLite the number is a row, updated in the writing transaction: it
  becomes visible with the data (SQLite has one writer at a time anyway).
- Moving at once also lets the writing transaction, and a test (whose
  transaction never commits), read its own change through a cached page.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.backends.signals import connection_created

TABLE = "marmot_data_version"
READ = {
    "postgresql": f"SELECT last_value FROM {TABLE}",  # noqa: S608
    "sqlite": f"SELECT value FROM {TABLE} WHERE id = 1",  # noqa: S608
}
# to_regclass: NULL, not an error, before the migration that creates the
# sequence has run (a failed statement would abort the migrating transaction).
MOVE = {
    "postgresql": f"SELECT nextval(to_regclass('{TABLE}'))",
    "sqlite": f"UPDATE {TABLE} SET value = value + 1 WHERE id = 1",  # noqa: S608
}
# Tables whose writes change nothing a page shows, and which are written often:
# sessions, sign-in attempts (axes), API tokens (knox: issued, revoked, expired
# ones deleted) and the outgoing mail queue (django-mailer: queued, sent, logged).
IGNORED_PREFIXES = ("django_session", "axes_", "knox_", "mailer_", TABLE)
# Signing in stamps the user's last_login: nothing a cached page shows.
SIGN_IN_STAMP = re.compile(
    r'\s*UPDATE\s+"auth_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE', re.IGNORECASE
)
# A statement that writes starts with one of these clauses, or (PostgreSQL's
# data-modifying WITH, as the importers' merges are) holds one after its WITH.
# SQLite's conflict clauses count: bulk_create(ignore_conflicts=True) sends
# INSERT OR IGNORE INTO there.
WRITE = re.compile(
    r"(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?"
    r'|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|MERGE\s+INTO)\s+"?(\w+)',
    re.IGNORECASE,
)
WITH = re.compile(r"WITH\b", re.IGNORECASE)
# What may come before the first clause: blanks and SQL comments.
LEADING = re.compile(r"(?:\s+|/\*.*?\*/|--[^\n]*(?:\n|$))*", re.DOTALL)


@functools.cache
def _cache_tables() -> tuple[str, ...]:
    return tuple(
        options["LOCATION"]
        for options in settings.CACHES.values()
        if options.get("BACKEND", "").endswith("DatabaseCache")
    )


def _shown(table: str) -> bool:
    table = table.lower()
    return not table.startswith(IGNORED_PREFIXES) and table not in _cache_tables()


def is_data_write(sql: str) -> bool:
    """Whether ``sql`` writes a table whose rows a page may show. (A WITH that
    only reads but says ``FOR UPDATE`` counts too: an extra move is harmless.)"""
    if sql.startswith("SELECT") or SIGN_IN_STAMP.match(sql):
        return False  # most statements are the ORM's reads: no regex for them
    start = LEADING.match(sql).end()
    if WITH.match(sql, start):
        return any(_shown(table) for table in WRITE.findall(sql, start))
    match = WRITE.match(sql, start)
    return match is not None and _shown(match.group(1))


def data_version(using: str = "default") -> int:
    """The current number (one query); 0 where it is missing (e.g. before
    migrating), which still changes on the first write after."""
    connection = connections[using]
    connection.marmot_data_version_reads = _reads(connection) + 1
    with connection.cursor() as cursor:
        cursor.execute(READ[connection.vendor])
        row = cursor.fetchone()
    return row[0] if row else 0


def _reads(connection) -> int:
    return getattr(connection, "marmot_data_version_reads", 0)


def _move(using: str, reads: int = 0) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        try:
            cursor.execute(MOVE[connection.vendor])
        except DatabaseError:
            # SQLite before the table is migrated (an SQLite error leaves the
            # transaction usable; PostgreSQL's statement above cannot fail so).
            if connection.vendor != "sqlite":
                raise


def _moved_since_last_read(connection) -> bool:
    reads = _reads(connection)
    return any(
        getattr(callback, "func", None) is _move
        and callback.keywords.get("reads") == reads
        for _savepoints, callback, _robust in connection.run_on_commit
    )


def data_version_move(*, using: str = "default") -> None:
    """Move the number now and, inside a transaction, once more after it
    commits.

    Outside a transaction every statement commits alone, so every one moves
    it. Inside one, a write moves it only if this connection has read the
    number since the last move, which is all the at-once move is for (other
    connections cannot see uncommitted rows; the move after the commit is
    theirs). That move is remembered as Django's on-commit callback, so a
    rolled-back savepoint forgets it along with the writes it covered."""
    _written(connections[using])


def _written(connection) -> None:
    # The connection itself, not its alias: looking one up costs more than
    # the rest of a write's check, and every write in a transaction makes one.
    using = connection.alias
    if not connection.in_atomic_block:
        _move(using)
    elif not _moved_since_last_read(connection):
        _move(using)
        reads = _reads(connection)
        callback = functools.partial(_move, using, reads=reads)
        transaction.on_commit(callback, using, robust=True)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and is_data_write(sql):
        _written(context["connection"])
    return result


def _on_connect(sender, connection, **kwargs) -> None:
    if connection.vendor in READ and _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    """Watch every connection's writes (called once, from the app's ready)."""
    connection_created.connect(_on_connect, dispatch_uid="marmot-data-version")
