"""The only settings module of Filière.

Every deploy-time value comes from an environment variable. DEBUG is off unless
``DJANGO_DEBUG=1``, which ``make demo`` and ``make serve`` set for a development platform on
embedded SQLite. Production sets at least ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and
``DATABASE_URL`` (PostgreSQL).
"""

import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("FILIERE_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless DJANGO_DEBUG=1 (`make demo` and `make serve` set it): a forgotten variable must give
# production settings, never debug pages. The test suite is the exception: pytest imports this
# module before any conftest can set the environment, and it runs with the development defaults
# (no HTTPS redirect, the development key); pytest-django then turns DEBUG off in every test.
DEBUG = env_bool("DJANGO_DEBUG", "pytest" in sys.modules)
# A development key is only acceptable while DEBUG is on; production must provide its own. Without
# one, Django refuses every use of the key and the system checks (`check`, `migrate`, `runserver`)
# stop with "DJANGO_SECRET_KEY must be set" (filiere/ui/checks.py), while tools that never sign
# anything (mypy's Django plugin, makemessages) still load these settings.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-change-me" if DEBUG else ""
)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    "template_partials",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Filière, in lifecycle order; audit and ui are used by all.
    "filiere.audit",
    "filiere.ui",
    "filiere.accounts",
    "filiere.community",
    "filiere.calls",
    "filiere.review",
    "filiere.committee",
    "filiere.matchmaking",
    "filiere.events",
    "filiere.awards",
    "filiere.privacy",
    "filiere.opendata",
    "filiere.observatory",
    # Operations: health, metrics, request ids and structured logs (docs/deploy/monitoring.md).
    "filiere.ops",
    "filiere.showcase",
    "filiere.api",
    "filiere.demo",
]

MIDDLEWARE = [
    # First: the age of the proxy's stamp is measured when the application sees the request.
    "filiere.ui.arrival.ArrivalMiddleware",
    # Every response, redirects and errors included, carries its request id, and so does every
    # log line written while answering it (docs/deploy/monitoring.md).
    "filiere.ops.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # /health/ and /metrics, answered before sessions, sign-in and the second-factor gate.
    "filiere.ops.middleware.MonitoringEndpointsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CsrfViewMiddleware, which reads the body it limits.
    "filiere.ui.middleware.BodySizeLimitMiddleware",
    # Before anything reads the path or the query string (PostgreSQL refuses NUL characters).
    "filiere.ui.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "filiere.audit.context.AuditOriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "filiere.accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "filiere.urls"
WSGI_APPLICATION = "filiere.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Our overrides of allauth's layout and elements win over allauth's own templates
        # (app templates are searched in INSTALLED_APPS order, and allauth comes first).
        "DIRS": [BASE_DIR / "accounts" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "filiere.ui.context_processors.site",
            ],
        },
    }
]

# --- Database: embedded SQLite by default, PostgreSQL in production (DATABASE_URL) ---
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'filiere.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a background worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's planner prices a random read at 4 sequential ones (spinning disks). On SSDs,
    # or with the tables in memory, 1.1 is the usual figure: with 4, the directory's search for
    # a word found in a tenth of the profiles scanned the table, reading every stored vector
    # (25 ms at 3,000 people), rather than its GIN index (0.3 ms).
    _RANDOM_PAGE_COST = float(os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1"))
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={_RANDOM_PAGE_COST}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_PAGE_CACHE_BACKEND = os.environ.get("FILIERE_PAGE_CACHE_BACKEND") or (
    "django.core.cache.backends.locmem.LocMemCache"
    if "pytest" in sys.modules
    else "django.core.cache.backends.filebased.FileBasedCache"
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    else "django.core.cache.backends.db.DatabaseCache"
)
# A shared cache: login throttling must count attempts across all server processes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "filiere_cache",
    },
    # Whole public pages for anonymous visitors (ui/page_cache.py, docs/deploy/page-cache.md): a
    # cache of its own, so that pages never evict the login throttling's counters. Every process
    # that writes data must share it. On SQLite (one machine by nature) files under VAR_DIR: a hit
    # then opens no database connection; else the database's table (`createcachetable`), or
    # Memcached or Redis through FILIERE_PAGE_CACHE_BACKEND and _LOCATION. Under pytest a
    # local-memory one: the pages' own tests turn it on; every other test counts the queries of
    # rendering, not of the cache.
    "pages": {
        "BACKEND": _PAGE_CACHE_BACKEND,
        "LOCATION": os.environ.get("FILIERE_PAGE_CACHE_LOCATION")
        or (
            str(VAR_DIR / "page-cache")
            if _PAGE_CACHE_BACKEND.endswith("FileBasedCache")
            else "filiere_page_cache"
        ),
        "TIMEOUT": 300,
        # Memcached and Redis evict by themselves (and refuse this option).
        "OPTIONS": {}
        if _PAGE_CACHE_BACKEND.endswith(("RedisCache", "MemcacheCache"))
        else {"MAX_ENTRIES": int(os.environ.get("FILIERE_PAGE_CACHE_MAX_ENTRIES", "5000"))},
    },
}
# Anonymous public pages answered from the "pages" cache (off under pytest but in its own tests).
FILIERE_PAGE_CACHE = env_bool("FILIERE_PAGE_CACHE", "pytest" not in sys.modules)

