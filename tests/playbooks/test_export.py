"""/tasks/export/: the documented CSV columns with machine values, XLSX with the labels of the
reader's language, text neutralised in both. Which rows: tests/access/test_task_exports.py."""

import datetime as dt

import pytest
from django.utils import timezone

from playbooks.models import Task
from playbooks.services import task_close
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot
from tests.playbooks.conftest import AS_OF, CALL_THE_BUYER, playbook
from tests.spreadsheets import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

HEADER = [
    "task_id", "due_on", "account_external_id", "account_name", "title", "trigger", "priority",
    "evidence", "value_at_stake", "assignee_username", "assignee_name", "fired_on",
    "cleared_on", "status", "outcome", "note", "closed_on", "closed_by",
]  # fmt: skip
EVIDENCE = {"trigger": "level_high", "score": "81.0", "flags": []}


@pytest.fixture
def closed_task(own_account, account_manager) -> Task:
    own_account.name = "=Pipes"
    own_account.save()
    run = NightlyRun.objects.create(as_of=AS_OF, status=RunStatus.COMPLETE)
    RiskSnapshot.objects.create(
        run=run, account=own_account, score=81, level="high", revenue_12m=0,
        gross_profit_12m="1234.50",
    )  # fmt: skip
    task = Task.objects.create(
        playbook=playbook(CALL_THE_BUYER), account=own_account, assignee=account_manager,
        fired_on=AS_OF, due_on=AS_OF + dt.timedelta(days=7), evidence=EVIDENCE,
    )  # fmt: skip
    return task_close(task=task, outcome="kept", note="+Ordered again", by=account_manager)


def exported(client, fmt: str) -> list[list[str]]:
    response = client.get("/tasks/export/", {"format": fmt, "status": "closed"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return csv_rows(content) if fmt == "csv" else xlsx_rows(content)


def test_the_csv_gives_codes_iso_dates_and_plain_decimals(client, account_manager, closed_task):
    account_manager.language = "en"
    account_manager.save()
    client.force_login(account_manager)
    header, row = exported(client, "csv")
    assert header == HEADER
    values = dict(zip(header, row, strict=True))
    assert values["task_id"] == str(closed_task.pk)
    assert (values["due_on"], values["fired_on"]) == ("2026-11-07", "2026-10-31")
    assert values["account_name"] == "'=Pipes"  # a formula never runs
    assert (values["title"], values["trigger"], values["priority"]) == (
        CALL_THE_BUYER, "flag_raised", "normal",
    )  # fmt: skip
    assert values["evidence"] == "Churn risk is high (score 81.0)."
    assert values["value_at_stake"] == "1234.50"
    assert (values["assignee_username"], values["status"], values["outcome"]) == (
        "am1", "done", "kept",
    )  # fmt: skip
    assert values["note"] == "'+Ordered again"
    assert values["closed_on"] == timezone.localdate().isoformat()
    assert (values["closed_by"], values["cleared_on"]) == ("am1", "")


def test_the_xlsx_speaks_the_readers_language(client, account_manager, closed_task):
    account_manager.language = "he"
    account_manager.save()
    client.force_login(account_manager)
    header, row = exported(client, "xlsx")
    assert header[:2] == ["מספר משימה", "לביצוע עד"]
    values = dict(zip(HEADER, row, strict=False))
    assert values["outcome"] == "הלקוח נשמר"
    assert values["value_at_stake"] == "1234.5"  # a number, formatted by the sheet
