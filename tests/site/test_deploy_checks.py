"""`manage.py check --deploy` passes with no warnings under the production
settings, run the way a deployment runs it: a fresh process with only the
environment a deployment must provide."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def run_check(**extra_env) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DEBUG", "SECRET_KEY"))
    }
    # A deployment must name a shared cache (marmot.W001, test_shared_cache.py).
    env["CACHE_URL"] = "redis://cache:6379/0"
    env.update(
        DJANGO_SETTINGS_MODULE="marmot.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
        DEBUG="0",
        **extra_env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_has_no_warnings_under_production_settings():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_warns_when_ssl_redirect_is_turned_off():
    # The check is live: switching a protection off is reported.
    result = run_check(SECURE_SSL_REDIRECT="0")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_production_settings_values():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD, s.SECURE_REDIRECT_EXEMPT, s.SECURE_PROXY_SSL_HEADER, "
        "s.SECURE_REFERRER_POLICY, s.X_FRAME_OPTIONS, s.LOG_FORMAT)"
    )
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="marmot.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_HSTS_SECONDS="600",
        SECURE_PROXY_SSL_HEADER="",
    )
    env.pop("DEBUG", None)
    env.pop("LOG_FORMAT", None)
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:4] == ["600", "True", "False", "['^healthz$']"]
    assert "None same-origin DENY json" in result.stdout


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https_but_pages_are(client):
    with override_settings(
        SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$"]
    ):
        assert client.get("/healthz").status_code == 200
        response = client.get("/accessibility/")
        assert response.status_code == 301
        assert response["Location"].startswith("https://")
