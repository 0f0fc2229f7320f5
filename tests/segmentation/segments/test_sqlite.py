"""`make run` uses SQLite: the nightly run with segmentation, and the export, work there too
(in a subprocess, because the test settings are PostgreSQL)."""

import csv
import datetime as dt
import io
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Sum

from segmentation.models import RiskModelVersion, RiskSnapshot, SegmentAssignment
from segmentation.pipeline import nightly_run_start
from tests.support import manage_on_sqlite, restore_question_template

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


VERSION_SCRIPT = """
import json
from django.db.models import Sum
from segmentation.models import RiskModelVersion, RiskSnapshot, SegmentAssignment
v = RiskModelVersion.objects.get()
print(json.dumps({
    "customers": v.customers, "lost": v.lost, "scorer": v.scorer, "reason": v.reason,
    "repeat_buying": v.repeat_buying, "learned_auc": v.learned_auc, "hand_auc": v.hand_auc,
    "probability": str(RiskSnapshot.objects.aggregate(p=Sum("probability"))["p"]),
    "value": str(SegmentAssignment.objects.aggregate(v=Sum("programme_value"))["v"]),
}))
"""


def version_figures() -> dict:
    v = RiskModelVersion.objects.get()
    return {
        "customers": v.customers, "lost": v.lost, "scorer": v.scorer, "reason": v.reason,
        "repeat_buying": v.repeat_buying, "learned_auc": v.learned_auc, "hand_auc": v.hand_auc,
        "probability": str(RiskSnapshot.objects.aggregate(p=Sum("probability"))["p"]),
        "value": str(SegmentAssignment.objects.aggregate(v=Sum("programme_value"))["v"]),
    }  # fmt: skip


@pytest.mark.django_db
def test_the_look_back_and_the_fit_give_the_same_model_on_sqlite_and_postgresql(tmp_path):
    """The same demo portfolio on both databases: the look-back SQL reads the same customers
    and fates, and numpy, scipy and scikit-learn fit the same model from them."""
    seed = ("seed_demo", "--accounts", "150", "--end-date", "2026-10-31")
    manage(tmp_path, "migrate", "-v0")
    manage(tmp_path, *seed)
    run = manage(tmp_path, "run_nightly", "--as-of", "2026-10-31")
    assert "learned from 1" in run.stdout  # the command says what the run learned from
    shell = manage(tmp_path, "shell", "--no-imports", "-c", VERSION_SCRIPT).stdout
    on_sqlite = json.loads(shell.strip().splitlines()[-1])
    restore_question_template()  # the demo's assessments need it; a flush may have removed it
    call_command(*seed, stdout=io.StringIO())
    nightly_run_start(as_of=dt.date(2026, 10, 31))
    on_postgresql = version_figures()
    assert on_sqlite["customers"] == on_postgresql["customers"] > 100
    assert (on_sqlite["lost"], on_sqlite["scorer"], on_sqlite["reason"]) == (
        on_postgresql["lost"], on_postgresql["scorer"], on_postgresql["reason"],
    )  # fmt: skip
    for key in ("r", "alpha", "a", "b"):
        assert on_sqlite["repeat_buying"][key] == pytest.approx(
            on_postgresql["repeat_buying"][key], rel=1e-6
        )
    for key in ("learned_auc", "hand_auc"):
        assert on_sqlite[key] == pytest.approx(on_postgresql[key], abs=1e-9)
    assert Decimal(on_sqlite["probability"]) == Decimal(on_postgresql["probability"])
    assert Decimal(on_sqlite["value"]) == Decimal(on_postgresql["value"])
