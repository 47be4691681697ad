"""Django settings, read from the environment with strict parsing.

DATABASE_URL      default: an SQLite file `pathwise.sqlite3` in the working directory
SECRET_KEY        required unless DEBUG is on (or SECRET_KEY_FILE naming a file)
DEBUG             true/false (default false)
ALLOWED_HOSTS     comma-separated (default localhost,127.0.0.1 when DEBUG)
PATHWISE_DATA_DIR local state such as signing keys (default ./var)
PATHWISE_TRUSTED_ISSUERS  comma-separated DIDs whose credentials verify here besides our own
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from pathwise.core.credentials.trust import TrustError, parse_did_list
from pathwise.core.webhooks import GIVE_UP_AFTER, RETRY_WAITS

BASE_DIR = Path(__file__).resolve().parent.parent
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected true or false")


def env_int(name: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return None
    if not raw.isdigit() or len(raw) > 10:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number of at most 10 digits")
    return int(raw)


def env_list(name: str) -> list[str]:
    """A comma-separated list; blanks between commas are ignored."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE."""
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if value and path:
        raise ImproperlyConfigured(f"set {name} or {name}_FILE, not both")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r}: cannot read it: {exc}") from exc
    return value or None


DEBUG = env_bool("DEBUG", default=False)

_secret = env_secret("SECRET_KEY")
if _secret is None:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG is off")
    _secret = "pathwise-insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = _secret

_hosts = os.environ.get("ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()] or (
    ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)

DATA_DIR = Path(os.environ.get("PATHWISE_DATA_DIR", "var")).resolve()
# Where this deployment is reached: credential ids, status lists and the API addresses in
# webhook payloads live under it.
# `migrate` ends by loading the program definition files (pathwise.catalog.apps).
SYNC_PROGRAMS_AT_MIGRATE = True

BASE_URL = os.environ.get("PATHWISE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Optional `did:web:<domain>` issuer instead of the default did:key.
DID_WEB = os.environ.get("PATHWISE_DID_WEB") or None
# Issuers besides this deployment's own keys whose credentials verify here (comma-separated DIDs).
try:
    TRUSTED_ISSUERS = parse_did_list(os.environ.get("PATHWISE_TRUSTED_ISSUERS", ""),
                                     source="PATHWISE_TRUSTED_ISSUERS")
except TrustError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{Path.cwd() / 'pathwise.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while an import writes; IMMEDIATE avoids
    # "database is locked" upgrades inside transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    # First, so its registration/ templates (sign-in, password change and reset, styled
    # like the site) win over the admin's templates of the same names.
    "pathwise.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pathwise.site",
    "pathwise.auditlog",
    "pathwise.catalog",
    "pathwise.participants",
    "pathwise.enrollment",
    "pathwise.credentials",
    "pathwise.billing",
    "pathwise.standing",
    "pathwise.runs",
    "pathwise.capstone",
    "pathwise.notifications",
    "pathwise.onboarding",
    "pathwise.api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "axes",
]

# The REST API (pathwise/api): bearer tokens or the docs' session, JSON only (the
# browsable docs are Swagger UI at /api/v1/docs/), errors as problem+json, lists in pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pathwise.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["pathwise.api.auth.ScopedAccess"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "pathwise.api.problems.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "pathwise.api.conventions.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # OPTIONS is answered 405: the OpenAPI document describes every operation.
    "DEFAULT_METADATA_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pathwise API",
    "DESCRIPTION": ("Programs, the catalogue, participants and where they stand, seats "
                    "(quote, then take), requests, credentials and the audit log. Errors are "
                    "application/problem+json; money is {amount, currency}; times carry their "
                    "offset; writes accept an Idempotency-Key."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "pathwise.api.schema.add_problems"],
}

