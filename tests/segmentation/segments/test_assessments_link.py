"""Assessments read segmentation: cadence by segment, programme = admitted accounts, question 1's
strategic count, the poor-assessment defend rule, and an overdue list cut in SQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Account
from assessments.evidence import account_segments, strategic_account_count
from assessments.models import AssessmentSettings
from assessments.selectors import (
    assessments_due,
    assessments_overdue,
    assessments_overdue_count,
    programme_accounts,
)
from segmentation.models import ManagerCapacity, SegmentAssignment, SegmentPin
from segmentation.pipeline import nightly_run_start
from tests.assessments.conftest import (  # the autouse fixture restores the questions
    questions_from_the_data_migration,  # noqa: F401
    submit_assessment,
)
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)
AS_OF = TODAY - dt.timedelta(days=1)


def pin(account, segment):
    SegmentPin.objects.create(account=account, segment=segment, reason="x", expires_on=TODAY)


@pytest.fixture
def segmented(account_manager):
    """am1's three accounts pinned strategic, defend and grow, one unsegmented; capacity 2."""
    accounts = {
        name: AccountFactory(owner=account_manager, name=name)
        for name in ("Strat", "Def", "Grow", "None")
    }
    for name, segment in (("Strat", "strategic"), ("Def", "defend"), ("Grow", "grow")):
        pin(accounts[name], segment)
    ManagerCapacity.objects.create(user=account_manager, capacity=2)
    nightly_run_start(as_of=AS_OF)
    return accounts


def test_before_any_run_every_visible_account_is_in_the_programme(account_manager, own_account):
    assert list(programme_accounts(user=account_manager)) == [own_account]
    assert strategic_account_count(user=account_manager) is None
    assert account_segments(account_ids=[own_account.pk]) == {}


def test_the_programme_is_the_admitted_accounts(account_manager, segmented):
    # Precedence defend > strategic > grow and capacity 2: Def and Strat are in, Grow waits.
    names = sorted(a.name for a in programme_accounts(user=account_manager))
    assert names == ["Def", "Strat"]


def test_segments_and_the_strategic_count_come_from_the_latest_run(account_manager, segmented):
    ids = [a.pk for a in segmented.values()]
    assert account_segments(account_ids=ids) == {
        segmented["Strat"].pk: "strategic",
        segmented["Def"].pk: "defend",
        segmented["Grow"].pk: "grow",
        segmented["None"].pk: None,
    }
    assert strategic_account_count(user=account_manager) == 1


def test_cadence_follows_the_segment(account_manager, segmented):
    AssessmentSettings.objects.filter(pk=1).update(strategic_days=30, defend_days=10)
    ManagerCapacity.objects.filter(user=account_manager).update(capacity=10)
    nightly_run_start(as_of=TODAY)
    for name in ("Strat", "Def", "Grow"):
        submit_assessment(
            account=segmented[name], by=account_manager, scales={5: 3}, on=dt.date(2026, 5, 1)
        )
    rows = {r.account.name: r for r in assessments_due(user=account_manager, today=TODAY)}
    assert rows["Strat"].due_on == dt.date(2026, 5, 31) and rows["Strat"].overdue
    assert rows["Def"].due_on == dt.date(2026, 5, 11) and rows["Def"].overdue
    assert rows["Grow"].due_on == dt.date(2026, 8, 29) and not rows["Grow"].overdue
    assert "None" not in rows  # no segment: not a candidate, not in the programme
    overdue = assessments_overdue(user=account_manager, today=TODAY)
    assert [r.account.name for r in overdue] == ["Def", "Strat"]  # most overdue first


def test_the_overdue_list_is_cut_in_sql(account_manager):
    for i in range(30):
        AccountFactory(owner=account_manager, name=f"A{i:02}")
    Account.objects.update(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    with CaptureQueriesContext(connection) as captured:
        rows = assessments_overdue(user=account_manager, today=TODAY, limit=5)
        total = assessments_overdue_count(user=account_manager, today=TODAY)
    assert (len(rows), total) == (5, 30)
    assert len(captured) == 4  # settings and rows, settings and count
    assert "LIMIT 5" in captured[1]["sql"]


def test_a_poor_assessment_puts_a_customer_in_defend(account_manager, own_account):
    submit_assessment(account=own_account, by=account_manager, scales={5: 1, 6: 1}, on=AS_OF)
    nightly_run_start(as_of=AS_OF)
    assignment = SegmentAssignment.objects.get(account=own_account)
    assert assignment.segment == "defend"
    [reason] = [r for r in assignment.reasons if r["code"] == "poor_relationship"]
    assert Decimal(str(reason["evidence"]["score"])) <= 40  # the churn engine's threshold
