"""Production settings: base settings plus the transport-security switches.

`manage.py check --deploy` passes with no warnings under these settings
(tests/site/test_deploy_checks.py) once ``CACHE_URL`` names a cache every
worker shares (marmot.W001, marmot.site.deploy_checks). Every switch can be
tuned by environment variable; see .env.example and docs/operations.md.
"""

# `check --deploy` also warns when CACHE_URL is a per-process cache (ADR 0024).
import marmot.site.deploy_checks  # noqa: F401
from marmot.settings.base import *  # noqa: F403
from marmot.settings.base import env

# Behind a TLS-terminating proxy, this header tells Django the request was HTTPS.
# Only trust it when the proxy always sets (or strips) it; set the variable to an
# empty value when the app is reached without a proxy.
_proxy_header = env.list(
    "SECURE_PROXY_SSL_HEADER", default=["HTTP_X_FORWARDED_PROTO", "https"]
)
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if len(_proxy_header) == 2 else None

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The container healthcheck calls /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way, domain-wide decision for the domain's owner, so
    # it is off unless asked for; its check would otherwise always warn.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
# No script reads the CSRF cookie (forms carry the token), so hide it from JS.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
