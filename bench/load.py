"""Load and fault test: gunicorn + PostgreSQL on loopback, bounded in time.

Usage (from the project root, as root: it runs PostgreSQL as the ``postgres`` user)::

    .venv/bin/python bench/load.py [--seconds 60] [--fault-seconds 30]
        [--phase both|load|fault] [--pg-port 25432] [--readers 4 --editors 3
        --posters 1] [--keep]

What it answers (issue 7, "load and faults"):

1. load: ``--seconds`` of concurrent reads and writes: zero errors and zero lost
   updates. Editors race read-modify-write PATCHes on the same few actions with
   ``If-Match``; each must end as 200 (its token is in the final text) or 412
   (its token is not), and the action's ``row_version`` must move by exactly the
   number of writes that landed. Progress updates (append-only POSTs): every
   201 is a row, and no other POST left one.
2. fault: the same load for ``--fault-seconds``, with PostgreSQL stopped
   (``pg_ctl stop -m fast``) at ``--fault-at`` s and started again
   ``--pg-down`` s later. The app may answer errors while the database is away,
   but no request may hang (each stays under the client timeout), and the last
   10 s must be error-free with gunicorn never restarted: Django reconnects by
   itself (``CONN_MAX_AGE=60`` with ``CONN_HEALTH_CHECKS=True`` in
   marmot/settings/base.py: a persistent connection is checked before its first
   use in a request and replaced when the server dropped it).

Why a private cluster: the test stops PostgreSQL, so it ``initdb``s its own in a
temporary directory (trust auth, 127.0.0.1:``--pg-port``, socket in that
directory) and removes it at the end, also on errors and Ctrl-C. The shared
server on 5432 is never touched. The default port, 25432, lies outside the
kernel's ephemeral range (bench/load_server.py says why that matters).

Why these gunicorn settings: ``--workers 3`` sync workers (threads 1), the
command of the Dockerfile and docker-compose.yml, so the test measures what is
deployed; ``--timeout 30``. Sync workers close the connection after each
response, so the client's keep-alive only saves its own bookkeeping.

The server runs ``marmot.settings.bench`` through a small wrapper module in
the temporary directory that only points ``STATIC_ROOT`` at a temporary
directory too, so ``collectstatic`` (DEBUG is off: hashed, compressed files via
whitenoise) never writes into the shared ``var/staticfiles``.

Data: ``bench.generate_scale_data --factor 1 --seed 0`` (4 workstreams, ~1,000
actions). The client acts as the chair of ``synthetic-0`` (the role that edits
a workstream's actions, rules.can_edit_action) with a DRF token; pages are the
public ones and need no sign-in.

Files: bench/load_server.py (cluster, data, gunicorn), bench/load_client.py
(client threads), bench/load_checks.py (table, lost-update check, aims).

It prints a table per phase and writes bench/results/load.json. The exit status
is 1 when an aim is missed (an error or a lost update in the load phase; in the
fault phase an error before the fault, a request reaching the client timeout,
an error or no success in the last 10 s, or a lost update).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_checks import (  # noqa: E402
    aims,
    fault_report,
    lost_updates,
    print_phase,
    server_errors,
    table,
)
from load_client import Shared, threads_start  # noqa: E402
from load_server import (  # noqa: E402
    DATABASE,
    ROOT,
    WORKERS,
    Cluster,
    db_state,
    ephemeral,
    free_port,
    gunicorn_start,
    log,
    port_free,
    prepare,
)

RESULTS = ROOT / "bench" / "results" / "load.json"


def run_phase(name: str, seconds: float, args, ctx: dict, fault_at=None) -> dict:
    run_id = f"{name}{os.getpid()}"
    before = db_state(ctx["db"], ctx["world"], run_id)
    shared = Shared(
        "127.0.0.1",
        ctx["port"],
        ctx["world"]["token"],
        ctx["world"],
        run_id,
        args.timeout,
    )
    fault: dict = {}

    def restart() -> None:
        fault["down"] = shared.now()
        log(f"{name}: stopping PostgreSQL (pg_ctl stop -m fast)")
        ctx["cluster"].stop()
        time.sleep(args.pg_down)
        fault["stopped_for"] = shared.now() - fault["down"]
        ctx["cluster"].start()
        fault["up"] = shared.now()
        log(f"{name}: PostgreSQL back up at {fault['up']:.1f} s")

    log(
        f"{name}: {seconds:g} s, {args.readers} readers, {args.editors} editors "
        f"on {len(ctx['world']['targets'])} actions, {args.posters} posters"
    )
    threads = threads_start(shared, args.readers, args.editors, args.posters)
    if fault_at is not None:
        timer = threading.Timer(fault_at, restart)
        timer.daemon = True
        timer.start()
    tick = 10.0
    while shared.now() < seconds:
        time.sleep(min(0.2, max(0.0, seconds - shared.now())))
        if shared.now() >= tick:
            with shared.lock:
                recs = list(shared.records)
            errors = sum(1 for r in recs if r.error)
            stale = sum(1 for r in recs if r.status == 412)
            log(
                f"{name}: {tick:.0f} s: {len(recs)} requests, {errors} errors, "
                f"{stale} × 412"
            )
            tick += 10
    shared.stop.set()
    for thread in threads:
        thread.join(args.timeout + 5)
    elapsed = shared.now()
    after = db_state(ctx["db"], ctx["world"], run_id)
    lines, rows = table(shared.records, elapsed)
    check = lost_updates(before, after, shared)
    result = {
        "seconds": elapsed,
        "table": rows,
        "lost_updates": check,
        "longest_request_s": max((r.seconds for r in shared.records), default=0.0),
    }
    if fault_at is not None:
        result["fault"] = fault_report(shared, fault, seconds, args)
    result["lines"] = lines
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawTextHelpFormatter,
    )
    parser.add_argument("--phase", choices=["both", "load", "fault"], default="both")
    parser.add_argument("--seconds", type=float, default=60, help="load phase")
    parser.add_argument("--fault-seconds", type=float, default=30)
    parser.add_argument(
        "--fault-at",
        type=float,
        default=10,
        help="seconds into the fault phase to stop PostgreSQL",
    )
    parser.add_argument(
        "--pg-down", type=float, default=2, help="seconds PostgreSQL stays stopped"
    )
    parser.add_argument(
        "--pg-port",
        type=int,
        default=25432,
        help="outside the ephemeral port range (see ephemeral())",
    )
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument(
        "--editors",
        type=int,
        default=3,
        help="threads racing PATCHes on the same actions",
    )
    parser.add_argument("--posters", type=int, default=1)
    parser.add_argument(
        "--targets", type=int, default=2, help="how many actions the editors share"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=15,
        help="client timeout per request; reaching it is a hang",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary directory (logs, cluster)",
    )
    args = parser.parse_args()
    if args.fault_seconds < args.fault_at + args.pg_down + 15:
        parser.error("--fault-seconds must leave 15 s after PostgreSQL is back")
    if os.geteuid() != 0:
        sys.exit("Run as root: PostgreSQL is run as the postgres user (runuser).")
    if not port_free(args.pg_port):
        sys.exit(f"127.0.0.1:{args.pg_port} is in use; pick another --pg-port.")
    if ephemeral(args.pg_port):
        print(
            f"warning: {args.pg_port} is in the ephemeral port range; "
            "PostgreSQL may fail to restart",
            file=sys.stderr,
        )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    tmp = Path(tempfile.mkdtemp(prefix="marmot-load-"))
    cluster = Cluster(tmp, args.pg_port)
    server = None
    try:
        log(f"setup: private PostgreSQL in {tmp}, port {args.pg_port}")
        cluster.create()
        cluster.start()
        env, world = prepare(cluster, tmp, args)
        port = free_port()
        server = gunicorn_start(env, port, tmp / "gunicorn.log")
        ctx = {
            "cluster": cluster,
            "world": world,
            "port": port,
            "db": cluster.url(DATABASE),
        }
        results = {}
        if args.phase in ("both", "load"):
            results["load"] = run_phase("load", args.seconds, args, ctx)
        if args.phase in ("both", "fault"):
            results["fault"] = run_phase(
                "fault", args.fault_seconds, args, ctx, fault_at=args.fault_at
            )
        gunicorn_alive = server.poll() is None
        logged, boots = server_errors(tmp / "gunicorn.log")
        for name, result in results.items():
            print_phase(name, result)
        missed = aims(results, args)
        if not gunicorn_alive:
            missed.append("gunicorn exited during the run")
        if boots != WORKERS:
            missed.append(f"gunicorn booted {boots} workers for {WORKERS}: restarts")
        print(
            f"\nserver-side exceptions logged: {logged or 'none'}; gunicorn "
            f"workers booted: {boots} (no restart: {WORKERS})"
        )
        print("aims: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        for result in results.values():
            result.pop("lines")
        RESULTS.write_text(
            json.dumps(
                {
                    "args": vars(args),
                    "world": {**world, "token": "(secret)"},
                    "results": results,
                    "server_exceptions": logged,
                    "gunicorn_workers_booted": boots,
                    "missed": missed,
                },
                indent=2,
                default=str,
            )
        )
        log(f"wrote {RESULTS.relative_to(ROOT)}")
        sys.exit(1 if missed else 0)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if cluster.running:
            with contextlib.suppress(SystemExit):
                cluster.stop("immediate")
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
