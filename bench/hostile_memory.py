"""Benchmark: peak memory of importing each hostile file (issue 14, finding 10).

Usage (from the project root)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marmot \\
        .venv/bin/python bench/hostile_memory.py [--json FILE]

Each file of tests/indicators/hostile_builders.py (at the sizes the issue
reported, bigger than the test suite's) is built and imported by
``manage.py import_measures`` / ``import_fingertips``'s code, each in a fresh
Python process, in a scratch database of its own (``marmot_hostile_<pid>``,
created, migrated and given a Place with Django's test-database machinery,
dropped at the end). Each process reports its peak resident memory
(``ru_maxrss``), the same before the import (Django loaded, file built), the
seconds the import took and its first line. The aim: every file refused,
none above 300 MB at its peak. The exit status is 1 when an aim is missed.
:func:`hostile_measure` is the same measurement for bench/run.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AIM_MB = 300
TIMEOUT = 180  # seconds a case may take

# name -> (command, file name, builder call); sizes as the issue found them.
CASES = {
    "xlsx-far-cells": ("import_measures", "far.xlsx", "xlsx_far_cells()"),
    "xlsx-shared-string": (
        "import_measures",
        "string.xlsx",
        "xlsx_huge_shared_string(256)",
    ),
    "tsv-4m-tabs": ("import_measures", "wide.tsv", "tsv_wide_header()"),
    "fingertips-16mb-bad-rows": (
        "import_fingertips",
        "bad.csv",
        "fingertips_bad_rows(list(EXPORT_HEADER), 16)",
    ),
}


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marmot.settings.test")
    # A benchmark is a command: no web statement timeout (ADR 0025).
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    import django

    django.setup()


def _child(name: str) -> None:
    """Build one file, import it, print one JSON line."""
    _setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from indicators.fingertips.columns import EXPORT_HEADER
    from tests.indicators import hostile_builders

    command, file_name, builder = CASES[name]
    data = eval(  # noqa: S307 - our own table of builder calls
        builder, {"EXPORT_HEADER": EXPORT_HEADER, **vars(hostile_builders)}
    )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / file_name
        path.write_bytes(data)
        size = len(data)
        del data
        before = _max_rss_mb()
        started = time.perf_counter()
        try:
            call_command(command, str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
            outcome, message = "imported", ""
        except CommandError as error:
            outcome, message = "refused", str(error)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "case": name,
                "bytes": size,
                "outcome": outcome,
                "before_mb": round(before, 1),
                "peak_mb": round(_max_rss_mb(), 1),
                "seconds": round(seconds, 2),
                "first_line": message.splitlines()[0][:200] if message else "",
                "problem": message.splitlines()[2][:200]
                if len(message.splitlines()) > 2
                else "",
            }
        ),
        flush=True,
    )


def _place_create() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from import_fingertips import _place_create as create

    create()


def hostile_measure(*, quiet: bool = False) -> list[dict]:
    """Run every case in its own process against a scratch database; return
    one dict per case (see :func:`_child`) with ``met`` (refused, peak <= aim)."""
    _setup_django()
    from django.db import connection

    name = f"marmot_hostile_{os.getpid()}"
    connection.settings_dict["TEST"]["NAME"] = name
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    results = []
    try:
        _place_create()
        connection.close()
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
        env = {**os.environ, "DATABASE_URL": url}
        if not quiet:
            print(
                f"{'file':<26}{'size':>10}{'outcome':>10}{'before':>9}"
                f"{'peak':>9}{'seconds':>9}  met"
            )
        for case in CASES:
            try:
                done = subprocess.run(  # noqa: S603 - our own script
                    [sys.executable, __file__, "--child", case],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                    cwd=ROOT,
                    timeout=TIMEOUT,
                )
            except subprocess.TimeoutExpired:
                done = None
            lines = [
                line
                for line in (done.stdout if done else "").splitlines()
                if line.startswith("{")
            ]
            if done is None:
                result = {
                    "case": case,
                    "outcome": f"still reading after {TIMEOUT} s",
                    "peak_mb": None,
                }
            elif done.returncode or not lines:
                result = {
                    "case": case,
                    "outcome": f"crashed ({done.returncode})",
                    "peak_mb": None,
                    "error": done.stderr[-2000:],
                }
            else:
                result = json.loads(lines[-1])
            result["met"] = (
                result["outcome"] == "refused"
                and result["peak_mb"] is not None
                and result["peak_mb"] <= AIM_MB
            )
            results.append(result)
            if not quiet:
                size = result.get("bytes")
                shown = f"{size / 1e6:.2f} MB" if size else "-"
                print(
                    f"{case:<26}{shown:>10}{result['outcome']:>10}"
                    f"{result.get('before_mb', 0) or 0:>8.0f}M"
                    f"{result['peak_mb'] or 0:>8.0f}M"
                    f"{result.get('seconds', 0) or 0:>9.1f}  "
                    f"{'yes' if result['met'] else 'NO'}",
                    flush=True,
                )
                if result.get("problem"):
                    print(f"{'':<26}{result['problem']}")
                if result.get("error"):
                    print(result["error"])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return 0
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")):
        parser.error("set DATABASE_URL to a PostgreSQL server (postgres://…)")
    results = hostile_measure()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(f"Aim: every file refused, none above {AIM_MB} MB at its peak.")
    return 0 if all(result["met"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
