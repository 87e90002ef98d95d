"""gunicorn's access log without secrets (ADR 0024).

``gunicorn.conf.py`` sets ``logger_class`` to `RedactingLogger`: every value an
access-log line can show (the request line, path, query string, Referer, and
any header or environ variable a custom ``access_log_format`` names) goes
through `marmot.site.request_log.redact_secrets`, so an invitation link's
token is logged as ``[redacted]``. It needs no Django settings.
"""

from gunicorn.glogging import Logger

from marmot.site.request_log import redact_secrets


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact_secrets(value) for key, value in atoms.items()}
