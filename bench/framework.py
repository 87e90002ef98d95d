"""Framework ratio: the progress page's throughput against the smallest Django view.

Usage (from the project root)::

    .venv/bin/python bench/framework.py [--factor 1] [--duration 10] [--rounds 3]

Both URLs are served by the same gunicorn, started here the way a deployment
starts it (Dockerfile/docker-compose.yml: ``gunicorn marmot.wsgi:application
--workers 3 --access-logfile -``) with ``DJANGO_SETTINGS_MODULE=
marmot.settings.bench`` on 127.0.0.1 and a free port. The floor is
``/bench/minimal/`` (marmot/bench_urls.py): the same middleware, session and
authentication work as every page, no query and a constant body. The page is
the progress page ``/workstreams/<slug>/`` of the workstream with the most
actions. It is public: it is measured anonymously (the public's page, whose body
is cached, see workstreams/views/progress.py) and signed in as an oversight
member (never cached), each against the minimal view with the same cookie.

Steps: create ``marmot_fw`` if missing, migrate, ``python -m
bench.generate_scale_data --factor N --replace``, ``collectstatic`` (DEBUG is
off), start gunicorn, wait for /healthz, warm up, then run ``wrk`` (same threads
and connections) on each URL in turn for ``--rounds`` rounds, so a neighbour's
load hits all alike. The ratio is progress req/s over minimal req/s of the same
round; the median is the result (aim: 0.5).

It prints a table and writes bench/results/framework.json (git-ignored).
bench/run.py can call ``framework_measure(...)``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
RESULTS = ROOT / "bench" / "results" / "framework.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/marmot_fw"
# The deployment's gunicorn options (Dockerfile CMD, docker-compose.yml web).
GUNICORN_OPTIONS = ["--workers", "3", "--access-logfile", "-"]
AIM = 0.5


def _say(message: str) -> None:
    print(f"[framework] {message}", file=sys.stderr, flush=True)


def _environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["DJANGO_SETTINGS_MODULE"] = "marmot.settings.bench"
    env.setdefault("LOG_LEVEL", "WARNING")
    return env


def database_ensure(database_url: str) -> None:
    """Create the database named in ``database_url`` if it does not exist."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres") or not name:
        sys.exit("--database-url must name a database on a PostgreSQL server.")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(database_url: str, factor: float, seed: int, say: Callable) -> None:
    """Create, migrate and fill the database; collect the static files."""
    env = _environment(database_url)
    database_ensure(database_url)
    steps = [
        ("migrating", ["manage.py", "migrate", "--noinput", "-v", "0"]),
        (
            f"generating data (factor {factor}, seed {seed})",
            ["-m", "bench.generate_scale_data", "--factor", str(factor)]
            + ["--seed", str(seed), "--replace", "--quiet"],
        ),
        (
            "collecting static files",
            ["manage.py", "collectstatic", "--noinput", "-v", "0"],
        ),
    ]
    for label, args in steps:
        say(label)
        subprocess.run(  # noqa: S603 - this venv's python, our own scripts
            [str(PYTHON), *args],
            cwd=ROOT,
            env=env,
            check=True,
        )


