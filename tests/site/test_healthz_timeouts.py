"""/healthz answers within 2 seconds however the database hangs (issue 14, #9).

Each request runs in a thread of its own, as in a gunicorn worker, so it opens
its own database connection; the test's own connection stays usable. On
PostgreSQL only: SQLite is a local file and cannot hang this way.
"""

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import pytest
from django.db import connection
from django.test import Client

from indicators.fingertips.importer import fingertips_import
from marmot.site import health

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL timeouts"),
]

BOUND = 2.0  # seconds /healthz may take
GIVE_UP = 15.0  # seconds the test waits before calling it hung


@pytest.fixture(autouse=True)
def warm_and_isolated():
    """One request first, so the timings do not include loading the URLconf
    and views; afterwards, wait for any check still running (each test starts
    with none stuck)."""
    Client().get("/healthz")
    yield
    running = health._running
    if running is not None:
        running.join(GIVE_UP)


@pytest.fixture
def frozen_server():
    """A TCP port that accepts connections and never answers: PostgreSQL
    stopped with SIGSTOP, or its host paused, looks like this to a client."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()  # unblocks any client still waiting
    listener.close()


def _get_healthz_in_a_worker_thread():
    """GET /healthz from another thread; (response, seconds), or None if it hung."""
    pool = ThreadPoolExecutor(max_workers=1)
    started = time.monotonic()
    future = pool.submit(Client(raise_request_exception=False).get, "/healthz")
    try:
        response = future.result(timeout=GIVE_UP)
    except FutureTimeout:
        return None, time.monotonic() - started
    finally:
        pool.shutdown(wait=False)
    return response, time.monotonic() - started


def _assert_unavailable_in_time(response, seconds):
    assert response is not None, f"/healthz still waiting after {seconds:.0f} s"
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"status": "unavailable", "database": "down"}
    assert seconds < BOUND, seconds


def test_a_frozen_database_answers_503_within_2_seconds(frozen_server, monkeypatch):
    host, port = frozen_server
    monkeypatch.setitem(connection.settings_dict, "HOST", host)
    monkeypatch.setitem(connection.settings_dict, "PORT", str(port))
    response, seconds = _get_healthz_in_a_worker_thread()
    _assert_unavailable_in_time(response, seconds)
    # While that check is still stuck, the next one answers at once.
    monkeypatch.undo()
    response, seconds = _get_healthz_in_a_worker_thread()
    assert response.status_code in (200, 503) and seconds < BOUND


def test_a_check_query_held_by_a_lock_answers_503_within_2_seconds():
    with connection.cursor() as cursor:  # held until the test's rollback
        cursor.execute("LOCK TABLE django_migrations IN ACCESS EXCLUSIVE MODE")
    response, seconds = _get_healthz_in_a_worker_thread()
    _assert_unavailable_in_time(response, seconds)


def test_a_check_query_that_runs_too_long_answers_503_within_2_seconds(monkeypatch):
    monkeypatch.setattr(
        "marmot.site.health.HEALTH_QUERY", "SELECT pg_sleep(10)", raising=False
    )
    response, seconds = _get_healthz_in_a_worker_thread()
    _assert_unavailable_in_time(response, seconds)


def test_a_healthy_database_answers_200():
    response, seconds = _get_healthz_in_a_worker_thread()
    assert response.status_code == 200 and seconds < BOUND
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "Retry-After" not in response


def test_sessions_get_the_web_statement_and_lock_timeouts():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()[0]
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()[0]
    assert (statement, lock) == ("20s", "10s")


def test_an_import_raises_its_own_transactions_statement_timeout(monkeypatch):
    """Imports (a command or an officer's upload) may run past the web limit."""
    seen = []

    def show_timeout(data, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            seen.append(cursor.fetchone()[0])
        raise RuntimeError("stop here")

    monkeypatch.setattr("indicators.fingertips.importer.records_read", show_timeout)
    with pytest.raises(RuntimeError):
        fingertips_import(file=b"x", file_name="x.csv")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        after = cursor.fetchone()[0]
    assert (seen, after) == (["10min"], "20s")
