"""Django settings, read from the environment with strict parsing.

DATABASE_URL      default: an SQLite file `pathwise.sqlite3` in the working directory
SECRET_KEY        required unless DEBUG is on (or SECRET_KEY_FILE naming a file)
DEBUG             true/false (default false)
ALLOWED_HOSTS     comma-separated (default localhost,127.0.0.1 when DEBUG)
PATHWISE_DATA_DIR local state such as signing keys (default ./var)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


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


def env_secret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE."""
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if value and path:
        raise ImproperlyConfigured(f"set {name} or {name}_FILE, not both")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
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
# Where this deployment is reached: credential ids and status lists live under it.
BASE_URL = os.environ.get("PATHWISE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Optional `did:web:<domain>` issuer instead of the default did:key.
DID_WEB = os.environ.get("PATHWISE_DID_WEB") or None

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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pathwise.site.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pathwise.site.middleware.ViewerTimezoneMiddleware",
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

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pathwise@localhost")
# Mail goes to the console unless another backend (e.g. SMTP) is configured.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND",
                                  "django.core.mail.backends.console.EmailBackend"),
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
