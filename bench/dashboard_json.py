"""The dashboard's and the values list's JSON: the serializers as served against
DRF's own reading of the same serializers (ADR 29).

Usage (from the project root)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marmot \\
        .venv/bin/python bench/dashboard_json.py [--database marmot_bench] \\
        [--factor 10] [--runs 11]

It uses the database ``marmot_bench`` on the server named in ``DATABASE_URL``
(``--database`` for another), created and migrated if missing. If it holds no
synthetic indicators it is emptied and filled by ``generate_scale_data --factor
10`` (500 indicators; ``make bench`` leaves its largest factor there, so after
``make bench`` nothing is generated). Signed in as an officer, through Django's
test ``Client`` in-process, it times (median of ``--runs``):

1. ``GET /api/v1/dashboard/`` (JSON) and ``GET /api/v1/values/?indicator=…``
   as served: their serializers read through
   :class:`marmot.api.representation.PlannedRepresentation`;
2. the same requests with DRF's own ``Serializer.to_representation`` at every
   level (what the serializers would cost without the plan);
3. the dashboard's ``DashboardSerializer(...).data`` alone, both ways, on
   entries loaded once (the part the plan changes);
4. ``bench/run.py``'s floor of each request (one raw query of the same rows
   plus ``json.dumps``), and each request's ratio to it (aim: ``<= 3``).

Each time is the median wall-clock time and the median CPU time of this process
(which leaves out PostgreSQL's part and is steadier on a busy machine); the
ratio ``DRF/served`` is of CPU times. It checks that both readings give the
same bytes before timing them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import sys
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run, framework

from framework import database_ensure  # noqa: E402
from run import DASHBOARD_FLOOR, VALUES_FLOOR, floor, setup  # noqa: E402

INDICATOR = "synthetic-0"


@contextmanager
def drf_reading():
    """DRF's own ``to_representation`` for every planned serializer."""
    from marmot.api.representation import PlannedRepresentation, drf_to_representation

    planned = PlannedRepresentation.to_representation
    PlannedRepresentation.to_representation = drf_to_representation
    try:
        yield
    finally:
        PlannedRepresentation.to_representation = planned


def medians_ms(call, runs: int) -> tuple[tuple, tuple]:
    """``call()`` as served and with DRF's reading, taking turns (so a busy
    spell of the machine falls on both): for each, the median wall-clock and
    the median CPU ms of this process (the CPU time leaves out waiting for
    PostgreSQL, and other jobs on a busy machine)."""
    call()  # warm: the first request reads the user's roles
    times: dict[bool, tuple[list, list]] = {False: ([], []), True: ([], [])}
    for _ in range(runs):
        for drf in (False, True):
            gc.collect()  # the garbage of the run before is not this one's
            with drf_reading() if drf else nullcontext():
                start, start_cpu = time.perf_counter(), time.process_time()
                call()
                times[drf][0].append(time.perf_counter() - start)
                times[drf][1].append(time.process_time() - start_cpu)
    served, drf = (
        tuple(statistics.median(t) * 1000 for t in times[key]) for key in (False, True)
    )
    return served, drf


def data_ensure(factor: float) -> None:
    from django.core.management import call_command
    from django.db import connection

    from indicators.models import Indicator

    if Indicator.objects.filter(code=INDICATOR).exists():
        return
    from bench.generate_scale_data import scale_data_write

    print(f"generating factor {factor:g}…", flush=True)
    call_command("flush", interactive=False, verbosity=0)
    scale_data_write(factor=factor, quiet=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def measure(runs: int) -> list[tuple]:
    """(what, as served (wall, CPU) ms, DRF's reading (wall, CPU) ms, floor ms
    or None) per line."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from indicators.api.serializers.dashboard import DashboardSerializer
    from indicators.models import Place
    from indicators.page_selectors.dashboard import dashboard_entries
    from indicators.selectors import place_get
    from marmot import roles

    officer, _ = get_user_model().objects.get_or_create(username="bench-officer")
    officer.groups.add(roles.roles_ensure_groups()[roles.OFFICER])
    client = Client()
    client.force_login(officer)
    place = Place.objects.get()
    areas = [place.area_id, place.country_id, place.region_id]
    today = dt.date.today()
    entries = dashboard_entries(officer, {}, today=today)
    document = {"place": place_get(), "today": today, "indicators": entries}
    requests = [
        ("GET /api/v1/dashboard/", "/api/v1/dashboard/", DASHBOARD_FLOOR, [areas]),
        (
            "GET /api/v1/values/?indicator=…",
            f"/api/v1/values/?indicator={INDICATOR}",
            VALUES_FLOOR,
            [INDICATOR],
        ),
    ]
    lines = []
    for name, path, sql, params in requests:
        served = client.get(path, HTTP_ACCEPT="application/json")
        with drf_reading():
            drf = client.get(path, HTTP_ACCEPT="application/json")
        assert served.status_code == drf.status_code == 200, served.status_code
        assert served.content == drf.content, f"{name}: the readings differ"
        fast, slow = medians_ms(lambda p=path: client.get(p), runs)
        lines.append((f"{name} ({len(served.content):,} bytes)", fast, slow))
        lines[-1] += (floor(sql, params, runs),)

    def serialize():
        return DashboardSerializer(document).data

    fast, slow = medians_ms(serialize, runs)
    lines.append((f"DashboardSerializer alone ({len(entries)} measures)", fast, slow))
    lines[-1] += (None,)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="marmot_bench")
    parser.add_argument("--factor", type=float, default=10, help="Default 10.")
    parser.add_argument("--runs", type=int, default=11, help="Timed runs (median).")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (any database on it).")
    url = urlunsplit(urlsplit(url)._replace(path=f"/{args.database}"))
    database_ensure(url)
    setup(url)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    data_ensure(args.factor)
    lines = measure(args.runs)
    print(
        f"\n{'ms (wall / CPU)':48} {'served':>15} {'DRF':>15} DRF/served "
        f"{'floor':>7} ratio"
    )
    for name, fast, slow, floor_ms in lines:
        ratio = f"{floor_ms:7.1f}  {fast[0] / floor_ms:4.1f}×" if floor_ms else ""
        cells = f"{fast[0]:7.1f}/{fast[1]:<7.1f} {slow[0]:7.1f}/{slow[1]:<7.1f}"
        print(f"{name:48} {cells} {slow[1] / fast[1]:9.2f}× {ratio}")


if __name__ == "__main__":
    main()
