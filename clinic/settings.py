"""Settings for the trigger-point clinic, all read from the environment.

See the README's table of variables. A bad value stops start-up with a
message that names the variable (clinic.environment.read).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from clinic.environment import (
    celery_broker_url,
    embedded_database_url,
    embedded_redis_url,
    env,
    read,
    read_bool,
    read_database,
    read_redis_url,
    read_time_of_day,
    read_time_zone,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = read_bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "demo-only-secret-key-never-use-in-production-" + "x" * 20  # noqa: S105

ALLOWED_HOSTS = read("ALLOWED_HOSTS", env.list, default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = read("CSRF_TRUSTED_ORIGINS", env.list, default=[])

CLINIC_NAME = env.str("CLINIC_NAME", default="Trigger Point Clinic")
CLINIC_PHONE = env.str("CLINIC_PHONE", default="(555) 010-0100")
CLINIC_TIME_ZONE = read_time_zone("CLINIC_TIME_ZONE", default="America/New_York")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-clinic-2026")
PRECAUTIONS_REVIEW_MONTHS = read("PRECAUTIONS_REVIEW_MONTHS", env.int, default=6)
if PRECAUTIONS_REVIEW_MONTHS < 1:
    raise ImproperlyConfigured(
        "PRECAUTIONS_REVIEW_MONTHS must be a whole number of months, 1 or more"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "pgtrigger",
    "pghistory",
    "clinic",
    "patients",
    "scheduling",
    "procedures",
    "followups",
    "outcomes",
    "fhir_api",
    # Only management commands (bench_seed, bench_manifest); the bench's
    # middleware and URLs are wired in bench.settings alone.
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "clinic.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clinic.middleware.SessionTimeoutMiddleware",
    "clinic.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "clinic.middleware.TwoFactorMiddleware",
    "clinic.middleware.NoStoreForSignedInMiddleware",
    "clinic.middleware.HistoryContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "clinic.context_processors.clinic",
            ],
        },
    },
]

DATABASES = {
    "default": {
        **read_database("DATABASE_URL", default=embedded_database_url(BASE_DIR, "clinic")),
        # Persistent connections: a new connection per request costs about
        # 13x the throughput of a one-query page on this stack.
        "CONN_MAX_AGE": read("CONN_MAX_AGE", env.int, default=600),
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
    }
}
# Patient search (pg_trgm, patients/selectors.py): how alike a typed name must
# be to part of a patient's name. 0.5 rather than pg_trgm's 0.6, so that
# "Thomsen" finds "Thompson". Set per connection so the index scan applies it.
PATIENT_NAME_MATCH_THRESHOLD = 0.5
_database_options = DATABASES["default"].setdefault("OPTIONS", {})
_database_options["options"] = " ".join(
    [
        _database_options.get("options", ""),
        f"-c pg_trgm.word_similarity_threshold={PATIENT_NAME_MATCH_THRESHOLD}",
    ]
).strip()
# Parameters bound by the server, and statements prepared after a few runs on
# a connection, so PostgreSQL plans each ORM statement once (clinic/postgresql).
# Off for a connection pooler that cannot keep prepared statements.
DATABASES["default"]["ENGINE"] = "clinic.postgresql"
if read_bool("DATABASE_PREPARED_STATEMENTS", default=True):
    _database_options.setdefault("server_side_binding", True)
    _database_options.setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = read_redis_url("REDIS_URL", default=embedded_redis_url(BASE_DIR))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "clinic",
        "TIMEOUT": 300,
    }
}
# Page parts kept in the cache under their data's revisions (clinic/page_cache.py);
# 0 draws every page on every request. PAGE_CACHE_VERSION, when set, replaces
# the hash of the code in the keys (the tests set one per test).
PAGE_CACHE_SECONDS = read("PAGE_CACHE_SECONDS", env.int, default=600)
PAGE_CACHE_VERSION = ""

AUTH_USER_MODEL = "clinic.User"
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username+IP before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with roles and permissions read in one query (clinic.backends).
    "clinic.backends.RoleBackend",
]
PASSWORD_HASHERS = [
    # Argon2id first; older hashes still verify and are re-hashed at sign-in.
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "clinic.passwords.BreachedPatternValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = CLINIC_TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# EMAIL_URL sets EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, credentials and TLS.
vars().update(read("EMAIL_URL", env.email_url, default="smtp://127.0.0.1:1025"))
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="clinic@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
CLINIC_ALERT_EMAIL = env.str("CLINIC_ALERT_EMAIL", default=DEFAULT_FROM_EMAIL)

# Links in emails are absolute: the address patients reach the app at.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be set when DEBUG is off, e.g. https://clinic.example.org"
    )

# Follow-up emails (DESIGN.md, Follow-ups). Times of day are in CLINIC_TIME_ZONE.
FOLLOWUP_LOCAL_TIME = read_time_of_day("FOLLOWUP_LOCAL_TIME", default="09:00")
FOLLOWUP_REMINDER_BEFORE = timedelta(hours=read("FOLLOWUP_REMINDER_HOURS", env.int, default=24))
FOLLOWUP_REMINDER_MIN_NOTICE = timedelta(
    hours=read("FOLLOWUP_REMINDER_MIN_NOTICE_HOURS", env.int, default=2)
)
FOLLOWUP_DAY_AFTER_DAYS = read("FOLLOWUP_DAY_AFTER_DAYS", env.int, default=1)
FOLLOWUP_SURVEY_2W_DAYS = read("FOLLOWUP_SURVEY_2W_DAYS", env.int, default=14)
FOLLOWUP_SURVEY_6W_DAYS = read("FOLLOWUP_SURVEY_6W_DAYS", env.int, default=42)
FOLLOWUP_RETREATMENT_DEFAULT_DAYS = 84  # when a session names no product
# A follow-up already this overdue when its session is signed is recorded as skipped.
FOLLOWUP_TOO_LATE = timedelta(days=1)
FOLLOWUP_DISPATCH_INTERVAL = timedelta(
    seconds=read("FOLLOWUP_DISPATCH_SECONDS", env.int, default=60)
)
# How often the dashboard's per-day figures take in the changes (outcomes/rollup.py).
DASHBOARD_REFRESH_INTERVAL = timedelta(
    seconds=read("DASHBOARD_REFRESH_SECONDS", env.int, default=60)
)
FOLLOWUP_DISPATCH_LIMIT = read("FOLLOWUP_DISPATCH_LIMIT", env.int, default=1000)
# Threads per worker process that send a task's rows side by side (followups/senders.py).
FOLLOWUP_SEND_THREADS = read("FOLLOWUP_SEND_THREADS", env.int, default=2)
FOLLOWUP_LEASE = timedelta(seconds=read("FOLLOWUP_LEASE_SECONDS", env.int, default=300))
FOLLOWUP_MAX_ATTEMPTS = read("FOLLOWUP_MAX_ATTEMPTS", env.int, default=5)
FOLLOWUP_RETRY_BASE = timedelta(seconds=read("FOLLOWUP_RETRY_BASE_SECONDS", env.int, default=60))
FOLLOWUP_RETRY_MAX = timedelta(seconds=read("FOLLOWUP_RETRY_MAX_SECONDS", env.int, default=3600))
FOLLOWUP_SURVEY_LINK_AGE = timedelta(days=read("FOLLOWUP_SURVEY_LINK_DAYS", env.int, default=30))
FOLLOWUP_UNSUBSCRIBE_LINK_AGE = timedelta(days=365)

# Celery: JSON only, late acks with prefetch 1 so a killed worker's task is
# redelivered, and a beat schedule on fixed UTC intervals declared in code.
CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "followups-dispatch": {
        "task": "followups.tasks.followups_dispatch",
        "schedule": FOLLOWUP_DISPATCH_INTERVAL,
        # A tick nobody picked up is pointless once the next one is due.
        "options": {"expires": FOLLOWUP_DISPATCH_INTERVAL.total_seconds()},
    },
    "dashboard-days-refresh": {
        "task": "outcomes.tasks.dashboard_days_refresh",
        "schedule": DASHBOARD_REFRESH_INTERVAL,
        "options": {"expires": DASHBOARD_REFRESH_INTERVAL.total_seconds()},
    },
}

HEALTH_CHECK_TIMEOUT = timedelta(seconds=1)

# Production hardening; `manage.py check --deploy` runs clean in CI.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = read_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = read_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: nothing inline, nothing from elsewhere. Bootstrap's
# CSS draws its icons from data: URIs, hence img-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# Sessions: signed out after SESSION_IDLE_TIMEOUT without a request, and
# SESSION_ABSOLUTE_TIMEOUT after signing in whatever the activity
# (clinic.middleware.SessionTimeoutMiddleware). The last-activity stamp is
# rewritten at most once per SESSION_ACTIVITY_RESOLUTION to spare a write per request.
SESSION_IDLE_TIMEOUT = timedelta(minutes=read("SESSION_IDLE_MINUTES", env.int, default=15))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=read("SESSION_ABSOLUTE_HOURS", env.int, default=12))
SESSION_ACTIVITY_RESOLUTION = timedelta(seconds=30)
SESSION_IDLE_WARNING = timedelta(minutes=1)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
# Database sessions, read with one constant statement (clinic/session_store.py).
SESSION_ENGINE = "clinic.session_store"

# Two-factor sign-in (TOTP, clinic.two_factor). Required for clinicians and
# admins unless TWO_FACTOR_REQUIRED is off (the default in demo mode); for
# front desk only when TWO_FACTOR_FRONT_DESK is on.
TWO_FACTOR_REQUIRED = read_bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
TWO_FACTOR_FRONT_DESK = read_bool("TWO_FACTOR_FRONT_DESK", default=False)
OTP_TOTP_ISSUER = CLINIC_NAME

# Brute force (django-axes): a username is locked for one address after
# AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_TIME; other people behind the
# same address keep signing in. The lockout looks like any failed sign-in.
AXES_FAILURE_LIMIT = read("AXES_FAILURE_LIMIT", env.int, default=5)
AXES_COOLOFF_TIME = timedelta(minutes=read("AXES_COOLOFF_MINUTES", env.int, default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "clinic.sign_in_events.lockout_response"
AXES_CLIENT_IP_CALLABLE = "clinic.client_ip.client_ip"
AXES_VERBOSE = False
# How many proxies in front of the app append to X-Forwarded-For. 0 trusts no
# header and uses the connection's address; 1 for one TLS-terminating proxy.
TRUSTED_PROXY_COUNT = read("TRUSTED_PROXY_COUNT", env.int, default=0)

# Errors and logs carry no health information (clinic.errors, clinic.logging).
DEFAULT_EXCEPTION_REPORTER = "clinic.errors.PhiSafeExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "clinic.errors.PhiSafeExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "clinic.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "clinic.logging.PhiSafeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every sign-in at INFO; our access log already has them.
    "loggers": {"axes": {"level": "WARNING"}},
}
