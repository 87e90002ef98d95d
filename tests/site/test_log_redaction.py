"""Invitation tokens never reach a log (issue 14, finding 15): not the request
log, not Django's own warnings (a 404 or 429 on the link logs its path), not
gunicorn's access log (request line, path, query string and Referer)."""

import datetime as dt
import logging
import os
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import get_resolver
from django.urls.resolvers import RoutePattern, URLResolver
from gunicorn.config import Config

from marmot.site.request_log import SECRET_PATH_PREFIXES, redact_secrets
from tests.workstreams.factories import InvitationFactory
from workstreams.services.invitations import invitation_token_hash

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def console_lines(caplog) -> list[str]:
    """Each captured record as the configured console handler writes it
    (after its filters), so the test sees what the deployment's log sees."""
    [handler] = [
        h for h in logging.getLogger().handlers if h.get_name() == "console"
    ] or [None]
    assert handler is not None, "LOGGING has no console handler"
    lines = []
    for record in caplog.records:
        if handler.filter(record):
            lines.append(handler.format(record))
    return lines


@pytest.mark.django_db
def test_opening_an_invitation_link_logs_no_token(client, caplog):
    token = secrets.token_urlsafe(32)
    InvitationFactory(token_hash=invitation_token_hash(token))
    caplog.set_level(logging.INFO)
    response = client.get(f"/invitations/accept/{token}/")
    assert response.status_code == 302
    [record] = [r for r in caplog.records if r.name == "marmot.request"]
    assert token not in record.path
    assert record.path == "/invitations/accept/[redacted]/"
    assert not [line for line in console_lines(caplog) if token in line]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [404, 429])
def test_djangos_own_warnings_about_a_link_log_no_token(client, caplog, status):
    token = secrets.token_urlsafe(32)
    caplog.set_level(logging.INFO)
    with override_settings(RATE_LIMITS={"invitation": "0/hour"}):
        if status == 404:
            response = client.get(f"/invitations/accept/{token}/")
        else:
            response = client.post(f"/invitations/accept/{token}/", {})
    assert response.status_code == status
    lines = console_lines(caplog)
    assert any("django.request" in line or "[redacted]" in line for line in lines)
    assert not [line for line in lines if token in line]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/invitations/accept/abc-DEF_123/", "/invitations/accept/[redacted]/"),
        ("/invitations/accept/abc", "/invitations/accept/[redacted]"),
        (
            "GET /invitations/accept/abc/?x=1 HTTP/1.1",
            "GET /invitations/accept/[redacted]/?x=1 HTTP/1.1",
        ),
        (
            "https://example.org/invitations/accept/abc/",
            "https://example.org/invitations/accept/[redacted]/",
        ),
        ("/%69nvitations/accept/abc/", "/invitations/accept/[redacted]/"),
        ("/api/x/?token=abc&page=2", "/api/x/?token=[redacted]&page=2"),
        ("/x/?page=2&auth_token=abc", "/x/?page=2&auth_token=[redacted]"),
        ("page=2&Password=abc", "page=2&Password=[redacted]"),
        ("/measures/?sort=name", "/measures/?sort=name"),
        ("/invitations/", "/invitations/"),
    ],
)
def test_redact_secrets(text, expected):
    assert redact_secrets(text) == expected


def test_every_route_with_a_secret_in_its_path_is_redacted():
    """A new route with a token-like path parameter must be listed in
    SECRET_PATH_PREFIXES, or its secrets would be logged."""
    secret_names = ("token", "secret", "uidb64", "key")

    def walk(patterns, prefix):
        for entry in patterns:
            pattern = entry.pattern
            text = str(pattern) if isinstance(pattern, RoutePattern) else ""
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + text)
            else:
                yield prefix + text, pattern

    found = []
    for route, pattern in walk(get_resolver().url_patterns, "/"):
        regex = pattern.regex
        if any(name in group for group in regex.groupindex for name in secret_names):
            found.append(route)
            assert isinstance(pattern, RoutePattern), route
            literal = route.split("<", 1)[0]
            assert literal in SECRET_PATH_PREFIXES, route
    assert "/invitations/accept/<str:token>/" in found


def gunicorn_logger(tmp_path):
    namespace = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    config = Config()
    for name in ("logger_class", "accesslog", "access_log_format"):
        if name in namespace:
            config.set(name, namespace[name])
    config.set("accesslog", str(tmp_path / "access.log"))
    return config.logger_class(config)


def test_the_gunicorn_access_log_redacts_tokens(tmp_path):
    token = secrets.token_urlsafe(32)
    logger = gunicorn_logger(tmp_path)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/invitations/accept/{token}/?token={token}",
        "PATH_INFO": f"/invitations/accept/{token}/",
        "QUERY_STRING": f"token={token}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": f"https://example.org/invitations/accept/{token}/",
        "HTTP_USER_AGENT": "test",
    }
    response = SimpleNamespace(status="302 Found", headers=[], sent=0)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, dt.timedelta(milliseconds=5))
    for handler in logger.access_log.handlers:
        handler.flush()
    log = (tmp_path / "access.log").read_text()
    assert "GET /invitations/accept/[redacted]/?token=[redacted] HTTP/1.1" in log
    assert "https://example.org/invitations/accept/[redacted]/" in log
    assert token not in log


def test_the_image_and_compose_run_gunicorn_with_its_config_file():
    namespace = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert namespace["logger_class"] == "marmot.site.gunicorn_logging.RedactingLogger"
    assert "-c gunicorn.conf.py" in " ".join(
        (BASE_DIR / "Dockerfile").read_text().split()
    ).replace('", "', " ")
    assert "-c gunicorn.conf.py" in (BASE_DIR / "docker-compose.yml").read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_real_gunicorn_logs_no_token(tmp_path):
    """gunicorn started as the image starts it (its config file), asked for an
    invitation link: its access log has the request, without the token."""
    token = secrets.token_urlsafe(32)
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="marmot.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    out = (tmp_path / "gunicorn.out").open("w")
    process = subprocess.Popen(  # noqa: S603 - gunicorn from this venv
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "marmot.wsgi:application",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(  # noqa: S310 - our own local server
                    f"http://127.0.0.1:{port}/invitations/accept/{token}/", timeout=5
                )
            except urllib.error.HTTPError:
                break  # any status: the request was served and logged
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
            else:
                break
        time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        out.close()
    log = (tmp_path / "gunicorn.out").read_text()
    assert "GET /invitations/accept/[redacted]/ HTTP/1.1" in log, log[-3000:]
    assert token not in log
