"""Settings for every environment, driven by environment variables.

`DATABASE_URL` picks the database: unset means an SQLite file under `var/` (the
embedded default for trying the product); `postgres://...` means PostgreSQL
through psycopg 3. See `.env.example` for every variable.
"""

import datetime as dt
from pathlib import Path

import environ
from csp.constants import NONCE

from marmot.settings.storages import evidence_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="insecure-development-key-set-SECRET_KEY-in-production" if DEBUG else "",
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local trial).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "knox",  # API tokens that expire and can be revoked (ADR 0027)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "mailer",  # the outgoing mail queue (ADR 0023)
]
LOCAL_APPS = [
    "marmot.site",
    "marmot.outbox",  # the queue's admin for officers (after "mailer")
    "workstreams",
    "indicators",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "marmot.site.request_log.RequestLogMiddleware",
    "marmot.site.path_guard.PathControlCharacterMiddleware",
    "marmot.site.body_size.RequestBodySizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "marmot.site.csp.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

ROOT_URLCONF = "marmot.urls"
WSGI_APPLICATION = "marmot.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marmot.site.context_processors.place",
                "marmot.site.context_processors.navigation",
            ],
        },
    },
    {
        # Plain-text email (marmot.site.mail): no HTML escaping in text.
        "NAME": "email",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": False},
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'marmot.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Timeouts (ADR 0025): a hung or locked database fails a request in seconds
    # instead of holding a gunicorn worker until it is killed. manage.py
    # commands (loads, imports, migrations) get the longer command timeout.
    import sys as _sys

    _command = Path(_sys.argv[0]).name in ("manage.py", "django-admin") and (
        _sys.argv[1:2] != ["runserver"]
    )
    DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=5)  # seconds
    DB_STATEMENT_TIMEOUT_MS = env.int(
        "DB_COMMAND_STATEMENT_TIMEOUT_MS" if _command else "DB_STATEMENT_TIMEOUT_MS",
        default=0 if _command else 20_000,  # 0: none
    )
    DB_LOCK_TIMEOUT_MS = env.int("DB_LOCK_TIMEOUT_MS", default=10_000)
    # What an import (a command or an officer's upload) raises it to.
    DB_IMPORT_STATEMENT_TIMEOUT_MS = env.int(
        "DB_IMPORT_STATEMENT_TIMEOUT_MS", default=600_000
    )
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    _options["options"] = " ".join(
        filter(
            None,
            (
                _options.get("options", ""),
                f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}",
                f"-c lock_timeout={DB_LOCK_TIMEOUT_MS}",
            ),
        )
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
# Lock a username at one address only (ADR 0024): a username alone would let
# anyone lock anyone out; an address alone, everyone behind one proxy.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A locked-out try does not restart the cool-off, so the wait the page gives holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# How many proxies in front of the app append to X-Forwarded-For (0: none, use
# REMOTE_ADDR). Drives axes, DRF's NUM_PROXIES and the form rate limits through
# marmot.site.client_address (ADR 0024; docs/operations.md).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "marmot.site.client_address.client_address"
# A locked-out sign-in gets a page in the site's design, status 429.
AXES_LOCKOUT_CALLABLE = "marmot.site.views.sign_in_locked_out"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "marmot.site.storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    # Evidence files on progress updates (ADR 0035): a folder under var/ by
    # default; EVIDENCE_STORAGE=s3 puts them in S3-compatible object storage
    # (needs requirements-s3.txt; the EVIDENCE_S3_* variables in .env.example).
    "evidence": evidence_storage_from_env(env, VAR_DIR / "evidence"),
}
# The largest evidence file (bytes), and how many one progress update takes.
# A request body larger than REQUEST_BODY_MAX_BYTES is refused with 413 before
# it is read (marmot.site.body_size); the forms check each file. By default it
# holds the largest upload any form takes: three 10 MB evidence files, or an
# officer's 20 MB measures table with its metadata file (indicators' imports).
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=3)
REQUEST_BODY_MAX_BYTES = env.int(
    "REQUEST_BODY_MAX_BYTES",
    default=max(EVIDENCE_MAX_BYTES * EVIDENCE_MAX_FILES, 2 * 20 * 1024 * 1024)
    + 1024 * 1024,
)
# Form fields other than files (Django's default); files over
# FILE_UPLOAD_MAX_MEMORY_SIZE are streamed to a temporary file, not memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Outgoing mail (ADR 0023): queued in the database in the transaction of the
# change that causes it (django-mailer's DbBackend); the scheduler's
# `send_mail` hands it to EMAIL_URL's server (MAILER_EMAIL_BACKEND) every
# minute, a failure defers it and `retry_deferred` queues it again. With
# EMAIL_QUEUE off (the default only when DEBUG, for trials) mail goes straight
# to EMAIL_URL (the console by default) once the change commits.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
MAILER_EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
if env.bool("EMAIL_QUEUE", default=not DEBUG):
    EMAIL_BACKEND = "mailer.backend.DbBackend"