def busiest_slug(database_url: str) -> str:
    """The slug of the workstream with the most actions (the heaviest page)."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            """
            SELECT s.slug FROM workstreams_workstream s
            LEFT JOIN workstreams_workplan w ON w.workstream_id = s.id
            LEFT JOIN workstreams_action a ON a.workplan_id = w.id
            GROUP BY s.id, s.slug ORDER BY count(a.id) DESC, s.id LIMIT 1
            """
        ).fetchone()
    if row is None:
        sys.exit("The database has no workstream: run without --skip-setup.")
    return row[0]


SESSION_SNIPPET = """
from django.contrib.auth import get_user_model
from django.test import Client
from marmot import roles
user, _ = get_user_model().objects.get_or_create(username="bench-oversight")
user.groups.add(roles.roles_ensure_groups()[roles.OVERSIGHT_MEMBER])
client = Client()
client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
print(client.cookies["sessionid"].value)
"""


def session_cookie(database_url: str) -> str:
    """A signed-in oversight member's session cookie (stored in the database,
    so every gunicorn worker accepts it)."""
    out = subprocess.run(  # noqa: S603 - this venv's python, our own manage.py
        [str(PYTHON), "manage.py", "shell", "-c", SESSION_SNIPPET],
        cwd=ROOT,
        env=_environment(database_url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return f"sessionid={out.split()[-1]}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 10) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def gunicorn_start(database_url: str, port: int, log) -> subprocess.Popen:
    command = [str(GUNICORN), "marmot.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", *GUNICORN_OPTIONS]
    process = subprocess.Popen(  # noqa: S603 - fixed command line
        command,
        cwd=ROOT,
        env=_environment(database_url),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if _get(f"http://127.0.0.1:{port}/healthz", timeout=2) == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    gunicorn_stop(process)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def gunicorn_stop(process: subprocess.Popen) -> None:
    """SIGTERM (graceful shutdown), then SIGKILL the group after 15 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(
    url: str, duration: float, threads: int, connections: int, cookie: str = ""
) -> dict:
    """One wrk run: req/s, latency mean and percentiles (ms), errors."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(  # noqa: S603 - wrk on our own loopback URL
        ["wrk", "--latency", "--timeout", "60s", f"-t{threads}", f"-c{connections}"]
        + [*headers, f"-d{max(1, round(duration))}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "mean_ms": _ms(re.search(r"Latency\s+(\S+)", out).group(1)),
    }
    for pct in ("50", "90", "99"):
        result[f"p{pct}_ms"] = _ms(re.search(rf"\s{pct}%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    result["non_2xx"] = int(bad.group(1)) if bad else 0
    result["socket_errors"] = errors.group(1).strip() if errors else ""
    return result


def framework_measure(
    *,
    database_url: str = DEFAULT_URL,
    factor: float = 1,
    seed: int = 0,
    duration: float = 10,
    rounds: int = 3,
    threads: int = 2,
    connections: int = 8,
    warmup: float = 3,
    setup: bool = True,
    say: Callable[[str], None] = _say,
) -> dict:
    """Serve both URLs from one gunicorn and measure them alternately with wrk.

    Returns the settings, every round's wrk results, the median req/s of each
    URL and the median of the rounds' progress/minimal ratios."""
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    if setup:
        prepare(database_url, factor, seed, say)
    slug = busiest_slug(database_url)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    paths = {"minimal": "/bench/minimal/", "progress": f"/workstreams/{slug}/"}
    cookie = session_cookie(database_url)
    # (name, path, cookie): anonymous visitors (the public, served the cached
    # page body) and a signed-in oversight member (never cached), each page
    # against the minimal view with the same cookie.
    runs = [
        ("minimal", paths["minimal"], ""),
        ("progress", paths["progress"], ""),
        ("minimal_signed_in", paths["minimal"], cookie),
        ("progress_signed_in", paths["progress"], cookie),
    ]
    rows: list[dict] = []
    with tempfile.NamedTemporaryFile("w+", prefix="gunicorn-", suffix=".log") as log:
        say(f"starting gunicorn on {base} ({' '.join(GUNICORN_OPTIONS)})")
        process = gunicorn_start(database_url, port, log)
        try:
            for name, path, with_cookie in runs:
                status = _get(base + path)
                if status != 200:
                    raise RuntimeError(f"GET {path} answered {status}, not 200")
                say(f"warming up {name} ({warmup:g} s)")
                wrk(base + path, warmup, threads, connections, with_cookie)
            for number in range(1, rounds + 1):
                for name, path, with_cookie in runs:
                    say(f"round {number}/{rounds}: {name} {path} ({duration:g} s)")
                    result = wrk(
                        base + path, duration, threads, connections, with_cookie
                    )
                    rows.append({"round": number, "url": name, **result})
        finally:
            say("stopping gunicorn")
            gunicorn_stop(process)
    by_url = {name: [r for r in rows if r["url"] == name] for name, _, _ in runs}
    ratios = [
        p["rps"] / m["rps"]
        for m, p in zip(by_url["minimal"], by_url["progress"], strict=True)
    ]
    signed_in_ratios = [
        p["rps"] / m["rps"]
        for m, p in zip(
            by_url["minimal_signed_in"], by_url["progress_signed_in"], strict=True
        )
    ]
    return {
        "settings": {
            "factor": factor,
            "seed": seed,
            "duration_s": duration,
            "rounds": rounds,
            "threads": threads,
            "connections": connections,
            "gunicorn": GUNICORN_OPTIONS,
            "cpus": os.cpu_count(),
        },
        "paths": paths,
        "rounds": rows,
        "median_rps": {
            name: statistics.median(r["rps"] for r in found)
            for name, found in by_url.items()
        },
        "median_p50_ms": {
            name: statistics.median(r["p50_ms"] for r in found)
            for name, found in by_url.items()
        },
        "ratios": ratios,
        "median_ratio": statistics.median(ratios),
        "signed_in_ratios": signed_in_ratios,
        "median_signed_in_ratio": statistics.median(signed_in_ratios),
        "aim": AIM,
    }


def table(result: dict) -> str:
    lines = [
        f"{'round':>5}  {'url':<9} {'req/s':>9} {'mean ms':>8} {'p50 ms':>7}"
        f" {'p90 ms':>7} {'p99 ms':>7} {'non-2xx':>7}",
    ]
    for r in result["rounds"]:
        lines.append(
            f"{r['round']:>5}  {r['url']:<9} {r['rps']:>9.1f} {r['mean_ms']:>8.2f}"
            f" {r['p50_ms']:>7.2f} {r['p90_ms']:>7.2f} {r['p99_ms']:>7.2f}"
            f" {r['non_2xx']:>7}"
        )
    ratios = ", ".join(f"{x:.3f}" for x in result["ratios"])
    signed_in = ", ".join(f"{x:.3f}" for x in result["signed_in_ratios"])
    met = "met" if result["median_ratio"] >= result["aim"] else "NOT met"
    rps = result["median_rps"]
    lines += [
        f"median req/s: minimal {rps['minimal']:.1f}, progress {rps['progress']:.1f}"
        f"; signed in: minimal {rps['minimal_signed_in']:.1f}, "
        f"progress {rps['progress_signed_in']:.1f}",
        f"progress/minimal per round, anonymous: {ratios}; signed in: {signed_in}",
        f"median ratio {result['median_ratio']:.3f} anonymous (aim >= "
        f"{result['aim']}: {met}), {result['median_signed_in_ratio']:.3f} signed in",
        f"progress page: {result['paths']['progress']}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--factor", type=float, default=1, help="data size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--duration", type=float, default=10, help="s per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=8, help="wrk conns")
    parser.add_argument("--warmup", type=float, default=3, help="s per URL")
    parser.add_argument(
        "--skip-setup",
        action="store_true",
        help="reuse the database and static files as they are",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = framework_measure(
        database_url=args.database_url,
        factor=args.factor,
        seed=args.seed,
        duration=args.duration,
        rounds=args.rounds,
        threads=args.threads,
        connections=args.connections,
        warmup=args.warmup,
        setup=not args.skip_setup,
    )
    print(table(result))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    _say(f"wrote {args.output}")


if __name__ == "__main__":
    main()
