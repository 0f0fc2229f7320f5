"""Issue 10's loop in Chromium: am1 logs competitor activity on the account page, the nightly
run gives them a task carrying that evidence, they close it with an outcome; then they add a
revenue goal to the account's growth plan and see its progress, measured from the orders."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from playbooks.models import Playbook, Task
from tests.e2e.conftest import screenshot
from tests.factories import AccountFactory, OrderFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def account(account_manager):
    """A steady weekly buyer of ₪1,000 an order, and the shipped competitor playbook (a
    transactional test's flush removes the rows the data migration made)."""
    today = timezone.localdate()
    account = AccountFactory(owner=account_manager, name="Rival Watch Ltd")
    for week in range(1, 40):
        OrderFactory(
            account=account, ordered_on=today - dt.timedelta(weeks=week), revenue=Decimal(1000)
        )
    Playbook.objects.get_or_create(
        trigger="flag_raised",
        trigger_flag="competitor",
        defaults={"title_en": "Meet the customer about the competitor", "due_in_days": 14},
    )
    return account


def test_competitor_activity_becomes_a_task_that_is_closed_with_an_outcome(
    page: Page, problems, sign_in, account_manager, account
):
    sign_in(account_manager)
    page.goto(f"/accounts/{account.pk}/", wait_until="networkidle")
    log = page.get_by_test_id("account-log")
    with page.expect_response(lambda r: "kind=competitor" in r.url):
        log.locator("#log-kind").select_option("competitor")
    log.locator("#log-competitor").fill("Rival Metals")
    log.locator("#log-offer").fill("12% off for a year")
    log.locator("#log-text").fill("Heard it from the buyer")
    log.get_by_role("button", name="Log it").click()
    expect(page.get_by_test_id("log-notice")).to_have_text("Logged.")

    call_command("run_nightly", as_of=timezone.localdate().isoformat(), verbosity=0)
    task = Task.objects.get(account=account)
    assert task.evidence["trigger"] == "flag_raised"
    assert task.evidence["flag"]["code"] == "competitor"

    page.goto("/tasks/")
    row = page.get_by_test_id("task-row").filter(has_text="Rival Watch Ltd")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Meet the customer about the competitor")
    row.get_by_role("link", name="Meet the customer about the competitor").click()
    expect(page.get_by_test_id("task-evidence")).to_contain_text("ompetitor")
    screenshot(page, "task-detail")

    form = page.get_by_test_id("close-form")
    form.get_by_label("Kept the customer").check()
    form.locator("#id_note").fill("Matched their offer on the main line")
    form.get_by_role("button", name="Close").click()
    expect(page.get_by_role("alert")).to_have_text("Task closed: Kept the customer.")
    page.goto(f"/tasks/{task.pk}/")
    expect(page.get_by_test_id("task-outcome")).to_contain_text("Kept the customer")
    expect(page.get_by_test_id("task-outcome")).to_contain_text("Matched their offer")
    task.refresh_from_db()
    assert (task.status, task.outcome) == ("done", "kept")
    assert problems == []


def test_a_revenue_goal_shows_its_progress_from_the_orders(
    page: Page, problems, sign_in, account_manager, account
):
    sign_in(account_manager)
    year = timezone.localdate().year
    page.goto(f"/accounts/{account.pk}/plan/goals/new/", wait_until="networkidle")
    form = page.get_by_test_id("goal-form")
    form.locator("#id_kind").select_option("revenue")
    form.locator("#id_target").fill("100000")
    form.locator("#id_year").fill(str(year))
    form.get_by_role("button", name="Save").click()

    progress = page.get_by_test_id("goal-progress").first
    expect(progress).to_have_attribute("data-state", "behind")
    so_far = sum(
        o.revenue for o in account.orders.filter(ordered_on__year=year)
    )  # this year's weekly orders, up to the last complete day
    expect(progress).to_contain_text(f"₪{so_far:,.0f} of ₪100,000")
    screenshot(page, "growth-plan-goal")
    assert problems == []