# Every delivery error defers the message and is logged (marmot.site.mail);
# row locks, not a lock file, keep two senders from sending one message.
MAILER_ERROR_HANDLER = "marmot.site.mail.mail_delivery_failed"
MAILER_USE_FILE_LOCK = False
# retry_deferred runs every 15 minutes: 288 tries is three days.
MAILER_EMAIL_MAX_RETRIES = env.int("EMAIL_MAX_RETRIES", default=288)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="marmot-tracker@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Form rate limits (marmot.site.ratelimit): "<count>/<second|minute|hour|day>".
RATE_LIMITS = {
    "login": env.str("RATE_LIMIT_LOGIN", default="30/hour"),
    "submission": env.str("RATE_LIMIT_SUBMISSION", default="20/hour"),
    "invitation": env.str("RATE_LIMIT_INVITATION", default="20/hour"),
}
# A cache shared by all workers makes the rate limits hold across them.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    # Page bodies (marmot.site.page_cache, ADR 15): each worker's own memory by
    # default, at most PAGE_CACHE_ENTRIES compressed bodies (a few MB), so no
    # run of distinct filters can grow it. PAGE_CACHE_URL may name a shared one.
    "pages": env.cache_url("PAGE_CACHE_URL", default="locmemcache://pages"),
}
if CACHES["pages"]["BACKEND"].endswith("LocMemCache"):
    CACHES["pages"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = env.int(
        "PAGE_CACHE_ENTRIES", default=64
    )
# The public address of this deployment, for links in emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Reminders (manage.py send_reminders, workstreams.due_reminders): an open action is
# stale after this many days without a progress update; a lead is reminded again
# after this many days; chairs' digests go on this weekday (0 = Monday).
REMINDER_STALE_DAYS = env.int("REMINDER_STALE_DAYS", default=30)
REMINDER_LEAD_REPEAT_DAYS = env.int("REMINDER_LEAD_REPEAT_DAYS", default=7)
# An output KPI's value is overdue this many days after its period ends (ADR 32).
KPI_DUE_DAYS = env.int("KPI_DUE_DAYS", default=30)
REMINDER_DIGEST_WEEKDAY = env.int("REMINDER_DIGEST_WEEKDAY", default=0)
# How long an emailed invitation link works (workstreams.services.invitations).
INVITATION_EXPIRY_DAYS = env.int("INVITATION_EXPIRY_DAYS", default=7)

# Content-Security-Policy (django-csp, through marmot.site.csp): nothing inline
# runs or styles the page unless it carries the request's nonce. Paths whose
# third-party pages need more (the admin, the API docs) are in marmot.site.csp.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request that needs a login gets 401.
        # django-rest-knox: hashed, expiring, revocable tokens (ADR 0027).
        "marmot.api.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every view names its permission classes (marmot.api).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_SCHEMA_CLASS": "marmot.api.schema.MarmotAutoSchema",
    # JSON only (ADR 0039): any other body is a 415, and the schema lists one
    # request body per write, which generated clients need.
    "DEFAULT_PARSER_CLASSES": ["marmot.api.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": [
        "marmot.api.query.StrictFilterBackend",
        "marmot.api.ordering.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "marmot.api.pagination.DefaultPagination",
    "EXCEPTION_HANDLER": "marmot.api.errors.api_exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/minute"),
        "user": env.str("THROTTLE_USER", default="600/minute"),
        "partner_write": env.str("THROTTLE_PARTNER_WRITE", default="30/minute"),
    },
}
# API tokens (django-rest-knox, ADR 0027): each expires API_TOKEN_TTL_HOURS
# after it is issued; logging out, or any change of the user's password,
# revokes it. Scripts ask for a new one when theirs is refused (401).
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=24)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Marmot Tracker API",
    "DESCRIPTION": "The health-equity programme of a Marmot place: workstreams, "
    "logic models, workplans, actions, partner submissions and outcome measures.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Operation ids and tags without the version (`actions_list`, tag
    # `actions`); the paths keep /api/v1/. Tags, summaries, examples and the
    # strict OpenAPI 3.0 forms are set by one hook (ADR 0039).
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "marmot.api.schema_hooks.postprocess_schema",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "workstreams.models.Action.Status",
        "WorkplanStatusEnum": "workstreams.models.Workplan.Status",
        "LogicModelStatusEnum": "workstreams.models.LogicModel.Status",
        "SubmissionStatusEnum": "workstreams.models.Submission.Status",
        "KpiEntryStatusEnum": "workstreams.models.KpiEntry.Status",
        "OrganisationKindEnum": "workstreams.models.Organisation.Kind",
        "LogicModelItemKindEnum": "workstreams.models.LogicModelItem.Kind",
        "IndicatorKindEnum": "indicators.models.Indicator.Kind",
        "MethodEnum": "indicators.models.Method",  # a judgement's
        "ValueMethodEnum": "indicators.models.IndicatorValue.Method",
        "OnTrackJudgementEnum": "workstreams.models.Workstream.Judgement",
        "TrendCodeEnum": "indicators.api.serializers.judgements.TREND_CODE_CHOICES",
    },
}

# One line per request from marmot.site.request_log; LOG_FORMAT=json (the
# default unless DEBUG) for log collectors, text for reading in a terminal.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "marmot.site.request_log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # Secrets in addresses (invitation tokens) never reach the log (ADR 0024).
    "filters": {"redact_secrets": {"()": "marmot.site.request_log.RedactSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
