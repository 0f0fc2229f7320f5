"""Helpers shared by test packages that do not share a conftest."""

import datetime as dt
import importlib
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from django.apps import apps

from assessments.models import Assessment, AssessmentSettings, AssessmentStatus, TemplateVersion

ROOT = Path(__file__).resolve().parents[1]


def manage_on_sqlite(tmp_path: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run manage.py in a subprocess against a SQLite file in tmp_path (`make run`'s database;
    the test settings are PostgreSQL), without a broker so tasks run in-process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kam_portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "false",
        "CELERY_BROKER_URL": "",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def restore_question_template() -> None:
    """Version 1 of the questions comes from a data migration; a transactional test (the live
    server's included) flushes the tables, so put it back the same way when it is missing."""
    if not (TemplateVersion.objects.exists() and AssessmentSettings.objects.exists()):
        migration = importlib.import_module("assessments.migrations.0002_first_template_version")
        migration.create_version_1(apps, None)


def stored_assessment(
    account, score: str | None, submitted_at: dt.datetime | None, status=AssessmentStatus.SUBMITTED
) -> Assessment:
    """An assessment row with a given score, as the engines read it (no answers, no form)."""
    version = TemplateVersion.objects.order_by("number").first()
    return Assessment.objects.create(
        account=account,
        template_version=version or TemplateVersion.objects.create(number=1),
        status=status,
        score=None if score is None else Decimal(score),
        submitted_at=submitted_at,
    )
