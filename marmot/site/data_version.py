"""A number that moves whenever the programme's data is written (ADR 15).

Pages that are the same for many visitors cache what they show under this
number (:func:`data_version`, one cheap query), so an entry is never served
after a change: the change moves the number and the next visitor renders the
page afresh. Each cache entry also expires (minutes), which bounds anything the
number cannot see, such as a write made outside Django.

What moves it: every INSERT, UPDATE, DELETE or TRUNCATE that Django sends - the
ORM, bulk operations, raw cursor SQL - on any table but those in
:data:`IGNORED_PREFIXES` (sessions, sign-in attempts, the cache); the stamp
of a user's last sign-in does not move it either. An execute wrapper on every connection
(:func:`install`, from the site app's ``ready``) watches the statements, so no
write path has to remember to call anything.

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
# Tables whose writes change nothing a page shows, and which are written often.
IGNORED_PREFIXES = ("django_session", "axes_", TABLE)
# Signing in stamps the user's last_login: nothing a cached page shows.
SIGN_IN_STAMP = re.compile(
    r'\s*UPDATE\s+"auth_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE', re.IGNORECASE
)
# A statement that writes starts with one of these clauses, or (PostgreSQL's
# data-modifying WITH, as the importers' merges are) holds one after its WITH.
WRITE = re.compile(
    r'(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|MERGE\s+INTO)\s+"?(\w+)',
    re.IGNORECASE,
)
WITH = re.compile(r"\s*WITH\b", re.IGNORECASE)


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
    if SIGN_IN_STAMP.match(sql):
        return False
    if WITH.match(sql):
        return any(_shown(table) for table in WRITE.findall(sql))
    match = WRITE.match(sql.lstrip())
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
    connection = connections[using]
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
        data_version_move(using=context["connection"].alias)
    return result


def _on_connect(sender, connection, **kwargs) -> None:
    if connection.vendor in READ and _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    """Watch every connection's writes (called once, from the app's ready)."""
    connection_created.connect(_on_connect, dispatch_uid="marmot-data-version")
