import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Account
from assessments.models import AssessmentSettings
from assessments.selectors import (
    assessments_due,
    assessments_overdue,
    chart_data,
    perception_gaps_visible_to,
)
from assessments.services import assessment_start
from tests.assessments.conftest import submit_assessment
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)
GAP = {"claimed": "grow", "answer": 5, "revenue_growth_pct": "-40.0", "margin_pct": "10"}


def joined(account, day):
    Account.objects.filter(pk=account.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    )


def test_due_dates_follow_the_default_cadence_until_segments_exist(
    account_manager, own_account, django_assert_num_queries
):
    AssessmentSettings.objects.filter(pk=1).update(default_days=30)
    recent = AccountFactory(owner=account_manager, name="Recent Ltd")
    never = AccountFactory(owner=account_manager, name="Never Ltd")
    joined(never, dt.date(2026, 5, 1))
    submit_assessment(
        account=own_account, by=account_manager, scales={5: 3}, on=dt.date(2026, 3, 1)
    )
    submit_assessment(account=recent, by=account_manager, scales={5: 3}, on=dt.date(2026, 5, 20))
    assessment_start(account=recent, by=account_manager)  # a draft does not reset the clock
    with django_assert_num_queries(2):  # settings row, accounts (segments are subqueries)
        rows = assessments_due(user=account_manager, today=TODAY)
    by_name = {row.account.name: row for row in rows}
    assert by_name["Own Ltd"].due_on == dt.date(2026, 3, 31) and by_name["Own Ltd"].overdue
    assert by_name["Never Ltd"].due_on == dt.date(2026, 5, 1) and by_name["Never Ltd"].overdue
    assert by_name["Recent Ltd"].due_on == dt.date(2026, 6, 19)
    assert not by_name["Recent Ltd"].overdue
    assert [row.account.name for row in rows] == ["Own Ltd", "Never Ltd", "Recent Ltd"]


def test_overdue_lists_follow_the_visibility_rule(
    account_manager, sales_manager, stranger, own_account, foreign_account
):
    for account in (own_account, foreign_account):
        joined(account, dt.date(2026, 1, 1))
    assert [r.account for r in assessments_overdue(user=account_manager, today=TODAY)] == [
        own_account
    ]
    assert [r.account for r in assessments_overdue(user=sales_manager, today=TODAY)] == [
        own_account
    ]
    assert [r.account for r in assessments_overdue(user=stranger, today=TODAY)] == [foreign_account]


def test_gaps_show_for_the_latest_assessment_of_visible_accounts(
    account_manager, sales_manager, stranger, own_account, foreign_account
):
    submit_assessment(
        account=own_account, by=account_manager, scales={5: 3}, on=dt.date(2026, 1, 1), gap=GAP
    )
    latest = submit_assessment(
        account=own_account, by=account_manager, scales={5: 3}, on=dt.date(2026, 4, 1), gap=GAP
    )
    submit_assessment(account=foreign_account, by=stranger, scales={5: 3}, gap=GAP)
    assert perception_gaps_visible_to(user=sales_manager) == [latest]
    # Resolved in a later assessment: no longer listed.
    submit_assessment(
        account=own_account, by=account_manager, scales={5: 3}, on=dt.date(2026, 5, 1)
    )
    assert perception_gaps_visible_to(user=account_manager) == []


def test_chart_data_lines_up_answers_by_date(account_manager, own_account):
    first = submit_assessment(
        account=own_account, by=account_manager, scales={5: 2, 6: 3}, on=dt.date(2026, 1, 1)
    )
    second = submit_assessment(
        account=own_account, by=account_manager, scales={5: 4}, on=dt.date(2026, 4, 1)
    )
    # The second carried question 6 over from the first; clear it to see a gap in the line.
    second.answers.filter(question__number=6).update(scale=None)
    data = chart_data(assessments=[first, second])
    assert data["labels"] == ["01/01/2026", "01/04/2026"]  # the reader's date format
    assert data["score"] == [float(first.score), float(second.score)]
    assert data["questions"] == {"5": [2, 4], "6": [3, None]}
