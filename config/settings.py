"""Django settings: one module, every value from config.env (the only reader of the environment)."""

from datetime import timedelta

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = env.BASE_DIR

# --- Core -------------------------------------------------------------------------------------------
DEBUG = env.DEBUG
if env.PRODUCTION and not env.SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_ENV=production needs DJANGO_SECRET_KEY (50+ random characters).")
if env.PRODUCTION and env.DEBUG:
    raise ImproperlyConfigured("DJANGO_ENV=production refuses DJANGO_DEBUG: it would show tracebacks to visitors.")
if env.PRODUCTION and not env.REDIS_URL:
    # Each gunicorn worker would keep its own cache: sessions (a signed-out cookie still accepted by another
    # worker), rate limits and page versions would differ from one worker to the next.
    raise ImproperlyConfigured("DJANGO_ENV=production needs REDIS_URL: every worker must share one cache.")
# The fallback key only ever serves the embedded default (a developer's machine); deployments set their own.
SECRET_KEY = env.SECRET_KEY or "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"
ALLOWED_HOSTS = env.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS
SITE_URL = env.SITE_URL.rstrip("/")

INSTALLED_APPS = [
    "accounts.apps.PortalAdminConfig",  # django.contrib.admin behind two-step verification (accounts/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "seeds",
    "needs",
    "programs",
    "matchmaking",
    "demo",
]

MIDDLEWARE = [
    "config.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Request id and client address for the audit trail (accounts/audit.py).
    "accounts.audit.request_context_middleware",
    "accounts.middleware.PreferredLanguageMiddleware",
    # NUL in the address: 400 (PostgreSQL cannot compare it); ids past a bigint: 404. After the language is set,
    # so that the refusal is in the visitor's language.
    "core.params.HostileInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.security.SessionExpiryMiddleware",
    "accounts.security.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------------
if env.DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": env.SQLITE_PATH}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env.REDIS_URL:
    CACHES = {
        "default": {
            # Redis down: misses and dropped writes, not errors (config/cache.py).
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": env.REDIS_URL,
            "KEY_PREFIX": "dualuse",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out e-mail address is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.PortalModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# How long an e-mail verification link stays valid.
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=3)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Sign-in lockout (django-axes): 5 wrong passwords for one e-mail address, or from one client address, lock
# it for 30 minutes; a portal administrator unlocks it sooner by deleting its "access attempt" in the admin
# (or `manage.py axes_reset_username EMAIL`).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
if env.NUM_PROXIES:
    AXES_IPWARE_PROXY_COUNT = env.NUM_PROXIES
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's and authenticate()'s name for the e-mail address
# Failures are counted under the address's normal form: another spelling of a locked address stays locked.
AXES_USERNAME_CALLABLE = "accounts.identity.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not this table's business
AXES_VERBOSE = False  # its start-up banner would print before every management command
# Sessions: an absolute lifetime from sign-in and an idle timeout (accounts/security.py); the cookie and the
# stored session expire with the absolute lifetime.
SESSION_MAX_AGE = timedelta(hours=env.SESSION_MAX_AGE_HOURS)
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.SESSION_IDLE_MINUTES)
SESSION_COOKIE_AGE = int(SESSION_MAX_AGE.total_seconds())
# Sessions are read through the cache only when it is shared (Redis); a per-process memory cache would let one
# worker accept a session that another has ended, so without Redis they are read from the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if env.REDIS_URL else "django.contrib.sessions.backends.db"
)
# The busiest pages are kept whole per session and data version (config/page_cache.py) at most this long.
PAGE_CACHE_SECONDS = 60
# Two-factor: the issuer shown in authenticator apps; government roles must use it (accounts/security.py).
OTP_TOTP_ISSUER = "Dual-use portal"

# --- Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (development, tests) WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = not env.STATIC_MANIFEST
MEDIA_ROOT = env.MEDIA_ROOT

# --- E-mail -----------------------------------------------------------------------------------------
if env.EMAIL_URL_BACKEND:
    EMAIL_BACKEND = env.EMAIL_URL_BACKEND
elif env.EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = env.EMAIL_HOST or "localhost"
EMAIL_PORT = env.EMAIL_PORT
EMAIL_HOST_USER = env.EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = env.EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = env.EMAIL_USE_TLS
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env.SECURE_COOKIES or env.PRODUCTION
CSRF_COOKIE_SECURE = env.SECURE_COOKIES or env.PRODUCTION
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env.PRODUCTION:
    # TLS ends at the proxy in front, which must set X-Forwarded-Proto (and strip a client's own).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.SSL_REDIRECT
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the container health check speaks plain HTTP on loopback
    SECURE_HSTS_SECONDS = env.HSTS_SECONDS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.HSTS_PRELOAD
    if not env.HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]  # preload deliberately switched off by the operator
