"""Rate limits hold across worker processes only with a shared cache (issue 14,
finding 13: three gunicorn workers let 45 of 20 `/submit/` posts an hour through).
Compose runs Redis for web and scheduler, and `check --deploy` warns when
``CACHE_URL`` names a cache each process keeps for itself."""

import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def clean_env(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DEBUG", "SECRET_KEY", "CACHE"))
    }
    env.update(extra)
    return env


def deploy_check(**extra_env) -> subprocess.CompletedProcess:
    env = clean_env(
        DJANGO_SETTINGS_MODULE="marmot.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
        DEBUG="0",
        **extra_env,
    )
    return subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_warns_when_the_cache_is_per_process():
    for cache_url in (None, "locmemcache://", "dummycache://"):
        extra = {"CACHE_URL": cache_url} if cache_url else {}
        result = deploy_check(**extra)
        output = result.stdout + result.stderr
        assert result.returncode != 0, (cache_url, output)
        assert "marmot.W001" in output, (cache_url, output)
        assert "CACHE_URL" in output


def test_deploy_check_accepts_a_shared_cache():
    # Checking needs no connection: nothing listens on this port.
    result = deploy_check(CACHE_URL="redis://127.0.0.1:1/0")
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_gives_web_and_scheduler_one_shared_cache():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["cache"]["image"].startswith("redis:")
    assert "healthcheck" in services["cache"]
    for name in ("web", "scheduler"):
        assert services[name]["environment"]["CACHE_URL"] == "redis://cache:6379/0"
    assert services["web"]["depends_on"]["cache"] == {"condition": "service_healthy"}


def test_the_redis_client_is_a_pinned_runtime_requirement():
    lines = (BASE_DIR / "requirements.txt").read_text().splitlines()
    assert any(line.startswith("redis==") for line in lines)


HITS = """
import django, sys
django.setup()
from marmot.site.ratelimit import rate_limit_hit
print(sum(rate_limit_hit(scope="shared", key=sys.argv[1], rate="3/hour",
                         now=float(sys.argv[2]))
          for _ in range(2)))
"""


@pytest.mark.skipif(not redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_two_worker_processes_share_one_count_in_redis():
    """Two processes (as two gunicorn workers) each post twice against a limit
    of 3: with the shared cache the fourth post is refused. Both count at the
    same moment, the middle of an hour's window: counted at the real time, a
    run that crossed the hour (16:59:59 to 17:00:00, CI on 2026-12-03) counted
    in two windows and refused nothing."""
    key = uuid.uuid4().hex
    mid_window = str((time.time() // 3600) * 3600 + 1800)
    env = clean_env(DJANGO_SETTINGS_MODULE="marmot.settings.test", CACHE_URL=REDIS_URL)
    refused = [
        int(
            subprocess.run(  # noqa: S603 - this interpreter, our own code
                [sys.executable, "-c", HITS, key, mid_window],
                cwd=BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            ).stdout.split()[-1]
        )
        for _worker in range(2)
    ]
    assert refused == [0, 1]
