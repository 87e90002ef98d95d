"""Benchmark: what the data version's execute wrapper costs per statement (ADR 15).

Usage (from the project root)::

    .venv/bin/python bench/data_version.py [--statements 20000] [--rounds 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marmot \\
        .venv/bin/python bench/data_version.py

Every statement Django sends passes :func:`marmot.site.data_version._watch`,
which reads it with :func:`~marmot.site.data_version.is_data_write` and, for a
write, moves the number. This times, in a scratch database of its own
(``marmot_bench_dv_<pid>`` on PostgreSQL, in memory on SQLite; migrated with
Django's test-database machinery and dropped at the end):

1. ``is_data_write`` alone on a read, a write and an importer's merge;
2. ``--statements`` one-row SELECTs through Django's cursor, with the wrapper
   and without it (what every page pays);
3. the same number of one-row UPDATEs in one transaction, with the wrapper,
   and without it but with one explicit ``data_version_move()`` before the
   commit (what a service that bumps the number itself would pay);
4. one-row UPDATEs each in its own (autocommit) transaction, with and without
   the wrapper (each one moves the number: the worst case).

With and without alternate within each of ``--rounds`` rounds, so a
neighbour's load hits both alike; the median round is reported, in
microseconds per statement, by the wall clock and by this process's CPU time
(the wrapper's own work; on a busy machine the wall clock mostly measures the
queue).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MERGE = (
    'WITH merged AS (INSERT INTO "indicators_indicatorvalue" AS t ("indicator_id",'
    ' "area_id", "period_id", "value") SELECT s.indicator_id, s.area_id,'
    " s.period_id, s.value FROM marmot_staging s ON CONFLICT (indicator_id,"
    " area_id, period_id) DO UPDATE SET value = EXCLUDED.value WHERE t.value IS"
    " DISTINCT FROM EXCLUDED.value RETURNING (xmax = 0) AS created) SELECT"
    " count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)"
    " FROM merged"
)


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marmot.settings.test")
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    import django

    django.setup()


class _Unwatched:
    """Inside: the connection's statements skip the data version's wrapper."""

    def __enter__(self):
        from django.db import connection

        from marmot.site.data_version import _watch

        connection.ensure_connection()
        connection.execute_wrappers.remove(_watch)

    def __exit__(self, *exc):
        from django.db import connection

        from marmot.site.data_version import _watch

        connection.execute_wrappers.append(_watch)


def _per_statement_us(run: Callable[[], None], statements: int) -> tuple[float, float]:
    """(wall, this process's CPU) µs per statement: the wrapper's own work is
    CPU here; the wall clock also has the server's share and a busy
    machine's queueing."""
    started, cpu = time.perf_counter(), time.process_time()
    run()
    wall_us = (time.perf_counter() - started) / statements * 1e6
    return wall_us, (time.process_time() - cpu) / statements * 1e6


def _classify(statements: int) -> dict[str, float]:
    from marmot.site.data_version import is_data_write

    sqls = {
        "read": 'SELECT "workstreams_organisation"."id", "workstreams_organisation".'
        '"name" FROM "workstreams_organisation" WHERE "workstreams_organisation".'
        '"id" = %s LIMIT 21',
        "write": 'UPDATE "workstreams_organisation" SET "name" = %s WHERE '
        '"workstreams_organisation"."id" = %s',
        "merge": MERGE,
    }
    result = {}
    for name, sql in sqls.items():
        started = time.perf_counter()
        for _ in range(statements):
            is_data_write(sql)
        result[name] = (time.perf_counter() - started) / statements * 1e6
    return result


def _cases(statements: int, pks: list[int]) -> dict[str, Callable[[], None]]:
    from django.db import connection, transaction

    from marmot.site.data_version import data_version_move

    read = "SELECT id, name FROM workstreams_organisation WHERE id = %s"
    write = "UPDATE workstreams_organisation SET name = %s WHERE id = %s"

    def reads() -> None:
        with connection.cursor() as cursor:
            for _ in range(statements):
                cursor.execute(read, [pks[0]])
                cursor.fetchone()

    def writes_in_one_transaction(bump: bool = False) -> Callable[[], None]:
        def run() -> None:
            with transaction.atomic(), connection.cursor() as cursor:
                for n in range(statements):
                    cursor.execute(write, [f"name {n}", pks[n]])
                if bump:
                    data_version_move()

        return run

    def writes_each_committed() -> None:
        with connection.cursor() as cursor:
            for n in range(statements // 10):
                cursor.execute(write, [f"name {n}", pks[n]])

    return {
        "reads": reads,
        "writes_in_one_transaction": writes_in_one_transaction(),
        "writes_in_one_transaction_bumped": writes_in_one_transaction(bump=True),
        "writes_each_committed": writes_each_committed,
    }


def _measure(statements: int, rounds: int) -> dict:
    from django.db import connection

    from workstreams.models import Organisation

    # One row per UPDATE: PostgreSQL would walk a longer chain of dead
    # versions at each UPDATE of the same row in one transaction.
    organisations = [Organisation(name=f"Bench {n}") for n in range(statements)]
    pks = [o.pk for o in Organisation.objects.bulk_create(organisations)]
    cases = _cases(statements, pks)
    counts = {
        "reads": statements,
        "writes_in_one_transaction": statements,
        "writes_in_one_transaction_bumped": statements,
        "writes_each_committed": statements // 10,
    }
    # (name shown, case run with the wrapper, case run without it)
    pairs = [
        ("SELECT", "reads", "reads"),
        (
            "UPDATE, one transaction (without: one explicit move)",
            "writes_in_one_transaction",
            "writes_in_one_transaction_bumped",
        ),
        ("UPDATE, each committed", "writes_each_committed", "writes_each_committed"),
    ]
    samples: dict[str, dict[str, list[float]]] = {
        name: {"with": [], "without": []} for name, _, _ in pairs
    }
    for _ in range(rounds):
        for name, watched, unwatched in pairs:
            with_us = _per_statement_us(cases[watched], counts[watched])
            with _Unwatched():
                without_us = _per_statement_us(cases[unwatched], counts[unwatched])
            samples[name]["with"].append(with_us)
            samples[name]["without"].append(without_us)
    result = {
        "vendor": connection.vendor,
        "statements": statements,
        "is_data_write_us": _classify(statements),
    }
    for name, runs in samples.items():
        result[name] = {}
        for clock, index in (("wall", 0), ("cpu", 1)):
            with_us = statistics.median(run[index] for run in runs["with"])
            without_us = statistics.median(run[index] for run in runs["without"])
            result[name][clock] = {
                "with_us": with_us,
                "without_us": without_us,
                "overhead_us": with_us - without_us,
            }
    return result


def data_version_measure(statements: int = 20_000, rounds: int = 7) -> dict:
    """The measurements above, in a scratch database (Django set up here)."""
    _setup_django()
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = f"marmot_bench_dv_{os.getpid()}"
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    try:
        return _measure(statements, rounds)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    result = data_version_measure(args.statements, args.rounds)
    print(f"{result['vendor']}, {result['statements']:,} statements a run")
    for name, us in result["is_data_write_us"].items():
        print(f"  is_data_write({name}): {us:.2f} µs")
    print(f"  {'statement (clock)':<60}{'with':>9}{'without':>9}{'cost':>9}  µs each")
    for name, row in result.items():
        if not (isinstance(row, dict) and "wall" in row):
            continue
        for clock, us in row.items():
            print(
                f"  {name + f' ({clock})':<60}{us['with_us']:>9.2f}"
                f"{us['without_us']:>9.2f}{us['overhead_us']:>9.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
