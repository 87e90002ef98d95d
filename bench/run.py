"""Benchmark: query scaling, floor ratio and growth at two sizes of programme.

Usage (from the project root; ``make bench`` does this)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marmot \\
        .venv/bin/python bench/run.py [--factors 1,10] [--runs 11] [--seed 0]

It uses the database ``marmot_bench`` on the server named in ``DATABASE_URL``
(created if missing, migrated, and emptied with ``flush`` before each factor),
never the database named there nor pytest's ``test_…`` databases. For each
factor it runs ``bench.generate_scale_data --factor N`` and, signed in as an officer,
requests every site page of tests/site/test_url_role_matrix.py's MATRIX that an
officer may GET (with the arguments the synthetic data can fill) and every API
list endpoint of the routers, through Django's test ``Client`` in-process:

1. query scaling: the number of SQL queries of each request at each factor,
   and whether it is the same at every factor;
2. floor ratio: the median time of ``GET /api/v1/dashboard/`` and
   ``GET /api/v1/values/?indicator=…`` against one raw SQL query fetching the
   same rows plus ``json.dumps`` of them, in the same process;
3. growth: the median latency at the largest factor over the smallest; for
   the pages that cache a part while the data is unchanged (``CACHED``), also
   the median of first visits after a write (the data version moved before
   each request).

Then, unless skipped, it runs the two measurements that need their own setup:

4. framework ratio (bench/framework.py): the progress page's throughput under
   gunicorn against a minimal Django view on the same gunicorn, with wrk, in
   the database ``marmot_fw`` at factor 1;
5. import ratio (bench/import_fingertips.py): ``import_fingertips`` rows/s on a
   100,000-row file against a plain COPY of the same file, in a scratch
   database;
6. hostile files (bench/hostile_memory.py): the peak memory of importing each,
   each in its own process (aim: every one refused, none above 300 MB).

It prints a table per part and a summary of every ratio against its aim, and
writes bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))  # framework, import

from aims import FLOORED, aims  # noqa: E402
from framework import database_ensure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "marmot_bench"
RESULTS = ROOT / "bench" / "results" / "latest.json"
# Pages that serve a cached part while the data is unchanged (ADR 15): also
# timed as the first visit after a write.
CACHED = ("home", "workstream-detail")


def bench_database_url(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL server.")
    return urlunsplit(parts._replace(path=f"/{DATABASE}"))


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marmot.settings.test")
    os.environ.setdefault("THROTTLE_USER", "1000000/minute")
    os.environ.setdefault("THROTTLE_ANON", "1000000/minute")
    # A benchmark is a command: no web statement timeout (ADR 0025).
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    sys.path.insert(0, str(ROOT))
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # allows the test Client's "testserver" host
    logging.disable(logging.INFO)  # no request log line per timed request


def endpoints(objects: dict) -> list[tuple[str, str]]:
    """(name, path) of every page an officer may GET and every API list."""
    from django.urls import reverse

    from indicators.api.urls import urlpatterns as indicator_api
    from tests.site.test_url_role_matrix import MATRIX, OK
    from workstreams.api.urls import urlpatterns as workstream_api

    found = []
    for name, (kind, cells) in MATRIX.items():
        if cells["GET"]["officer"] != OK or name in ("login", "healthz"):
            continue
        if kind in objects:
            found.append((name, reverse(name, args=objects[kind])))
    for pattern in [*workstream_api, *indicator_api]:
        name = pattern.name or ""
        if name == "dashboard" or name.endswith("-list"):
            path = reverse(f"api:{name}")
            if name == "indicator-value-list":
                path += f"?indicator={objects['indicator_code'][0]}"
            found.append((f"api:{name}", path))
    return found


def measure(client, path: str, runs: int, cold: bool = False) -> dict:
    """Queries of one request, the median of timed ones, the answer's size;
    with ``cold``, also the median of requests each made just after the data
    version moved (ADR 15), as the first visit after a write is."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from marmot.site.data_version import data_version_move

    reset_queries()  # a full query log (9,000 entries) would hide the new ones
    gc.collect()  # the garbage of the page before is not this page's time
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    first = time.perf_counter() - start
    count = len(queries)  # read now: the timed requests below reset the log
    if response.status_code != 200:
        return {"status": response.status_code}
    times = []
    # Slow pages get fewer runs (at least three) so a run stays in minutes.
    timed = max(3, min(runs, int(10 / first)))
    for _ in range(timed):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    result = {
        "status": 200,
        "queries": count,
        "median_ms": statistics.median(times) * 1000,
        "bytes": len(response.content),
    }
    if cold:
        times = []
        for _ in range(timed):
            data_version_move()
            start = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - start)
        result["cold_ms"] = statistics.median(times) * 1000
    return result


