"""Settings come from the environment: each case runs in a subprocess with a controlled one.

ENV_FILE=/dev/null keeps a developer's .env out of every case, so the tests answer the same on
any machine.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
KEY = "x" * 32 + "Y9-z" * 8  # 64 characters, varied enough for the deploy check
PROBE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "from kam_portal.celery import app; "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'eager': app.conf.task_always_eager, 'broker': app.conf.broker_url}))"
)


def run(*args: str, settings: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": settings,
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def probe(settings: str, **env: str) -> dict:
    result = run("-c", PROBE, settings=settings, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_refuses_to_start_without_a_secret_key():
    result = run("manage.py", "check", settings="kam_portal.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run(
        "manage.py", "check", settings="kam_portal.settings.production", SECRET_KEY="short"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_passes_the_deploy_check():
    assert len(KEY) == 64
    result = run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings="kam_portal.settings.production",
        SECRET_KEY=KEY,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kam_portal",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dev_runs_on_sqlite_with_eager_tasks_when_nothing_is_configured():
    assert probe("kam_portal.settings.dev") == {
        "engine": "django.db.backends.sqlite3",
        "eager": True,
        "broker": "",
    }


def test_the_browser_tests_second_run_is_on_make_runs_configuration():
    """test_sqlite.py: SQLite and eager tasks with no broker, as dev.py gives, even where the
    environment names the first run's PostgreSQL and Redis."""
    found = probe(
        "kam_portal.settings.test_sqlite",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kam_portal",
        TEST_CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
    )
    assert found == probe("kam_portal.settings.dev")


def test_dev_uses_postgresql_and_redis_when_they_are_configured():
    found = probe(
        "kam_portal.settings.dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kam_portal",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert found == {
        "engine": "django.db.backends.postgresql",
        "eager": False,
        "broker": "redis://127.0.0.1:6379/0",
    }


@pytest.mark.parametrize(
    ("env", "engine"),
    [
        ({}, "django.db.backends.postgresql"),
        ({"DATABASE_URL": "sqlite:////tmp/kam-real-env.sqlite3"}, "django.db.backends.sqlite3"),
    ],
)
def test_a_dotenv_file_is_read_but_real_variables_win(tmp_path, env, engine):
    dotenv = tmp_path / ".env"
    dotenv.write_text("DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_portal\n")
    found = probe("kam_portal.settings.dev", **{**env, "ENV_FILE": str(dotenv)})
    assert found["engine"] == engine


@pytest.mark.django_db
def test_the_portals_postgresql_connections_run_without_jit():
    # JIT compilation added half a second to a sorted account list; batch queries opt back in.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
