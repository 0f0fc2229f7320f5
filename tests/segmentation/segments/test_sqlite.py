"""`make run` uses SQLite: the nightly run with segmentation, and the export, work there too
(in a subprocess, because the test settings are PostgreSQL)."""

import csv
import io
import subprocess
from pathlib import Path

import pytest

from tests.support import manage_on_sqlite

pytestmark = pytest.mark.slow


def manage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    result = manage_on_sqlite(tmp_path, *args)
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
