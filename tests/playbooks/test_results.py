"""Did it work, on a set whose answer is known: per playbook the tasks created, open, done and
dropped with their outcomes, and for the churn playbooks how many customers ordered again in
the 60 days after their task was done, against those whose task was dropped or left open."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from playbooks.models import Task
from playbooks.results import Reorder, Share, playbook_results
from tests.factories import AccountFactory, OrderFactory
from tests.playbooks.conftest import CALL_THE_BUYER, FILL_ASSESSMENT, playbook

TODAY = dt.date(2026, 11, 29)
AUG_1 = dt.date(2026, 8, 1)


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def task(owner, name, *, status="open", outcome="", closed=None, fired=dt.date(2026, 7, 1)):
    account = AccountFactory(owner=owner, name=name)
    Task.objects.create(
        playbook=playbook(CALL_THE_BUYER),
        account=account,
        assignee=owner,
        fired_on=fired,
        due_on=fired + dt.timedelta(days=5),
        status=status,
        outcome=outcome,
        closed_at=noon(closed) if closed else None,
    )
    return account


@pytest.fixture
def known(account_manager):
    """Six tasks of "Call the buyer", each with a known answer."""
    am = account_manager
    a = task(am, "A", status="done", outcome="reached", closed=AUG_1)
    OrderFactory(account=a, ordered_on=dt.date(2026, 8, 20))  # 19 days after: ordered again
    b = task(am, "B", status="done", outcome="kept", closed=AUG_1)
    OrderFactory(account=b, ordered_on=dt.date(2026, 10, 15))  # 75 days after: too late
    f = task(am, "F", status="done", outcome="lost", closed=AUG_1)
    OrderFactory(account=f, ordered_on=AUG_1)  # the closing day itself is not "after"
    c = task(am, "C", status="dropped", outcome="not_relevant", closed=AUG_1)
    OrderFactory(account=c, ordered_on=dt.date(2026, 9, 30))  # day 60: ordered again
    task(am, "D")  # left open since July, no order
    task(am, "E", status="done", outcome="kept", closed=dt.date(2026, 11, 1))  # too recent


def result(user, title):
    rows = {r.playbook.title_en: r for r in playbook_results(user=user, today=TODAY)}
    return rows[title]


def test_the_counts_and_outcomes(known, account_manager):
    call = result(account_manager, CALL_THE_BUYER)
    assert (call.created, call.open, call.done, call.dropped) == (6, 1, 4, 1)
    assert call.outcomes == {
        "Reached the customer": 1,
        "Kept the customer": 2,
        "Lost the customer": 1,
        "Not relevant": 1,
    }


def test_who_ordered_again_done_against_dropped_or_open(known, account_manager):
    call = result(account_manager, CALL_THE_BUYER)
    assert call.reorder == Reorder(done=Share(1, 3), not_done=Share(1, 2), too_recent=1)
    assert (call.reorder.done.pct, call.reorder.not_done.pct) == (33, 50)


def test_a_playbook_not_about_churn_has_no_reorder_share(known, account_manager):
    fill = result(account_manager, FILL_ASSESSMENT)
    assert (fill.created, fill.reorder) == (0, None)


def test_each_user_counts_the_tasks_on_the_accounts_they_see(
    known, sales_manager, stranger, admin_user
):
    assert result(sales_manager, CALL_THE_BUYER).created == 6  # their team's
    assert result(stranger, CALL_THE_BUYER).created == 0
    task(stranger, "Foreign")
    assert result(admin_user, CALL_THE_BUYER).created == 7
    assert result(sales_manager, CALL_THE_BUYER).created == 6


def test_the_page_shows_them_to_sales_managers_and_admins(client, known, sales_manager):
    client.force_login(sales_manager)
    page = client.get(reverse("tasks:results")).content.decode()
    assert "Done: 33% (1 of 3)" in page and "Dropped or open: 50% (1 of 2)" in page
    assert "1 task too recent to tell" in page


def test_account_managers_do_not_see_them(client, account_manager):
    client.force_login(account_manager)
    assert client.get(reverse("tasks:results")).status_code == 403