# Content security policy (django-csp), in every mode so that tests and development see what production does:
# scripts and styles only from the portal's own files (no inline ones, so a page cached whole stays valid).
# The Swagger UI page relaxes styles for itself only (config/urls.py).
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

# --- Celery -----------------------------------------------------------------------------------------
# Without a broker (the embedded default) tasks run eagerly in-process, so `make run` needs no Redis.
CELERY_BROKER_URL = env.REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = env.REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not env.REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it has finished, and one whose worker was killed goes back to the queue: work is
# never lost with a worker, so every task is idempotent (scores are upserts keyed by (need, startup), a
# recompute chunk is counted once per run, notifications load their row and stop when it is gone).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that is down must never hang a page: connect quickly, do not retry a publish (the outbox relay
# retries, accounts/outbox.py), and give up reconnecting a worker after a bounded number of attempts.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_MAX_RETRIES = 10
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
    # Look for abandoned tasks often enough that a short visibility timeout (tests) takes effect promptly.
    "unacked_restore_interval": min(10, max(1, env.CELERY_VISIBILITY_TIMEOUT // 4)),
    "unacked_restore_throttle": 10 if env.CELERY_VISIBILITY_TIMEOUT >= 600 else 1,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 10}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through LOGGING above (JSON with the request id that enqueued the task), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "recompute-matches-nightly": {
        "task": "matchmaking.recompute_all",
        "schedule": crontab(hour=2, minute=0),
    },
    "close-expired-needs": {
        "task": "needs.close_expired_needs",
        "schedule": crontab(minute="*/15"),
    },
    "relay-outbox": {"task": "accounts.relay_outbox", "schedule": 60.0},
    "purge-stale-registrations": {
        "task": "accounts.purge_stale_registrations",
        "schedule": crontab(hour=3, minute=30),
    },
    "remind-meeting-invitations": {
        "task": "matchmaking.remind_meeting_invitations",
        "schedule": crontab(hour=9, minute=0),
    },
}

# --- Needs and proposals ----------------------------------------------------------------------------
# The proposal evaluation method rewards J-Startup status: points added to the 1–5 weighted score.
NEEDS_DESIGNATION_BONUS = {"jstartup": 0.5, "jstartup_local": 0.3, "jstartup_impact": 0.3}
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Matchmaking --------------------------------------------------------------------------------------
MATCH_TOP_K = env.MATCH_TOP_K  # pairs kept per need and per startup
MATCH_CHUNK_PAUSE = env.MATCH_CHUNK_PAUSE  # test only (tests/test_fault_tolerance.py)

# --- API --------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.backends.CachedUserTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.DefaultPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "NUM_PROXIES": env.NUM_PROXIES or None,
    # "anon" and "user" keep DRF's defaults (unlimited); "consultations": the new-entry consultation window,
    # per client IP, shared by its page and its API (needs/throttles.py).
    # Password guessing through the token exchange is slowed per client address; the consultation window
    # shares one budget between its page and its API.
    "DEFAULT_THROTTLE_RATES": {
        "anon": None,
        "user": None,
        "token": "10/minute",
        "consultations": "5/hour",
        # Public account forms, per client address (accounts/throttles.py).
        "registrations": "10/hour",
        "password_resets": "5/hour",
        "verification_links": "5/hour",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dual-use matchmaking portal API",
    "DESCRIPTION": "Needs, startups, proposals, matches and joint promotion meetings.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several components have a "status" or "to" field with different choice sets: name each set once.
    "ENUM_NAME_OVERRIDES": {
        "NeedStatusEnum": "needs.enums.NeedStatus",
        "ProposalStatusEnum": "needs.enums.ProposalStatus",
        "RejectionReasonEnum": "needs.enums.RejectionReason",
        "ConsultationStatusEnum": "needs.enums.ConsultationStatus",
        "OrganisationKindEnum": "accounts.enums.OrganisationKind",
        "MeetingKindEnum": "matchmaking.meetings.enums.MeetingKind",
    },
}

# --- Logging ----------------------------------------------------------------------------------------
# Everything goes to standard output/error (docker compose collects it): one JSON object per line in
# production, with the request id of the request or task that wrote it (config/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": env.LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.LOG_LEVEL},
}
