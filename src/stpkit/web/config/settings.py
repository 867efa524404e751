"""Django settings, all from environment variables with safe development defaults.

`STPKIT_ENV=production` turns on every deployment safeguard (`manage.py check --deploy`
is clean) and refuses to start without `STPKIT_SECRET_KEY` and `STPKIT_ALLOWED_HOSTS`.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import dj_database_url

from stpkit.settings import REPO_ROOT, load_settings

STPKIT = load_settings()
PRODUCTION = STPKIT.is_production
BASE_DIR = Path(__file__).resolve().parent.parent
NODE_MODULES = Path(os.environ.get("STPKIT_NODE_MODULES", str(REPO_ROOT / "node_modules")))

if PRODUCTION and not STPKIT.secret_key:
    raise RuntimeError("STPKIT_ENV=production needs STPKIT_SECRET_KEY set in the environment.")
SECRET_KEY = STPKIT.secret_key or "django-insecure-development-only-key-not-for-production-use"
DEBUG = os.environ.get("STPKIT_DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "STPKIT_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise RuntimeError("STPKIT_ENV=production needs STPKIT_ALLOWED_HOSTS (comma separated).")

PARTNERSHIP_NAME = os.environ.get(
    "STPKIT_PARTNERSHIP_NAME", "Kent and Medway Sustainability and Transformation Partnership"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "stpkit.web.accounts",
    "stpkit.web.core",
    "stpkit.web.programme",
    "stpkit.web.board",
    "stpkit.web.home",
    "stpkit.web.data",
    "stpkit.web.decisions",
    "stpkit.web.productivity",
    "stpkit.web.system",
    "stpkit.web.enablers",
    "stpkit.web.consultation",
    "stpkit.web.tasks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "stpkit.web.config.urls"
WSGI_APPLICATION = "stpkit.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "stpkit.web.config.jinja2env.environment"},
    },
    {
        # Django's admin ships Django templates; everything of ours is Jinja2.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(STPKIT.database_url, conn_max_age=60),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Policy (docs/deployment.md): at least 12 characters, not like the username or name,
    # not a common password, not all digits (NCSC: length over complexity rules).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: five failures lock the username from that address for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("STPKIT_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = None
AXES_LOCKOUT_CALLABLE = "stpkit.web.accounts.views.locked_out"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STPKIT_STATIC_ROOT", str(STPKIT.data_dir / "static")))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
STATICFILES_DIRS = [
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/vega", NODE_MODULES / "vega" / "build"),
    ("vendor/vega-lite", NODE_MODULES / "vega-lite" / "build"),
    ("vendor/vega-embed", NODE_MODULES / "vega-embed" / "build"),
]
# The demo is seen as at one date (`stpkit demo` sets it): flags and due dates are judged
# against it and every page carries a banner saying the data are a demonstration.
DEMO_AS_AT = (
    date.fromisoformat(os.environ["STPKIT_DEMO_AS_AT"])
    if os.environ.get("STPKIT_DEMO_AS_AT")
    else None
)
# files built from the installed packages (the NHS.UK stylesheet without external fonts)
STATIC_BUILD_DIR = STPKIT.data_dir / "static-build"
STATICFILES_FINDERS = [
    "stpkit.web.core.offline_css.OfflineCssFinder",
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
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
MEDIA_ROOT = STPKIT.data_dir / "media"
MEDIA_URL = "/media/"

# E-mail (notifications, reminders, password reset; docs/tasks.md). Development and the
# demo print e-mails to the console; production sends through SMTP unless told otherwise.
EMAIL_BACKEND = os.environ.get(
    "STPKIT_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("STPKIT_EMAIL_FILE_PATH", str(STPKIT.data_dir / "mail"))
EMAIL_HOST = os.environ.get("STPKIT_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("STPKIT_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("STPKIT_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("STPKIT_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("STPKIT_EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("STPKIT_EMAIL_FROM", "stpkit <noreply@localhost>")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # a reset or welcome link works for three days

SESSION_COOKIE_HTTPONLY = True
# Sessions end after STPKIT_SESSION_IDLE_MINUTES without a request (60 by default): every
# request renews the expiry, so an unattended screen does not stay logged in for a day.
SESSION_COOKIE_AGE = int(os.environ.get("STPKIT_SESSION_IDLE_MINUTES", "60")) * 60
SESSION_SAVE_EVERY_REQUEST = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("STPKIT_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("STPKIT_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_403": {"()": "stpkit.web.config.errors.OneLineForbidden"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_403"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("STPKIT_LOG_LEVEL", "WARNING")},
    # Django's request logger would print a full traceback for every refused request.
    "loggers": {"django.request": {"handlers": ["console"], "propagate": False}},
}
