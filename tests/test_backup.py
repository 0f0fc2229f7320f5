"""Backup and restore, as docs/operations.md ("Backup and restore") shows them: a seeded database
dumped with pg_dump and restored with pg_restore into a fresh one holds the same rows in every
table, and the portal's checks and migrations accept the restored database.

The test makes its own two databases on the server the tests use and drops them at the end, even
when it fails; the portal's commands run in subprocesses pointed at them by DATABASE_URL.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.apps import apps

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent
SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PROJECT_APPS = ("users", "accounts", "segmentation", "assessments")
# Tables that must hold rows after seed_demo and run_nightly, so that equal counts mean
# something: customers, orders, events, contacts, logins, the run's snapshots and segments,
# assessments and their answers, and the history that simple-history keeps.
MUST_HOLD_ROWS = (
    "accounts_account",
    "accounts_order",
    "accounts_accountevent",
    "accounts_contact",
    "users_user",
    "segmentation_risksnapshot",
    "segmentation_segmentassignment",
    "segmentation_nightlyrun",
    "assessments_assessment",
    "assessments_answer",
    "segmentation_historicalrisksettings",
)

SETTINGS_EDIT = "from segmentation.churn.models import RiskSettings; RiskSettings.load().save()"

pytestmark = pytest.mark.slow


def _tools() -> dict[str, str]:
    found = {name: shutil.which(name) for name in ("pg_dump", "pg_restore")}
    missing = [name for name, path in found.items() if path is None]
    if missing and IN_CI:
        pytest.fail(f"{', '.join(missing)} not found on PATH (CI=true)")
    if missing:
        pytest.skip(f"{', '.join(missing)} not found on PATH")
    return found  # type: ignore[return-value]


def _url(name: str) -> str:
    return f"postgres://{SERVER['user']}@{SERVER['host']}:{SERVER['port']}/{name}"


def _server(sql: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **SERVER) as conn:
        conn.execute(sql)


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """Two fresh databases, dropped afterwards whatever happened."""
    names = (f"kam_backup_src_{os.getpid()}", f"kam_backup_dst_{os.getpid()}")
    try:
        for name in names:
            _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _server(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL on 127.0.0.1:5432 refused: {exc}")
        pytest.skip(f"PostgreSQL on 127.0.0.1:5432 refused: {exc}")
    try:
        yield names
    finally:
        for name in names:
            _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(database: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "kam_portal.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": _url(database),
        "CELERY_BROKER_URL": "",  # the nightly run in process
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, f"{result.args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _row_counts(database: str) -> dict[str, int]:
    with psycopg.connect(dbname=database, **SERVER) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _sequence_values(database: str) -> dict[str, int | None]:
    """Where each id sequence stands: a restore that lost them would reuse ids."""
    with psycopg.connect(dbname=database, **SERVER) as conn:
        rows = conn.execute("SELECT sequencename, last_value FROM pg_sequences").fetchall()
    return dict(rows)


def _project_tables() -> set[str]:
    tables = set()
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    return tables


def _seed(database: str) -> None:
    _ok(_manage(database, "migrate", "--noinput", "--verbosity", "0"))
    _ok(_manage(database, "seed_demo", "--accounts", "30"))
    assert "complete" in _ok(_manage(database, "run_nightly"))
    # An admin's edit, so that a history table holds rows too.
    _ok(_manage(database, "shell", "-c", SETTINGS_EDIT))


def _dump_and_restore(source: str, target: str, dump: Path, tools: dict[str, str]) -> None:
    """The commands of docs/operations.md, word for word but for the names."""
    server = ["--host", SERVER["host"], "--port", str(SERVER["port"]), "--username", "postgres"]
    dump_cmd = [tools["pg_dump"], *server, "--format=custom", f"--file={dump}", source]
    _ok(subprocess.run(dump_cmd, capture_output=True, text=True, timeout=60))
    restore_cmd = [
        tools["pg_restore"], *server, "--clean", "--if-exists", "--no-owner",
        f"--dbname={target}", str(dump),
    ]  # fmt: skip
    _ok(subprocess.run(restore_cmd, capture_output=True, text=True, timeout=60))


def test_a_restored_database_holds_the_same_rows_and_passes_the_checks(databases, tmp_path):
    tools = _tools()
    source, target = databases
    _seed(source)
    _dump_and_restore(source, target, tmp_path / "kam.dump", tools)

    before, after = _row_counts(source), _row_counts(target)
    assert after == before
    assert _project_tables() <= set(after), "a table of the project's apps is missing"
    empty = [t for t in MUST_HOLD_ROWS if not after.get(t)]
    assert not empty, f"the seeded database left these tables empty: {empty}"
    assert _sequence_values(target) == _sequence_values(source)

    _ok(_manage(target, "check", "--database", "default"))
    _ok(_manage(target, "migrate", "--check"))
