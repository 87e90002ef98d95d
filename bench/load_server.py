"""The server side of bench/load.py: a private PostgreSQL cluster, the
database and data, and gunicorn.

The cluster is ``initdb``-ed in a temporary directory and run as the
``postgres`` user (``runuser``), trust auth, on 127.0.0.1 only, its socket in
that directory, so the load test may stop and start it without touching the
shared server. Its port must lie outside the kernel's ephemeral range: while
PostgreSQL is stopped any outgoing connection may take an ephemeral port as its
local port, and PostgreSQL then fails to start again ("Address already in use";
this happened with 55432).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
DATABASE = "marmot_load"
WORKERS = 3  # as in the Dockerfile and docker-compose.yml
SETTINGS = '''"""marmot.settings.bench with STATIC_ROOT in bench/load.py's temp dir."""
import os
from pathlib import Path
from marmot.settings.bench import *  # noqa: F403
STATIC_ROOT = Path(os.environ["MARMOT_LOAD_STATIC_ROOT"])
'''
WORLD = """
import json
from indicators.models import Indicator
from knox.models import AuthToken
from workstreams.models import Action, Workplan, Workstream
ws = Workstream.objects.get(slug="synthetic-0")
ids = list(Action.objects.filter(workplan__workstream=ws,
    workplan__status=Workplan.Status.SIGNED_OFF)
    .exclude(status__in=[Action.Status.COMPLETED, Action.Status.CANCELLED])
    .order_by("pk").values_list("pk", flat=True))
print("WORLD=" + json.dumps({
    "token": AuthToken.objects.create(user=ws.chair)[1],
    "chair": ws.chair.username, "workstream": ws.slug,
    "indicator": Indicator.objects.order_by("code").first().code,
    "targets": ids[:%d], "progress_targets": ids[%d:%d + 20]}))
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd: list, **kwargs) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # noqa: S603
    if done.returncode:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Cluster:
    """A private PostgreSQL cluster in ``directory``, run as the postgres user."""

    def __init__(self, directory: Path, port: int):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins:
            sys.exit("No /usr/lib/postgresql/*/bin/initdb found.")
        self.bin = bins[-1].parent
        self.data = directory / "pgdata"
        self.port = port
        self.directory = directory
        self.running = False

    def pg(self, *args: str) -> str:
        return run(["runuser", "-u", "postgres", "--", *args])

    def create(self) -> None:
        shutil.chown(self.directory, "postgres", "postgres")
        self.pg(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.directory}'\n"
            )

    def pg_ctl(self, *args: str) -> None:
        log_file = str(self.directory / "postgresql.log")
        self.pg(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            log_file,
            "-w",
            "-t",
            "60",
            *args,
        )

    def start(self) -> None:
        self.pg_ctl("start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("stop", "-m", mode)
        self.running = False

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def ephemeral(port: int) -> bool:
    """In the kernel's range for outgoing connections' local ports? Such a port
    can be taken by any client while PostgreSQL is down, and then PostgreSQL
    cannot start again (seen with 55432)."""
    path = Path("/proc/sys/net/ipv4/ip_local_port_range")
    low, high = (int(n) for n in path.read_text().split())
    return low <= port <= high


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(cluster: Cluster, tmp: Path, args) -> tuple[dict, dict]:
    """Database, data, static files and the chair's token; (env, world)."""
    import psycopg

    with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    (tmp / "settings").mkdir()
    (tmp / "settings" / "marmot_load_settings.py").write_text(SETTINGS)
    python = str(VENV / "python")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marmot_load_settings",
        "PYTHONPATH": f"{tmp / 'settings'}:{ROOT}",
        "DATABASE_URL": cluster.url(DATABASE),
        "MARMOT_LOAD_STATIC_ROOT": str(tmp / "static"),
    }
    steps = (
        ("migrate", ["manage.py", "migrate", "--noinput"]),
        (
            "bench.generate_scale_data --factor 1 --seed 0",
            ["-m", "bench.generate_scale_data", "--factor", "1", "--seed", "0"],
        ),
        ("collectstatic", ["manage.py", "collectstatic", "--noinput", "-v", "0"]),
    )
    for name, cmd in steps:
        log(f"setup: {name}")
        run([python, *cmd], cwd=ROOT, env=env)
    code = WORLD % (args.targets, args.targets, args.targets)
    out = run([python, "manage.py", "shell", "-c", code], cwd=ROOT, env=env)
    world = json.loads(out.split("WORLD=", 1)[1].strip().splitlines()[0])
    return env, world


def gunicorn_start(env: dict, port: int, log_path: Path) -> subprocess.Popen:
    cmd = [
        str(VENV / "gunicorn"),
        "marmot.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--timeout",
        "30",
    ]
    log(f"setup: {' '.join(cmd[1:])}")
    out = open(log_path, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(  # noqa: S603 - our own command line
        cmd, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            url = f"http://127.0.0.1:{port}/healthz"
            if urllib.request.urlopen(url, timeout=5).status == 200:  # noqa: S310
                return proc
        time.sleep(0.5)
    sys.exit(f"gunicorn never answered /healthz:\n{log_path.read_text()[-3000:]}")


def db_state(url: str, world: dict, run_id: str) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT id, row_version, description FROM workstreams_action "
            "WHERE id = ANY(%s)",
            [world["targets"]],
        ).fetchall()
        texts = conn.execute(
            "SELECT text FROM workstreams_progressupdate WHERE text LIKE %s",
            [f"[{run_id}-%"],
        ).fetchall()
    return {
        "actions": {r[0]: (r[1], r[2]) for r in rows},
        "progress": [t[0] for t in texts],
    }
