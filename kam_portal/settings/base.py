"""Settings shared by every environment; values come from the environment (django-environ).

dev.py (the default) runs on SQLite with in-process tasks; production.py refuses to start
without SECRET_KEY; test.py points at PostgreSQL.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# ENV_FILE points elsewhere (or at /dev/null, as the settings tests do); real env vars win.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "users",
    "accounts",
    "segmentation",
    "assessments",
    "workspace",
    "plans",
    "playbooks",
    "imports",
    "portfolio",
    "audit",
    "demo",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kam_portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kam_portal.middleware.NoStoreForSignedInMiddleware",
    "users.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: it turns a sign-in refused for lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kam_portal.urls"
WSGI_APPLICATION = "kam_portal.wsgi.application"

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
            ],
            # `|money` and `|score`, for every app's templates (kam_portal.formats).
            "libraries": {"formats": "kam_portal.templatetags.formats"},
        },
    },
]


def database_from_env(default_url: str) -> dict:
    """The database named by DATABASE_URL (or `default_url`), with the portal's options."""
    db = env.db("DATABASE_URL", default=default_url)
    db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # A kept connection is checked before each request reuses it, so a connection the database
    # dropped (restart, failover, an admin terminating it) costs a reconnect, not a 500.
    db["CONN_HEALTH_CHECKS"] = True
    if db["ENGINE"] == "django.db.backends.postgresql":
        # JIT compiling costs 0.5 s on a sorted account list and pays only on long batch
        # queries, which switch it back on for themselves (segmentation/churn/features.py).
        db.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return db


DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
# Axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# E-mail (docs/operations.md#e-mail) carries the digest and the people pages' one-time
# password links. The default console backend (as in `make run`) prints each message to the
# server's output: a portal without mail works all the same, since the people page shows every
# link to the admin for copying. Production sets
# EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the SMTP server.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="KAM Portal <kam-portal@localhost>")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("he", _("Hebrew"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates day first in both languages, amounts grouped: kam_portal/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["kam_portal.formats"]
# The sign of every amount shown (kam_portal.formats.money); the amounts carry no currency.
CURRENCY_SYMBOL = env.str("CURRENCY_SYMBOL", default="₪")
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jerusalem")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures in a row for one username
# (from any address) or from one address (for any username), sign-in is refused, without checking
# the password, until AXES_COOLOFF_MINUTES pass without a new attempt or an admin unlocks it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "users.throttle.SignInAttemptHandler"
AXES_CLIENT_IP_CALLABLE = "users.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "users.views.sign_in_locked_out"
AXES_VERBOSE = False  # no banner on every manage.py command; lockouts are still logged
# Log lines name the username and address of a failure and a lockout (passwords never), so an
# operator can tell whom to unlock.
AXES_SENSITIVE_PARAMETERS: list[str] = []
# How many reverse proxies in front of the portal append to X-Forwarded-For (0: none, the
# client's address is REMOTE_ADDR). Behind one, the per-address lockout needs this set to 1,
# or every client would share the proxy's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# A strict Content-Security-Policy in every environment, so a violation shows up in development
# first: scripts and styles only from our own static files, never inline; data: images only
# for the small SVG icons inside Bootstrap's stylesheet (select arrows, check marks).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    # The browser's session, then a personal API token (api/authentication.py); every view
    # refuses an import-only token unless it accepts that scope (api/permissions.py).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "api.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScopeAllows",
    ],
    "DEFAULT_PAGINATION_CLASS": "kam_portal.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,
    # Throttling is on for every API view; the rates are API_THROTTLE_* (api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousRateThrottle",
        "api.throttling.SignedInRateThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.v1.schema.ApiSchema",
}
# The largest request body read into memory: the API's bulk upsert takes 10,000 orders (about
# 3 MB of JSON) in one request; Django's default, 2.5 MB, would refuse it. File uploads stream
# to disk and are not counted.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=8 * 1024 * 1024)
# Requests per client: by address for anonymous ones, by user when signed in (session or
# token). "N/second|minute|hour|day". Counted in the default cache (per process unless CACHES
# names a shared one, such as Redis).
API_THROTTLE_ANONYMOUS = env.str("API_THROTTLE_ANONYMOUS", default="60/minute")
API_THROTTLE_USER = env.str("API_THROTTLE_USER", default="1200/minute")

