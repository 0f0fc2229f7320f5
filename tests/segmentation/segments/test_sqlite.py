"""`make run` uses SQLite: the nightly run with segmentation, and the export, work there too
(in a subprocess, because the test settings are PostgreSQL)."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow


def manage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kam_portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "false",
        "CELERY_BROKER_URL": "",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_the_nightly_run_segments_and_exports_on_sqlite(tmp_path):
    manage(tmp_path, "migrate", "-v0")
    manage(tmp_path, "seed_demo", "--accounts", "120", "--end-date", "2026-10-31")
    run = manage(tmp_path, "run_nightly", "--as-of", "2026-10-31")
    assert "complete" in run.stdout
    rows = list(csv.DictReader(io.StringIO(manage(tmp_path, "export_portfolio", "-").stdout)))
    assert len(rows) == 120
    segmented = [r for r in rows if r["segment"]]
    assert {r["segment"] for r in segmented} == {"defend", "grow", "strategic"}
    assert all(r["segment_reasons"] for r in segmented)
    assert {r["in_programme"] for r in segmented} <= {"yes", "waitlisted"}
    assert {r["in_programme"] for r in rows if not r["segment"]} == {"no"}
