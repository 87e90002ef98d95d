"""Benchmark: ``fingertips_import`` against a plain PostgreSQL COPY of the same file.

Usage (from the project root)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marmot \\
        .venv/bin/python bench/import_fingertips.py [--rows 100000] [--keep FILE] \\
        [--place]

It generates a deterministic Fingertips data CSV (``--rows`` rows: indicators x
areas x five periods, with limits, counts, denominators, comparisons and
trends), then, in a scratch database of its own (``marmot_bench_<pid>``,
created and migrated with Django's test-database machinery and dropped at the
end, so it never touches the real or the test databases):

1. times ``fingertips_import`` of the file into the empty database (everything
   created), then a re-import of the same file (everything unchanged), then a
   file with every value changed (everything updated);
2. times ``COPY … FROM STDIN (FORMAT csv, HEADER)`` of the same bytes into an
   unindexed table of 27 text columns: the floor for getting the file into
   PostgreSQL at all.

It prints rows per second for each, the time of each stage (the rest of an
import's time is the commit, where PostgreSQL runs Django's deferred foreign-key
checks) and the ratio of the first import's time to the COPY's. ``--place``
first creates a programme's Place, as every real installation has, so that the
recompute of computed assessments and trends has work to do.
:func:`import_measure` is the same measurement for bench/run.py.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = [
    "Indicator ID",
    "Indicator Name",
    "Parent Code",
    "Parent Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
    "Count",
    "Denominator",
    "Value note",
    "Recent Trend",
    "Compared to England value or percentiles",
    "Compared to Region value or percentiles",
    "Time period Sortable",
    "New data",
    "Compared to goal",
    "Time period range",
]
PERIODS = ["2018/19", "2019/20", "2020/21", "2021/22", "2022/23"]
COMPARISONS = ["Better", "Similar", "Worse", "Not compared", "Better 99.8%", "Worst"]
TRENDS = [
    "Increasing and getting better",
    "Decreasing and getting worse",
    "No significant change",
    "Cannot be calculated",
]


def _areas(count: int) -> list[tuple[str, str, str, str, str]]:
    """(parent code, parent name, code, name, type): England, 9 regions, LAs."""
    areas = [("", "", "E92000001", "England", "England")]
    regions = [(f"E120000{r:02d}", f"Region {r}") for r in range(1, 10)]
    areas += [("E92000001", "England", code, name, "Region") for code, name in regions]
    for n in range(count - len(areas)):
        parent_code, parent_name = regions[n % len(regions)]
        areas.append(
            (
                parent_code,
                parent_name,
                f"E0{6000000 + n:07d}",
                f"Local authority {n}",
                "Counties & UAs (from Apr 2023)",
            )
        )
    return areas


def file_generate(rows: int, *, shift: float = 0.0, seed: int = 20240501) -> bytes:
    """A deterministic Fingertips file of about ``rows`` rows.

    20 indicators x (``rows`` / 100) areas x 5 financial years, so ``rows`` is
    rounded down to a multiple of 100.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    indicators = 20
    area_count = max(10, rows // (indicators * len(PERIODS)))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    written = 0
    for i in range(indicators):
        fid = 90000 + i
        for parent_code, parent_name, code, name, area_type in _areas(area_count):
            base = rng.uniform(5, 80)
            for p, label in enumerate(PERIODS):
                if written == rows:
                    break
                denominator = rng.randint(1000, 200000)
                value = round(base + p * 0.3 + shift, 3)
                half = round(rng.uniform(0.1, 2.0), 3)
                count = round(value * denominator / 100)
                is_region_child = area_type.startswith("Counties")
                writer.writerow(
                    [
                        fid,
                        f"Synthetic indicator {fid}",
                        parent_code,
                        parent_name,
                        code,
                        name,
                        area_type,
                        "Persons",
                        "All ages",
                        "",
                        "",
                        label,
                        value,
                        round(value - half, 3),
                        round(value + half, 3),
                        round(value - 1.6 * half, 3),
                        round(value + 1.6 * half, 3),
                        count,
                        denominator,
                        "",
                        rng.choice(TRENDS) if p == len(PERIODS) - 1 else "",
                        rng.choice(COMPARISONS),
                        rng.choice(COMPARISONS) if is_region_child else "",
                        f"{2018 + p}0000",
                        "",
                        "",
                        "1y",
                    ]
                )
                written += 1
    return out.getvalue().encode("utf-8")


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marmot.settings.test")
    # A benchmark is a command: no web statement timeout (ADR 0025).
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    import django

    django.setup()


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:>10,.0f} rows/s ({seconds:6.2f} s)"


def _raw_copy(data: bytes) -> float:
    from django.db import connection, transaction

    columns = ", ".join(f"c{n} text" for n in range(len(HEADER)))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_raw_copy ({columns})")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        sql = "COPY bench_raw_copy FROM STDIN (FORMAT csv, HEADER true)"
        with cursor.cursor.copy(sql) as copy:
            for start in range(0, len(data), 1 << 20):
                copy.write(data[start : start + (1 << 20)])
    return time.perf_counter() - started


