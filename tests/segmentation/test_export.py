"""export_portfolio: its columns, the latest complete run, and the visibility rule."""

import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot, SegmentPin
from segmentation.pipeline import nightly_run_start
from tests.factories import AccountFactory, OrderFactory

HEADER = (
    "external_id,name,owner_username,segment,"
    "churn_risk_score,churn_risk_level,flags,"
    "revenue_12m,gross_profit_12m,segment_reasons,in_programme,"
    "churn_probability,expected_loss,programme_value"
)


def snap(run, account, score, level, codes=()):
    RiskSnapshot.objects.create(
        run=run,
        account=account,
        score=score,
        probability=Decimal(score) / 100,
        expected_loss=(Decimal(score) / 100 * 300).quantize(Decimal("0.01")),
        level=level,
        flags=[{"code": code, "evidence": {}} for code in codes],
        revenue_12m="1200.50",
        gross_profit_12m="300.00",
    )


def export(tmp_path, *args):
    path = tmp_path / "portfolio.csv"
    call_command("export_portfolio", str(path), *args)
    text = path.read_text(encoding="utf-8")
    return text.splitlines()[0], list(csv.DictReader(text.splitlines()))


@pytest.fixture
def runs(own_account, foreign_account):
    older = NightlyRun.objects.create(as_of=dt.date(2026, 10, 30), status=RunStatus.COMPLETE)
    snap(older, own_account, "10.0", "low")
    latest = NightlyRun.objects.create(as_of=dt.date(2026, 10, 31), status=RunStatus.COMPLETE)
    snap(latest, own_account, "72.5", "high", ["overdue", "competitor"])
    # A newer run still running is not what readers see.
    running = NightlyRun.objects.create(as_of=dt.date(2026, 11, 1))
    snap(running, own_account, "1.0", "low")
    return latest


def test_the_columns_and_the_latest_complete_run(tmp_path, runs, own_account, foreign_account):
    header, rows = export(tmp_path)
    assert header == HEADER
    by_id = {row["external_id"]: row for row in rows}
    assert by_id[own_account.external_id] == {
        "external_id": own_account.external_id,
        "name": "Own Ltd",
        "owner_username": "am1",
        "segment": "",
        "segment_reasons": "",
        "in_programme": "no",
        "churn_risk_score": "72.5",
        "churn_risk_level": "high",
        "flags": "overdue;competitor",
        "revenue_12m": "1200.50",
        "gross_profit_12m": "300.00",
        "churn_probability": "0.725",
        "expected_loss": "217.50",
        "programme_value": "",  # outside any segment
    }
    # Not scored in that run: listed with blank risk columns.
    assert by_id[foreign_account.external_id]["churn_risk_score"] == ""


def test_a_user_exports_only_what_they_may_see(tmp_path, runs, own_account, account_manager):
    _, rows = export(tmp_path, "--user", "am1")
    assert [row["external_id"] for row in rows] == [own_account.external_id]
    _, rows = export(tmp_path, "--user", "am3")
    assert own_account.external_id not in [row["external_id"] for row in rows]


def test_a_sales_manager_exports_the_team(tmp_path, runs, own_account, sales_manager):
    _, rows = export(tmp_path, "--user", "manager")
    assert [row["external_id"] for row in rows] == [own_account.external_id]


def test_an_unknown_user_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        export(tmp_path, "--user", "nobody")


def test_before_any_run_the_risk_columns_are_blank(tmp_path, own_account):
    AccountFactory()
    _, rows = export(tmp_path)
    assert len(rows) == 2
    assert {row["churn_risk_level"] for row in rows} == {""}


def test_a_file_that_cannot_be_written_is_reported(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_portfolio", str(tmp_path / "missing" / "out.csv"))


def test_after_a_nightly_run_the_value_columns_are_the_runs(tmp_path, own_account, admin_user):
    """The probability and expected loss of the snapshot, and the programme value the
    admission ranked by: the pinned strategic account's gross profit; blank outside a segment."""
    as_of = dt.date(2026, 10, 31)
    other = AccountFactory()
    for account, weeks in ((own_account, 10), (other, 2)):  # the other: no segment
        for week in range(weeks):
            OrderFactory(account=account, ordered_on=as_of - dt.timedelta(weeks=week))
    SegmentPin.objects.create(
        account=own_account, segment="strategic", reason="x", expires_on=as_of
    )
    nightly_run_start(as_of=as_of)
    by_id = {row["external_id"]: row for row in export(tmp_path)[1]}
    own, snapshot = by_id[own_account.external_id], RiskSnapshot.objects.get(account=own_account)
    assert (own["segment"], own["programme_value"]) == ("strategic", "2500.00")  # 10 x 250
    assert own["churn_probability"] == str(snapshot.probability)
    assert own["expected_loss"] == str(snapshot.expected_loss)
    assert len(own["churn_probability"].split(".")[1]) == 3
    assert (by_id[other.external_id]["segment"], by_id[other.external_id]["programme_value"]) == (
        "",
        "",
    )
