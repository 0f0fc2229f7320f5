"""Browser tests on `make run`'s configuration: a SQLite file and in-process (eager) tasks with no
broker, as dev.py gives a newcomer who sets nothing. `make test` runs `pytest -m e2e` a second
time under these settings (docs/development.md#browser-tests); everything else is the test
settings (PostgreSQL is the reference database for the rest of the suite).
"""

from kam_portal.settings.test import *  # noqa: F403
from kam_portal.settings.test import BASE_DIR, env

# A file, as `make run`'s db.sqlite3 is (not SQLite's in-memory database, which behaves
# differently across the live server's threads), with the connection options base.py gives it;
# not read from DATABASE_URL, which names the PostgreSQL of the first run. pytest-django
# creates it. E2E_SQLITE_PATH moves it (say, to a RAM disk); each checkout has its own.
_SQLITE_FILE = env.str("E2E_SQLITE_PATH", default=str(BASE_DIR / "test_e2e.sqlite3"))
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": _SQLITE_FILE,
        "TEST": {"NAME": _SQLITE_FILE},
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
}
# No broker: tasks run in the web process, as under `make run` (base.py's rule when
# CELERY_BROKER_URL is empty), and an import's progress lives in this process's memory.
CELERY_BROKER_URL = ""
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = True
IMPORT_PROGRESS_URL = ""
