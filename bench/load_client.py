"""The client side of bench/load.py: HTTP client threads, their records and the
per-phase summary.

Standard library only (``http.client``), so the load test adds no dependency.
Each thread owns one keep-alive connection (gunicorn's sync workers close it
after every response; ``http.client`` then reopens it on the next request).

Three kinds of thread:

- readers: GET public pages (overview ``/``, ``/dashboard/``, a workstream's
  progress page; they need no sign-in) and API lists with the chair's token
  (``/api/v1/actions/``, ``/api/v1/dashboard/``, ``/api/v1/values/``);
- editors: read-modify-write on the same few actions: GET the action (ETag),
  append a unique token to ``description``, PATCH with ``If-Match``; on 412
  re-read the same action and retry with a new token;
- posters: POST append-only progress updates to other actions (a progress
  update also moves its action's status and RAG, so never to the edited ones,
  whose ``row_version`` the check counts).

Every request is recorded as (start, seconds, label, status, error). An error is
a 5xx, a connection error or timeout, or any status the request does not expect
(200 for reads and PATCH, 412 for a stale PATCH, 201 for POST). After an error a
thread waits ``BACKOFF`` seconds, as a real client would, rather than spin.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import random
import threading
import time
from dataclasses import dataclass, field

BACKOFF = 0.1
READS = (
    ("page /", "/"),
    ("page /dashboard/", "/dashboard/"),
    ("page workstream", "/workstreams/{workstream}/"),
    ("api actions", "/api/v1/actions/?workstream={workstream}"),
    ("api dashboard", "/api/v1/dashboard/"),
    ("api values", "/api/v1/values/?indicator={indicator}"),
)
EXPECTED = {"GET": {200}, "PATCH": {200, 412}, "POST": {201}}


@dataclass
class Record:
    start: float  # seconds since the phase started
    seconds: float
    label: str
    status: int | None  # None: no response (connection error, timeout)
    error: str = ""  # why it counts as an error; "" when it does not

    @property
    def end(self) -> float:
        return self.start + self.seconds


@dataclass
class Shared:
    """What every thread of one phase reads and writes."""

    host: str
    port: int
    token: str
    world: dict
    run: str  # unique per phase: marks this phase's tokens and progress texts
    timeout: float
    t0: float = field(default_factory=time.monotonic)
    stop: threading.Event = field(default_factory=threading.Event)
    records: list[Record] = field(default_factory=list)
    patches: list[tuple[int, str, int | None]] = field(default_factory=list)
    posts: list[tuple[str, int | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.t0


class Client:
    """One keep-alive connection; every request is timed and recorded."""

    def __init__(self, shared: Shared, auth: bool):
        self.shared = shared
        self.headers = {"Authorization": f"Token {shared.token}"} if auth else {}
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        s = self.shared
        return http.client.HTTPConnection(s.host, s.port, timeout=s.timeout)

    def request(self, method: str, path: str, label: str, body=None, headers=None):
        """(status, headers, body bytes); status None when nothing came back."""
        s = self.shared
        all_headers = {**self.headers, **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        start = s.now()
        try:
            self.conn.request(method, path, body=payload, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
            status, got = response.status, response.headers
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = self._connect()
            status, got, data = None, {}, b""
            error = type(exc).__name__
        else:
            error = "" if status in EXPECTED[method] else f"status {status}"
        record = Record(start, s.now() - start, label, status, error)
        with s.lock:
            s.records.append(record)
        if error:
            time.sleep(BACKOFF)
        return status, got, data

    def close(self) -> None:
        self.conn.close()


def reader(shared: Shared, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - a repeatable mix, not secrets
    pages = Client(shared, auth=False)
    api = Client(shared, auth=True)
    while not shared.stop.is_set():
        label, path = rng.choice(READS)
        client = api if label.startswith("api") else pages
        client.request("GET", path.format(**shared.world), label)
    pages.close()
    api.close()


def editor(shared: Shared, seed: int, name: str) -> None:
    rng = random.Random(seed)  # noqa: S311 - a repeatable mix, not secrets
    client = Client(shared, auth=True)
    action = rng.choice(shared.world["targets"])
    n = 0
    while not shared.stop.is_set():
        path = f"/api/v1/actions/{action}/"
        status, headers, data = client.request("GET", path, "api action GET")
        if status != 200:
            continue
        n += 1
        token = f" [{shared.run}-{name}-{n}]"
        text = json.loads(data)["description"] + token
        status, _, _ = client.request(
            "PATCH",
            path,
            "api action PATCH",
            body={"description": text},
            headers={"If-Match": headers["ETag"]},
        )
        with shared.lock:
            shared.patches.append((action, token.strip(), status))
        if status != 412:  # stale: re-read the same action and try again
            action = rng.choice(shared.world["targets"])
    client.close()


def poster(shared: Shared, seed: int, name: str) -> None:
    rng = random.Random(seed)  # noqa: S311 - a repeatable mix, not secrets
    client = Client(shared, auth=True)
    n = 0
    while not shared.stop.is_set():
        n += 1
        text = f"[{shared.run}-{name}-{n}] progress from the load test"
        body = {
            "action": rng.choice(shared.world["progress_targets"]),
            "reported_on": dt.date.today().isoformat(),
            "text": text,
            "status": "in_progress",
            "rag": rng.choice(["green", "amber", "red"]),
        }
        status, _, _ = client.request(
            "POST", "/api/v1/progress-updates/", "api progress POST", body=body
        )
        with shared.lock:
            shared.posts.append((text, status))
    client.close()


def threads_start(shared: Shared, readers: int, editors: int, posters: int):
    threads = [
        threading.Thread(target=reader, args=(shared, i), daemon=True)
        for i in range(readers)
    ]
    threads += [
        threading.Thread(target=editor, args=(shared, 100 + i, f"e{i}"), daemon=True)
        for i in range(editors)
    ]
    threads += [
        threading.Thread(target=poster, args=(shared, 200 + i, f"p{i}"), daemon=True)
        for i in range(posters)
    ]
    for thread in threads:
        thread.start()
    return threads