def floor(sql: str, params: list, runs: int) -> float:
    """Median ms of one raw query and json.dumps of its rows."""
    from django.db import connection

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            columns = [c.name for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        json.dumps(rows, default=str)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


DASHBOARD_FLOOR = """
SELECT i.code, i.name, p.label, p.sort_key, v.area_id, v.sex, v.age, v.value,
       v.lower95, v.upper95, v.count, v.denominator, a.result
FROM indicators_indicator i
JOIN indicators_indicatorvalue v ON v.indicator_id = i.id AND v.category_type = ''
     AND v.area_id = ANY(%s)
JOIN indicators_period p ON p.id = v.period_id
LEFT JOIN indicators_assessment a ON a.value_id = v.id AND a.benchmark = 'national'
WHERE i.is_published
ORDER BY i.id, v.area_id, p.sort_key
"""
VALUES_FLOOR = """
SELECT v.id, i.code AS indicator, ar.code AS area, p.label AS period, v.sex, v.age,
       v.category_type, v.category, v.value, v.lower95, v.upper95, v.lower998,
       v.upper998, v.count, v.denominator, v.value_note, a.result
FROM indicators_indicatorvalue v
JOIN indicators_indicator i ON i.id = v.indicator_id
JOIN indicators_area ar ON ar.id = v.area_id
JOIN indicators_period p ON p.id = v.period_id
LEFT JOIN indicators_assessment a ON a.value_id = v.id AND a.benchmark = 'national'
WHERE i.code = %s
ORDER BY v.indicator_id, v.area_id, p.sort_key
LIMIT 50
"""


def run_factor(factor: float, seed: int, runs: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from bench.generate_scale_data import scale_data_write
    from indicators.models import Place
    from marmot import roles
    from workstreams.models import Action, Workstream

    call_command("flush", interactive=False, verbosity=0)
    start = time.perf_counter()
    scale_data_write(factor=factor, seed=seed, quiet=True)
    generated = time.perf_counter() - start
    from django.db import connection

    with connection.cursor() as cursor:
        # As a live server's data would be by the time it is read: vacuumed
        # (hint bits and visibility map set) with fresh planner statistics,
        # and written out, so neither autovacuum nor a checkpoint starts in
        # the middle of the timings on a small machine.
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    officer = get_user_model().objects.create_user(username="bench-officer")
    officer.groups.add(roles.roles_ensure_groups()[roles.OFFICER])
    client = Client()
    client.force_login(officer)
    workstream = Workstream.objects.order_by("pk").first()
    action = Action.objects.filter(workplan__workstream=workstream).first()
    objects = {
        None: [],
        "own_slug": [workstream.slug],
        "action_pk": [action.pk],
        "indicator_code": ["synthetic-0"],
        "indicator_csv": ["synthetic-0", "csv"],
    }
    results = {
        name: measure(client, path, runs, cold=name in CACHED)
        for name, path in endpoints(objects)
    }
    place = Place.objects.get()
    areas = [place.area_id, place.country_id, place.region_id]
    results["api:dashboard"]["floor_ms"] = floor(DASHBOARD_FLOOR, [areas], runs)
    results["api:indicator-value-list"]["floor_ms"] = floor(
        VALUES_FLOOR, ["synthetic-0"], runs
    )
    return {"generate_s": generated, "endpoints": results}


def report(by_factor: dict[float, dict]) -> list[dict]:
    factors = sorted(by_factor)
    low, high = factors[0], factors[-1]
    rows = []
    for name in by_factor[low]["endpoints"]:
        cells = [by_factor[f]["endpoints"].get(name, {}) for f in factors]
        queries = [c.get("queries") for c in cells]
        row = {
            "endpoint": name,
            "status": [c.get("status") for c in cells],
            "queries": queries,
            "queries_same": len(set(queries)) == 1 and None not in queries,
            "median_ms": [c.get("median_ms") for c in cells],
        }
        if all(c.get("median_ms") for c in cells):
            row["growth"] = cells[-1]["median_ms"] / cells[0]["median_ms"]
            # How much bigger the answer got: a page that shows ten times the
            # measures is expected to take about ten times as long.
            row["bytes"] = [c["bytes"] for c in cells]
            row["size_growth"] = cells[-1]["bytes"] / cells[0]["bytes"]
            row["growth_per_size"] = row["growth"] / max(row["size_growth"], 1.0)
        if all(c.get("cold_ms") for c in cells):
            row["cold_ms"] = [c["cold_ms"] for c in cells]
            row["cold_growth"] = row["cold_ms"][-1] / row["cold_ms"][0]
        if name in FLOORED:
            row["floor_ms"] = [c.get("floor_ms") for c in cells]
            row["floor_ratio"] = [
                c["median_ms"] / c["floor_ms"] for c in cells if c.get("median_ms")
            ]
        rows.append(row)
    head = (
        f"{'endpoint':34} {'queries':>11} same {'ms':>19} growth  size  "
        "per size  floor ratio"
    )
    print(f"\nfactors {low:g} and {high:g}\n{head}")
    for row in rows:
        queries = "/".join(str(q) for q in row["queries"])
        ms = "/".join(f"{m:.1f}" if m else "-" for m in row["median_ms"])
        ratio = "/".join(f"{r:.1f}×" for r in row.get("floor_ratio", []))
        growth = f"{row['growth']:.2f}×" if "growth" in row else "-"
        size = f"{row['size_growth']:.1f}×" if "size_growth" in row else "-"
        per = f"{row['growth_per_size']:.2f}×" if "growth_per_size" in row else "-"
        same = "yes" if row["queries_same"] else "NO"
        cells = f"{queries:>11} {same:>4} {ms:>19} {growth:>6} {size:>5} {per:>8}"
        print(f"{row['endpoint']:34} {cells}  {ratio}")
    print("\ncached pages, first visit after a write (ms at each factor, growth)")
    for row in rows:
        if "cold_ms" in row:
            ms = "/".join(f"{m:.1f}" for m in row["cold_ms"])
            print(f"{row['endpoint']:34} {ms:>19} {row['cold_growth']:.2f}×")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--factors", default="1,10", help="Default 1,10.")
    parser.add_argument("--runs", type=int, default=11, help="Timed runs (median).")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--skip-framework", action="store_true", help="No gunicorn/wrk measurement."
    )
    parser.add_argument(
        "--skip-import", action="store_true", help="No import/COPY measurement."
    )
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument(
        "--skip-hostile",
        action="store_true",
        help="No peak-memory measurement of the hostile files (hostile_memory.py).",
    )
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("Set DATABASE_URL to a PostgreSQL server (any database on it).")
    url = bench_database_url(os.environ["DATABASE_URL"])
    database_ensure(url)  # framework.py's: creates marmot_bench if missing
    setup(url)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    by_factor = {}
    for factor in (float(f) for f in args.factors.split(",")):
        print(f"factor {factor:g}: generating and measuring…", flush=True)
        by_factor[factor] = run_factor(factor, args.seed, args.runs)
        print(f"  generated in {by_factor[factor]['generate_s']:.1f} s", flush=True)
    rows = report(by_factor)
    framework = imports = None
    if not args.skip_framework:
        from framework import framework_measure, table

        print("\nframework ratio: gunicorn + wrk…", flush=True)
        admin = urlsplit(url)
        framework = framework_measure(
            database_url=urlunsplit(admin._replace(path="/marmot_fw"))
        )
        print(table(framework))
    if not args.skip_import:
        from import_fingertips import import_measure

        print(f"\nimport ratio: {args.import_rows:,} rows…", flush=True)
        imports = import_measure(rows=args.import_rows, place=True)
        print(
            f"import {imports['first_rows_per_s']:,.0f} rows/s (re-import "
            f"{imports['reimport_rows_per_s']:,.0f}), raw COPY "
            f"{imports['copy_rows_per_s']:,.0f} rows/s"
        )
    hostile = None
    if not args.skip_hostile:
        from hostile_memory import hostile_measure

        print("\nhostile files: peak memory of each import…", flush=True)
        hostile = hostile_measure()
    summary = aims(rows, framework, imports, hostile)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "factors": {f"{f:g}": r["generate_s"] for f, r in by_factor.items()},
                "runs": args.runs,
                "rows": rows,
                "framework": framework,
                "import": imports,
                "hostile": hostile,
                "aims": summary,
            },
            indent=2,
        )
    )
    print(f"\nSaved {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
