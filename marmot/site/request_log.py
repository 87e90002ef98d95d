"""One log line per request, tagged with a request id (structured logging).

RequestLogMiddleware gives each request an id: the incoming `X-Request-ID` when
it is a sane token (a proxy or load balancer's id, so lines can be matched up
across services), else a fresh one. The id is echoed in the response's
`X-Request-ID` header and logged, at INFO on the "marmot.request" logger, with
the method, path, status, duration in milliseconds and user id ("-" when
anonymous). JsonFormatter writes records as one JSON object a line
(LOG_FORMAT=json in settings, the default unless DEBUG).

Secrets in addresses never reach a log (ADR 0024): `redact_secrets` replaces
the secret segment of the paths in ``SECRET_PATH_PREFIXES`` (the invitation
link's token) and the value of any token-like query parameter with
``[redacted]``. The request log logs the redacted path; the `RedactSecrets`
filter on the console handler redacts every other record (Django's own "Not
Found: <path>" warnings); gunicorn's access log uses the same function
(`marmot.site.gunicorn_logging`).
"""

import json
import logging
import re
import time
import uuid
from urllib.parse import unquote

from django.utils.functional import empty

logger = logging.getLogger("marmot.request")

# Letters, digits and - _ . : only, at most 64 characters: anything else (newlines
# that would forge log lines, huge values) is replaced by a fresh id.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "request_id")

REDACTED = "[redacted]"
# Paths whose next segment is a secret. Every route with a token-like path
# parameter must be listed (tests/site/test_log_redaction.py walks the URLconf).
SECRET_PATH_PREFIXES = ("/invitations/accept/",)
_SECRET_PATH = re.compile(
    "(" + "|".join(re.escape(prefix) for prefix in SECRET_PATH_PREFIXES) + ")"
    r"[^/?#\s\"']+"
)
# A query parameter whose name says it holds a secret: its value.
_SECRET_QUERY = re.compile(
    r"((?:^|[?&;])[^=&;#\s\"']*(?:token|secret|passw(?:or)?d|api_?key|signature)"
    r"[^=&;#\s\"']*=)[^&;#\s\"']*",
    re.IGNORECASE,
)


def _redact(text: str) -> str:
    text = _SECRET_PATH.sub(r"\g<1>" + REDACTED, text)
    return _SECRET_QUERY.sub(r"\g<1>" + REDACTED, text)


def redact_secrets(text):
    """``text`` (a path, request line, URL or log message) with the secrets in
    its addresses replaced by ``[redacted]``; anything not a string as it is.
    A percent-encoded address (``/%69nvitations/...``) is decoded to be
    redacted, so spelling a path differently does not get a token logged."""
    if not isinstance(text, str) or not text:
        return text
    redacted = _redact(text)
    if "%" in redacted:
        decoded = unquote(redacted)
        if _redact(decoded) != decoded:
            return _redact(decoded)
    return redacted


class RedactSecrets(logging.Filter):
    """A handler filter: the record's message and path fields, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if isinstance(getattr(record, "path", None), str):
            record.path = redact_secrets(record.path)
        return True


def request_id_for(incoming: str | None) -> str:
    """The incoming id if it is a sane token, else a new random one."""
    if incoming and SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def user_id_of(request) -> object:
    """The signed-in user's id, or "-". The user is only read if the request
    already loaded it (nearly every page does), so logging adds no queries."""
    user = getattr(request, "user", None)
    user = getattr(user, "_wrapped", user)  # AuthenticationMiddleware's lazy user
    if user is None or user is empty or not user.is_authenticated:
        return "-"
    return user.pk


class RequestLogMiddleware:
    """Tags the request with `request.request_id` and logs it when it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.request_id = request_id_for(request.headers.get("X-Request-ID"))
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        fields = {
            "method": request.method,
            "path": redact_secrets(request.path),
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "user_id": user_id_of(request),
            "request_id": request.request_id,
        }
        logger.info(
            "%(method)s %(path)s %(status)s %(duration_ms)sms user=%(user_id)s "
            "request_id=%(request_id)s",
            fields,
            extra=fields,
        )
        return response


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, and the
    request fields when the record has them."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                data[field] = getattr(record, field)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)