# Background work (e-mail, signing) is stored in the database and run by
# `manage db_worker`; see pathwise/notifications/background.py.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failed task is tried again after 1, 2, 4 … 64 minutes: 8 attempts over about two hours.
TASK_ATTEMPTS = 8
TASK_RETRY_SECONDS = 60.0
# Webhooks (pathwise/notifications/webhooks.py): a receiver has 5 seconds to answer; a
# failed delivery is tried again after 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, then daily,
# up to 72 hours after its first attempt. A worker holds a delivery it sends for the lease.
WEBHOOK_TIMEOUT_SECONDS = 5.0
WEBHOOK_RETRY_SECONDS = [wait.total_seconds() for wait in RETRY_WAITS]
WEBHOOK_GIVE_UP_AFTER_SECONDS = GIVE_UP_AFTER.total_seconds()
WEBHOOK_LEASE_SECONDS = 300.0
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (see STORAGES); with DEBUG, runserver serves them from the apps instead.
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "pathwise.site.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pathwise.site.middleware.ViewerTimezoneMiddleware",
    # Last, as axes requires: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Axes goes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "pathwise.site.urls"
WSGI_APPLICATION = "pathwise.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pathwise.site.context.programs",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# A capstone file (pathwise/capstone) is at most this many bytes; it is kept under
# DATA_DIR/capstones and served only to its participant and to staff.
CAPSTONE_MAX_BYTES = 10 * 1024 * 1024

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Every app process serves its own static files (WhiteNoise): no proxy rule to keep in step,
# and N servers behind a load balancer each have them. Off DEBUG, `collectstatic` (which
# scripts/serve runs) writes them with content-hashed names, compressed, cached for a year.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pathwise@localhost")
# Mail goes to the console unless another backend (e.g. SMTP) is configured.
_mail_backend = os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
_smtp_options = {
    key: value for key, value in {
        "host": os.environ.get("EMAIL_HOST") or None,
        "port": env_int("EMAIL_PORT"),
        "username": os.environ.get("EMAIL_HOST_USER") or None,
        "password": env_secret("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
        "timeout": env_int("EMAIL_TIMEOUT"),
    }.items() if value  # unset or off: the SMTP backend's own default
}
if _smtp_options and _mail_backend != SMTP_BACKEND:
    raise ImproperlyConfigured(
        f"EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, "
        f"EMAIL_USE_SSL and EMAIL_TIMEOUT are for EMAIL_BACKEND={SMTP_BACKEND}, "
        f"not {_mail_backend}")
if _smtp_options.get("use_tls") and _smtp_options.get("use_ssl"):
    raise ImproperlyConfigured("set EMAIL_USE_TLS or EMAIL_USE_SSL, not both")
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _smtp_options}}

# Sign-in throttling (pathwise/accounts/throttle.py): after 5 failures for one account, or
# from one address, within 15 minutes, sign-ins for it are refused for 15 minutes, even
# with the right password. Each dimension counts on its own.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "pathwise.accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "pathwise.accounts.throttle.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Behind a reverse proxy that terminates TLS, sets X-Forwarded-Proto and appends the
# client's address to X-Forwarded-For. Only set it when the proxy is the sole way in:
# otherwise a client could claim to be on HTTPS, or to come from any address.
BEHIND_PROXY = env_bool("PATHWISE_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HTTPS. The README's Deployment section says what to set in production.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS") or 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Origins other than this site's own host allowed to POST forms, e.g. https://pathwise.example.org
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Every response says where its page may load things from: only this site, no plugins,
# no framing. The templates have no inline scripts or styles, so no nonces are needed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# One line per 4xx on the console, never a traceback: a refused or missing page is not a
# fault. 5xx keep theirs (pathwise/site/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "pathwise.site.logs.ClientErrorsOnOneLine",
                            "format": "{levelname} {name}: {message}", "style": "{"}},
    # The process's own standard error, not whatever sys.stderr is at start-up (a test
    # runner swaps that for its own capture and closes it later).
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line",
                             "stream": "ext://sys.__stderr__"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Instead of Django's own console handler, which prints tracebacks, and only with DEBUG.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Each task's start and finish is the worker's to report (`db_worker -v 1`, its
        # default); elsewhere, such as the demo command running its tasks inline, only
        # failures are logged.
        "django.tasks": {"level": "WARNING"},
    },
}
