"""Settings for the benchmarks and load tests under gunicorn on loopback (bench/).

The production settings, served over plain HTTP on 127.0.0.1: no TLS redirect
and no Secure-only cookies, throttles and rate limits out of the way of the load,
and one extra URL, ``/bench/minimal/`` (marmot/bench_urls.py), the smallest
Django view, to compare the framework's floor with real pages on the same server.
Never used by a deployment.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-deployment")
os.environ.setdefault("SECURE_PROXY_SSL_HEADER", "")
for _name in ("THROTTLE_ANON", "THROTTLE_USER", "THROTTLE_PARTNER_WRITE"):
    os.environ.setdefault(_name, "1000000/minute")
for _name in ("RATE_LIMIT_LOGIN", "RATE_LIMIT_SUBMISSION", "RATE_LIMIT_INVITATION"):
    os.environ.setdefault(_name, "1000000/hour")

from marmot.settings.production import *  # noqa: E402,F403

ROOT_URLCONF = "marmot.bench_urls"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
AXES_ENABLED = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
