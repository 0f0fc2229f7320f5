"""Tests: PostgreSQL is the reference database; Redis is the real broker for worker tests."""

from kam_portal.settings.base import *  # noqa: F403
from kam_portal.settings.base import database_from_env, env

DEBUG = False
SECRET_KEY = "test-only-key"
DATABASES = {"default": database_from_env("postgres://postgres@127.0.0.1:5432/kam_portal")}
# Eager by default so that code paths that enqueue run inline; the worker round-trip test
# switches this off on the Celery app for its own duration.
CELERY_BROKER_URL = env.str("TEST_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite sends thousands of API requests a minute from a few user ids; the throttling test
# sets its own low rate (tests/api/test_throttling.py).
API_THROTTLE_ANONYMOUS = "100000/minute"
API_THROTTLE_USER = "100000/minute"