def _place_create() -> None:
    """A programme's Place (local authority 0, its region and England), as every
    real installation has: without one the import's recompute has nothing to
    judge and costs nothing. The three areas exist before the first import, as
    they do once a programme is set up, and the import finds them."""
    from indicators.models import Area, Place

    country = Area.objects.create(
        code="E92000001", name="England", area_type=Area.Type.COUNTRY
    )
    region = Area.objects.create(
        code="E12000001", name="Region 1", area_type=Area.Type.REGION, parent=country
    )
    area = Area.objects.create(
        code="E06000000",
        name="Local authority 0",
        area_type=Area.Type.LOCAL_AUTHORITY,
        parent=region,
    )
    Place.objects.create(name="Bench", area=area, country=country, region=region)


def _measure(data: bytes, changed: bytes, *, place: bool, quiet: bool) -> dict:
    """Run the three imports and the raw COPY in a scratch database."""
    from django.db import connection

    from indicators.fingertips.importer import fingertips_import

    rows = data.count(b"\n") - 1
    if not quiet:
        print(f"File: {rows:,} rows, {len(data) / 1e6:.1f} MB", flush=True)
    connection.settings_dict["TEST"]["NAME"] = f"marmot_bench_{os.getpid()}"
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    measured: dict = {"rows": rows, "place": place}
    try:
        if not quiet:
            print(f"Scratch database: {connection.settings_dict['NAME']}")
        if place:
            _place_create()
        runs = [
            ("first", "import (all created)", data),
            ("reimport", "re-import (unchanged)", data),
            ("updated", "import (all updated)", changed),
        ]
        for key, title, payload in runs:
            started = time.perf_counter()
            result = fingertips_import(file=payload, file_name="bench.csv")
            seconds = time.perf_counter() - started
            assert result.ok, result.error_messages()[:5]
            stages = dict(result.timings)
            stages["commit"] = seconds - sum(stages.values())
            measured[key] = {
                "seconds": seconds,
                "rows_per_s": result.rows_read / seconds,
                "stages": stages,
            }
            if not quiet:
                shown = ", ".join(f"{k} {v:.2f}s" for k, v in stages.items())
                print(f"{title:<24}{_rate(result.rows_read, seconds)}  [{shown}]")
                print(
                    f"{'':<24}created {result.values_created:,}, updated "
                    f"{result.values_updated:,}, unchanged {result.values_unchanged:,}",
                    flush=True,
                )
        copy_seconds = _raw_copy(data)
        measured["copy"] = {"seconds": copy_seconds, "rows_per_s": rows / copy_seconds}
        # Import speed as a fraction of COPY speed (the aim: >= 0.25).
        measured["ratio"] = copy_seconds / measured["first"]["seconds"]
        if not quiet:
            print(f"{'raw COPY (unindexed)':<24}{_rate(rows, copy_seconds)}")
            print(
                f"Ratio: the first import takes "
                f"{measured['first']['seconds'] / copy_seconds:.1f}x the raw COPY "
                f"(import/COPY speed {measured['ratio']:.3f})"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return measured


def import_measure(rows: int = 100_000, *, place: bool = False) -> dict:
    """Rows/s of the first import, the re-import and the raw COPY, and the ratio.

    For bench/run.py: Django must be set up with a PostgreSQL ``DATABASE_URL``
    (it is set up here if it is not). Returns ``first_rows_per_s``,
    ``reimport_rows_per_s``, ``updated_rows_per_s``, ``copy_rows_per_s``,
    ``ratio`` (import speed / COPY speed, so the aim is >= 0.25) and the
    per-stage seconds of each import under ``detail``.
    """
    _setup_django()
    data = file_generate(rows)
    changed = file_generate(rows, shift=0.5)
    measured = _measure(data, changed, place=place, quiet=True)
    return {
        "rows": measured["rows"],
        "first_rows_per_s": measured["first"]["rows_per_s"],
        "reimport_rows_per_s": measured["reimport"]["rows_per_s"],
        "updated_rows_per_s": measured["updated"]["rows_per_s"],
        "copy_rows_per_s": measured["copy"]["rows_per_s"],
        "ratio": measured["ratio"],
        "detail": measured,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file")
    parser.add_argument("--keep", type=Path, help="also write the generated file here")
    parser.add_argument(
        "--place",
        action="store_true",
        help="create a Place first (local authority 0), so the recompute of "
        "computed assessments and trends has work to do, as in a real install",
    )
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")):
        parser.error("set DATABASE_URL to a PostgreSQL server (postgres://…)")
    _setup_django()
    print("Generating the files…", flush=True)
    data = file_generate(args.rows)
    changed = file_generate(args.rows, shift=0.5)
    if args.keep:
        args.keep.write_bytes(data)
    _measure(data, changed, place=args.place, quiet=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
