"""gunicorn's settings for the image and docker compose (`gunicorn -c
gunicorn.conf.py marmot.wsgi:application`).

The access log goes to standard output through
`marmot.site.gunicorn_logging.RedactingLogger`, which writes invitation tokens
and other secrets in addresses as ``[redacted]`` (ADR 0024). ``GUNICORN_BIND``
and ``GUNICORN_WORKERS`` override the address and the number of workers.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = "-"
logger_class = "marmot.site.gunicorn_logging.RedactingLogger"
