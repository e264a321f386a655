"""Opora settings, read from the environment.

Every OPORA_* variable is listed in docs/operations.md. Development is the default mode;
``OPORA_ENVIRONMENT=production`` turns on the production safeguards and refuses to start
with an unsafe configuration.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
_SOURCE_ROOT = PACKAGE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"OPORA_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    raw = env(name, "")
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"OPORA_{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env(name, "")
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else default


ENVIRONMENT = env("ENVIRONMENT", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("OPORA_ENVIRONMENT must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

# A source checkout keeps its data under ./var; an installed package under the working directory.
_default_var = (
    _SOURCE_ROOT / "var" if (_SOURCE_ROOT / "pyproject.toml").exists() else Path.cwd() / "var"
)
VAR_DIR = Path(env("VAR_DIR", str(_default_var))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=not PRODUCTION)


def _secret_key() -> str:
    configured = env("SECRET_KEY")
    if configured:
        return configured
    if PRODUCTION:
        raise ImproperlyConfigured(
            "OPORA_SECRET_KEY is required in production (see docs/operations.md)."
        )
    # Development keeps a generated key beside its database so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("OPORA_DEBUG must be off in production.")
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("OPORA_SECRET_KEY must be at least 50 characters in production.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("OPORA_ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies stand in front of Opora; their X-Forwarded-* headers are trusted.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("OPORA_TRUSTED_PROXY_COUNT cannot be negative.")

INSTALLED_APPS = [
    # Before the admin, so that the admin shows the per-language fields.
    "modeltranslation",
    "opora.core.admin_site.OporaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "opora.core",
    "opora.institutions",
    "opora.registry",
    "opora.catalogue",
    "opora.rules",
    "opora.casework",
    "opora.cooperation",
    "opora.assistance",
    "opora.employment",
    "opora.payments",
    "opora.reports",
    "opora.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "opora.core.api_support.ApiErrorBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before CSRF, so that even a refused request is answered in the person's language.
    "opora.core.middleware.PreferencesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "opora.urls"
WSGI_APPLICATION = "opora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opora.core.context_processors.shell",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]


def _database() -> dj_database_url.DBConfig:
    url = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'opora.sqlite3'}")
    config = dj_database_url.parse(url, conn_max_age=0 if url.startswith("sqlite") else 60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write inside a transaction.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
        config.setdefault("TEST", {})["NAME"] = str(VAR_DIR / "test-opora.sqlite3")
    else:
        # Kept connections are checked before reuse; opora.core.postgresql does it without a
        # round trip on a connection in steady use.
        config["CONN_HEALTH_CHECKS"] = True
        if config["ENGINE"] == "django.db.backends.postgresql":
            config["ENGINE"] = "opora.core.postgresql"
        # The test suite commits after nearly every test (live servers, transactional tests)
        # and needs no durability: scripts/test.sh turns the wait for the disk off for it.
        if env("DATABASE_SYNCHRONOUS_COMMIT") == "off":
            config.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "opora.core.auth.RoleBackend",
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
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:login"

# Login throttling: five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/auth/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "opora.core.net.client_ip"

LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Russian")),
    ("en", _("English")),
    ("fi", _("Finnish")),
    ("de", _("German")),
]
# The staff interface is complete in these; the partner-facing pages add Finnish and German.
STAFF_LANGUAGES = ["ru", "en"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# Per-field content translations (cooperation): an empty translation reads the Russian one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ru",)
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Europe/Moscow")
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["opora.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise looks for it even before the first collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# The largest document attached to a case (scans of applications, certificates), in MB.
CASEWORK_MAX_UPLOAD_BYTES = int(env("CASEWORK_MAX_UPLOAD_MB", "10")) * 1024 * 1024
# The largest file of cooperation (agreement texts, event photos, letter scans), in MB.
COOPERATION_MAX_UPLOAD_BYTES = int(env("COOPERATION_MAX_UPLOAD_MB", "20")) * 1024 * 1024
# The folder with DejaVuSans.ttf and DejaVuSans-Bold.ttf for the printed documents (Cyrillic);
# empty: the usual places of Debian's fonts-dejavu-core and others are searched.
PDF_FONT_DIR = env("PDF_FONT_DIR")
# Tests turn it off to read the text of a served PDF.
CASEWORK_PDF_COMPRESS = True


def _tasks() -> dict:
    tasks_url = env("TASKS_URL")
    if tasks_url.startswith(("redis://", "rediss://")):
        return {"default": {"BACKEND": "django_tasks_rq.backend.RQBackend", "QUEUES": ["default"]}}
    if tasks_url and tasks_url != "database":
        raise ImproperlyConfigured("OPORA_TASKS_URL must be 'database' or a redis:// URL")
    return {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


TASKS = _tasks()
TASKS_USE_RQ = TASKS["default"]["BACKEND"].startswith("django_tasks_rq")
if TASKS_USE_RQ:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": env("TASKS_URL"), "DEFAULT_TIMEOUT": 3600}}
WORKER_HEARTBEAT_SECONDS = 10
# A running job's own heartbeat (a thread beside its work, on its own connection) touches its
# row this often; a running job silent for JOB_RECLAIM_AFTER_SECONDS lost its worker and is
# failed by the reclaim (the worker runs it on start and every minute; opora manage
# opora_worker_reclaim). A job that beats but reports no progress for JOB_STUCK_AFTER_SECONDS
# shows as stuck on its page and in /api/v1/health.
JOB_HEARTBEAT_SECONDS = int(env("JOB_HEARTBEAT_SECONDS", "10"))
JOB_RECLAIM_AFTER_SECONDS = int(env("JOB_RECLAIM_AFTER_SECONDS", "120"))
JOB_STUCK_AFTER_SECONDS = int(env("JOB_STUCK_AFTER_SECONDS", "900"))
if JOB_RECLAIM_AFTER_SECONDS < 3 * JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "OPORA_JOB_RECLAIM_AFTER_SECONDS must be at least three job heartbeats, so that a late"
        " beat does not fail a job that is still running."
    )
# The migration check of /api/v1/health is computed once per process and redone after this.
HEALTH_MIGRATIONS_TTL_SECONDS = int(env("HEALTH_MIGRATIONS_TTL_SECONDS", "60"))
# How long a process trusts an API token it verified, without asking the database again; a
# revocation or a change of the account is seen at once (core/token_cache.py). 0: never.
API_TOKEN_CACHE_SECONDS = float(env("API_TOKEN_CACHE_SECONDS", "5"))

# Email: the console in development, SMTP when OPORA_EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "opora@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers and cookies.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(env("SESSION_HOURS", "10")) * 3600
CSRF_COOKIE_HTTPONLY = True  # the HTMX shell sends the token from the page (hx-headers)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
    if TRUSTED_PROXY_COUNT > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}