# The OpenAPI schema at /api/schema/ and its documentation at /api/docs/ (api/urls.py).
SPECTACULAR_SETTINGS = {
    "TITLE": "KAM Portal API",
    "DESCRIPTION": "Version 1 of the KAM Portal's REST API. The manual is docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the documentation are for signed-in people and tokens (401 otherwise).
    "SERVE_AUTHENTICATION": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["api.v1.schema.only_version_1"],
    # Swagger UI's files come from drf-spectacular-sidecar, served as our own static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "accounts.models.Channel",
        "EventKindEnum": "accounts.models.EventKind",
        "SegmentEnum": "segmentation.enums.Segment",
        "RiskLevelEnum": "segmentation.enums.RiskLevel",
        "RunStatusEnum": "segmentation.enums.RunStatus",
        "TokenScopeEnum": "api.models.TokenScope",
        "GoalStateEnum": "plans.enums.GoalState",
        # A growth plan's action and a task share their states' codes (open, done, dropped).
        "OpenDoneDroppedEnum": "playbooks.enums.TaskStatus",
    },
}

# The cache holds computed pages (the dashboard): in each process's memory by default; set
# CACHE_URL (e.g. redis://127.0.0.1:6379/2) to share it between the web workers.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://kam-portal")}

# Celery: with no broker configured, tasks run in-process (eager), so `make run` needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Tasks must finish (or be killed) before Redis would hand an unacked task to another worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_TIME_LIMIT = 3000
CELERY_TASK_SOFT_TIME_LIMIT = 2700

# Uploaded import files and their rejects files (imports/uploads.py), never served as static
# media: a rejects file is downloaded through a view that checks who asks. The web and worker
# processes must share this directory (docker-compose.yml mounts one volume in both).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# The largest import file accepted, in MiB (a 1,000,000-row orders file is about 70 MiB).
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=1024)
# Where a running import's progress and cancel request live, seen by web and worker alike:
# Redis (by default the broker's), or this process's memory when tasks run in-process.
IMPORT_PROGRESS_URL = env.str("IMPORT_PROGRESS_URL", default=CELERY_BROKER_URL)

# The nightly run keeps every run's per-customer rows this many days, then the last run of each
# month (segmentation/retention.py; docs/operations.md).
NIGHTLY_KEEP_DAYS = env.int("NIGHTLY_KEEP_DAYS", default=90)
# Steps of the apps above segmentation that publish with the nightly run: dotted paths of
# `(run) -> None` functions, run in this order after the pipeline's own final steps, inside the
# transaction that completes the run (docs/development.md#adding-a-nightly-step).
# A step that reads another's results comes after it: the playbooks read the goals' progress.
NIGHTLY_FINAL_STEPS: list[str] = [
    "plans.nightly.goal_progress_step",  # growth goals' progress from the orders
    "playbooks.nightly.playbooks_step",  # tasks from the playbooks (docs/tasks.md)
]
# The growth plans' goals behind, for the playbooks' "a growth goal falls behind" trigger and
# the digest: the dotted path of a function `(*, as_of: date) -> {account id: {goal id:
# evidence}}`. Empty: the trigger sees no goal behind.
PLAYBOOK_GOALS_BEHIND = "plans.selectors.goals_behind_as_of"

# Where the portal is reached, for the links in mail (which has no request to take it from).
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # In-process (eager) tasks would print a "Task ... succeeded" line into every command's
    # output; a worker keeps them in its log.
    "loggers": {"celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"}},
}