# --- Accounts ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "ui:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "filiere.accounts.adapter.AccountAdapter"
# Throttling of failed sign-ins, per IP and per account (allauth counts in the shared cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind N reverse proxies, the client address is the N-th from the right in X-Forwarded-For;
# 0 (direct connections) ignores that header, which a client could otherwise forge. Used by the
# login throttling above and by the audit log.
FILIERE_TRUSTED_PROXY_COUNT = int(os.environ.get("FILIERE_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = FILIERE_TRUSTED_PROXY_COUNT
# The moment a request arrived (ui/arrival.py, docs/deploy/arrival-time.md): the proxies whose
# X-Request-Start stamp is believed (addresses or CIDR blocks, comma-separated; empty: none, the
# processing time counts), and the oldest stamp believed, in seconds.
FILIERE_TRUSTED_PROXIES = env_list("FILIERE_TRUSTED_PROXIES")
FILIERE_ARRIVAL_MAX_AGE_SECONDS = float(os.environ.get("FILIERE_ARRIVAL_MAX_AGE_SECONDS", "120"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Filière"

# --- Internationalisation: French first, then English and Dutch ---
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Static and media files ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [("vendor", PROJECT_DIR / "node_modules" / "htmx.org" / "dist")]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_PERMISSIONS = 0o640
# Uploaded files: the media folder above ("local", the default), or with FILIERE_STORAGE=s3 a
# bucket of an S3-compatible object storage (AWS, MinIO, …) through django-storages (the `s3`
# extra). Either way no file is served from where it is stored: the objects stay private (no
# ACL, no signed link: url() is never signed) and every file is streamed by a view that checks
# who asks (docs/deploy/storage.md). ui/checks.py reports an unknown value or a missing bucket.
FILIERE_STORAGE = os.environ.get("FILIERE_STORAGE", "local").strip().lower() or "local"
if FILIERE_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("FILIERE_S3_BUCKET", ""),
            # Empty: AWS itself; a MinIO or another provider's address otherwise.
            "endpoint_url": os.environ.get("FILIERE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("FILIERE_S3_REGION") or None,
            # Empty: boto3's own chain (AWS_ACCESS_KEY_ID…, ~/.aws, an instance role).
            "access_key": os.environ.get("FILIERE_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("FILIERE_S3_SECRET_ACCESS_KEY") or None,
            # A key prefix when the bucket is shared ("filiere" → filiere/applications/…).
            "location": os.environ.get("FILIERE_S3_LOCATION", "").strip("/"),
            # "path" for MinIO and most S3-compatible services, "virtual" or empty (auto) for AWS.
            "addressing_style": os.environ.get("FILIERE_S3_ADDRESSING_STYLE") or None,
            "default_acl": None,  # no ACL sent: the bucket's own, private
            "querystring_auth": False,  # never a signed link, even by mistake
            "file_overwrite": False,  # a name taken gets another, as on disk
            # A file read back (download, scan, ZIP) spills to a temporary file past 2.5 MiB.
            "max_memory_size": 2_621_440,
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every request body (forms, API) is refused with 413 past this size (ui/middleware.py), except
# on the pages that receive a file, which accept that file's limit and the form around it
# (FILIERE_UPLOAD_BODY_LIMITS, after the file limits below).
FILIERE_MAX_BODY_BYTES = int(os.environ.get("FILIERE_MAX_BODY_BYTES", str(1024 * 1024)))

# --- E-mail ---
# Every sending goes through filiere.ops.mail, which records failures (counted by /metrics) and
# hands the messages to FILIERE_EMAIL_BACKEND, the backend that sends.
EMAIL_BACKEND = "filiere.ops.mail.RecordingEmailBackend"
FILIERE_EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Filière <noreply@localhost>")

# --- Background tasks (django.tasks API, database backend + `manage.py db_worker`) ---
TASKS = {
    "default": {
        "BACKEND": os.environ.get("FILIERE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# --- Security ---
# A refused CSRF check shows the site's own page (not Django's), without the technical reason.
CSRF_FAILURE_VIEW = "filiere.ui.views.csrf_failure"
# `make check-deploy` (manage.py check --deploy --fail-level WARNING with production variables) is
# clean with nothing silenced. Silence a check here only with a comment saying why it is safe.
SILENCED_SYSTEM_CHECKS: list[str] = []
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The proxy's and the monitoring's probes ask the application server directly, over HTTP: no
# redirect to HTTPS for them (filiere/ops, docs/deploy/monitoring.md).
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind the reverse proxy that terminates TLS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict Content Security Policy: no inline script or style, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Platform ---
FILIERE_PLATFORM_NAME = os.environ.get("FILIERE_PLATFORM_NAME", "Filière — Pôle Images")
# The public address of the platform, for links in e-mails (no request at hand when they go).
FILIERE_SITE_URL = os.environ.get("FILIERE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Open data (docs/opendata.md): the awarding body named in the published files, its SIRET (the
# SCDL file's idAttribuant; a fictitious one while DEBUG is on) and its 360Giving prefix.
FILIERE_OPEN_DATA_PUBLISHER_NAME = os.environ.get(
    "FILIERE_OPEN_DATA_PUBLISHER_NAME", FILIERE_PLATFORM_NAME
)
FILIERE_OPEN_DATA_PUBLISHER_SIRET = os.environ.get("FILIERE_OPEN_DATA_PUBLISHER_SIRET") or (
    "00000000000018" if DEBUG else ""
)
FILIERE_OPEN_DATA_360G_PREFIX = os.environ.get("FILIERE_OPEN_DATA_360G_PREFIX", "360G-filiere")
# Roles whose holders must use a second factor (enforced right after sign-in, and for API
# tokens); experts read confidential files.
FILIERE_MFA_REQUIRED_ROLES = ("staff", "committee", "admin", "expert")
# API tokens expire this many days after they are created.
FILIERE_API_TOKEN_LIFETIME_DAYS = int(os.environ.get("FILIERE_API_TOKEN_LIFETIME_DAYS", "90"))
FILIERE_DIRECTORY_PAGE_SIZE = 24
FILIERE_API_PAGE_SIZE = 50
# Limits against spam on the offers and needs board and on introductions (docs/matchmaking*.md).
FILIERE_MATCHMAKING_MAX_OPEN_POSTS = int(os.environ.get("FILIERE_MATCHMAKING_MAX_OPEN_POSTS", "5"))
FILIERE_INTRODUCTIONS_PER_DAY = int(os.environ.get("FILIERE_INTRODUCTIONS_PER_DAY", "10"))
FILIERE_INTRODUCTIONS_PENDING = int(os.environ.get("FILIERE_INTRODUCTIONS_PENDING", "20"))
FILIERE_INTRODUCTIONS_DECLINE_DAYS = int(os.environ.get("FILIERE_INTRODUCTIONS_DECLINE_DAYS", "30"))
# API rate limits (api/throttling.py, docs/api.md): "count/period", period s, m, h or d. Per token
# (or signed-in session), and per client address for anonymous callers; over it, 429.
FILIERE_API_RATE_SIGNED_IN = os.environ.get("FILIERE_API_RATE_SIGNED_IN", "300/m")
FILIERE_API_RATE_ANONYMOUS = os.environ.get("FILIERE_API_RATE_ANONYMOUS", "60/m")

# --- Applications: uploaded documents and the antivirus (calls/services/documents.py, scanning.py)
# Largest accepted file, and per document-type code where another limit applies.
FILIERE_UPLOAD_MAX_BYTES = int(os.environ.get("FILIERE_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
FILIERE_UPLOAD_MAX_BYTES_BY_TYPE: dict[str, int] = {
    "storyboard": 50 * 1024 * 1024,
    "bible": 50 * 1024 * 1024,
}
# What an upload page accepts in one request: its largest file and the form around it.
FILIERE_UPLOAD_REQUEST_MAX_BYTES = max(
    FILIERE_UPLOAD_MAX_BYTES, *FILIERE_UPLOAD_MAX_BYTES_BY_TYPE.values()
) + (1024 * 1024)
# Message attachments and a call's rules PDF (calls/services/documents.py).
FILIERE_MESSAGE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
FILIERE_RULES_PDF_MAX_BYTES = 10 * 1024 * 1024
# The signed copy of an agreement, a PDF (awards/services_agreements.py).
FILIERE_SIGNED_AGREEMENT_MAX_BYTES = 10 * 1024 * 1024
# A payment request's proofs (up to 10) and a report's file (awards/scanned_files.py).
FILIERE_FOLLOW_UP_FILE_MAX_BYTES = 20 * 1024 * 1024
# An image of a funded project's showcase page, PNG or JPEG (showcase/images.py).
FILIERE_SHOWCASE_IMAGE_MAX_BYTES = 5 * 1024 * 1024
_FORM_AROUND_FILE = 1024 * 1024
FILIERE_UPLOAD_BODY_LIMITS = {
    "showcase:image_upload": FILIERE_SHOWCASE_IMAGE_MAX_BYTES + _FORM_AROUND_FILE,
    "calls:document_upload": FILIERE_UPLOAD_REQUEST_MAX_BYTES,
    "calls:design_call_create": FILIERE_RULES_PDF_MAX_BYTES + _FORM_AROUND_FILE,
    "calls:design_call_edit": FILIERE_RULES_PDF_MAX_BYTES + _FORM_AROUND_FILE,
    "calls:staff_post_message": FILIERE_MESSAGE_ATTACHMENT_MAX_BYTES + _FORM_AROUND_FILE,
    "calls:application_messages": FILIERE_MESSAGE_ATTACHMENT_MAX_BYTES + _FORM_AROUND_FILE,
    "awards:signed_copy_upload": FILIERE_SIGNED_AGREEMENT_MAX_BYTES + _FORM_AROUND_FILE,
    "awards:payment_request": 3 * FILIERE_FOLLOW_UP_FILE_MAX_BYTES + _FORM_AROUND_FILE,
    "awards:report_submit": FILIERE_FOLLOW_UP_FILE_MAX_BYTES + _FORM_AROUND_FILE,
}
# Office files are ZIP archives: refuse more than this once unpacked (zip bombs).
FILIERE_UPLOAD_MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# clamd (ClamAV daemon), by unix socket or TCP. Neither set: files stay "waiting for the
# antivirus" and are never served (fail closed), which is what a laptop without clamd gets.
FILIERE_CLAMD_SOCKET = os.environ.get("FILIERE_CLAMD_SOCKET", "")
FILIERE_CLAMD_HOST = os.environ.get("FILIERE_CLAMD_HOST", "")
FILIERE_CLAMD_PORT = int(os.environ.get("FILIERE_CLAMD_PORT", "3310"))
FILIERE_CLAMD_TIMEOUT = float(os.environ.get("FILIERE_CLAMD_TIMEOUT", "60"))
# Per user, (count, seconds): uploads (documents and message attachments) and messages
# (calls/throttle.py, kept in the cache above).
FILIERE_UPLOAD_RATE = (30, 10 * 60)
FILIERE_MESSAGE_RATE = (20, 10 * 60)

# --- Operations: health, metrics, logs (filiere/ops, docs/deploy/monitoring.md) ---
# A bearer token that opens /metrics and the details of /health/ from anywhere (empty: none).
FILIERE_MONITORING_TOKEN = os.environ.get("FILIERE_MONITORING_TOKEN", "")
# Addresses or networks that reach them without a token.
FILIERE_METRICS_ALLOWED_IPS = env_list("FILIERE_METRICS_ALLOWED_IPS", "127.0.0.1,::1")
# The checks whose failure makes /health/ answer 503 (database, disk, clamd, task_queue).
FILIERE_HEALTH_CRITICAL = env_list("FILIERE_HEALTH_CRITICAL", "database,disk,clamd")
FILIERE_HEALTH_MAX_QUEUE_LAG = float(os.environ.get("FILIERE_HEALTH_MAX_QUEUE_LAG", "300"))
FILIERE_HEALTH_MIN_FREE_BYTES = int(
    os.environ.get("FILIERE_HEALTH_MIN_FREE_BYTES", str(1024 * 1024 * 1024))
)
FILIERE_HEALTH_CLAMD_TIMEOUT = float(os.environ.get("FILIERE_HEALTH_CLAMD_TIMEOUT", "2"))
# "text" (development) or "json" (one JSON object per line, for a log collector).
FILIERE_LOG_FORMAT = os.environ.get("FILIERE_LOG_FORMAT", "text").strip().lower()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "filiere.ops.logs.RequestContextFilter"}},
    "formatters": {
        "text": {
            "()": "filiere.ops.logs.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "filiere.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": "json" if FILIERE_LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # One line per request (filiere.ops.middleware) in JSON; the development server already
    # prints its own in text.
    "loggers": {
        "filiere.request": {"level": "INFO" if FILIERE_LOG_FORMAT == "json" else "WARNING"}
    },
}
