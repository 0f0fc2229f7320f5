"""The risk-settings page's reliability chart in Chromium, under the strict CSP, in both
languages: drawn from the page's json_script by static/js/reliability.js."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Order
from tests.e2e.conftest import screenshot
from tests.factories import AccountFactory
from users.models import Language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CANVAS = "canvas[data-chart='reliability-data']"


@pytest.fixture
def fitted(account_manager):
    """30 weekly-to-monthly buyers, 10 of whom stopped before the look-back date: enough lost
    and kept customers for the nightly comparison, so the run stores deciles to draw."""
    as_of = timezone.localdate() - dt.timedelta(days=1)
    start, lookback = as_of - dt.timedelta(days=600), as_of - dt.timedelta(days=90)
    orders = []
    for i in range(30):
        account = AccountFactory(owner=account_manager)
        last = lookback - dt.timedelta(days=10 + 5 * i) if i % 3 == 0 else as_of
        every = 7 + 7 * (i % 4)
        days = range(0, (last - start).days + 1, every)
        orders += [
            Order(account=account, external_ref=f"E{i:02d}{d:04d}", revenue=Decimal(1000),
                  gross_profit=Decimal(250), ordered_on=start + dt.timedelta(days=d))
            for d in days
        ]  # fmt: skip
    Order.objects.bulk_create(orders)
    call_command("run_nightly", as_of=as_of.isoformat(), verbosity=0)


@pytest.mark.parametrize("language", [Language.ENGLISH, Language.HEBREW])
def test_the_reliability_chart_is_drawn(
    page: Page, problems, sign_in, admin_user, fitted, language
):
    admin_user.language = language
    admin_user.save(update_fields=["language"])
    sign_in(admin_user)
    page.goto(reverse("risk:settings"), wait_until="networkidle")
    expect(page.get_by_test_id("model-version")).to_be_visible()
    page.wait_for_function(
        f"() => window.Chart && Chart.getChart(document.querySelector({CANVAS!r}))"
    )
    screenshot(page, f"risk-settings-reliability-{language}")
    assert problems == []
