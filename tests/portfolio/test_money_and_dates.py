"""Amounts carry the currency sign and thousands separators, and dates read day first, on the
pages and in the sentences alike, in English and in Hebrew."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot
from tests.factories import AccountFactory, OrderFactory

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
DATE_INPUT = re.compile(r"<input[^>]*type=\"date\"[^>]*>")
VOLUME_DROP = {
    "code": "volume_drop",
    "evidence": {
        "drop_pct": 61,
        "recent_days": 90,
        "baseline_days": 270,
        "recent_revenue": 22874,
        "baseline_revenue": 58196,
    },
}
COMPLAINTS = {
    "code": "complaints",
    "evidence": {"count": 3, "lookback_days": 180, "last_on": "2026-10-02"},
}


@pytest.fixture
def account(account_manager):
    """An account with one order of 58,196.40 two days ago, scored with dated evidence."""
    account = AccountFactory(owner=account_manager, name="Acme Ltd")
    ordered_on = timezone.localdate() - dt.timedelta(days=2)
    OrderFactory(
        account=account,
        ordered_on=ordered_on,
        revenue=Decimal("58196.40"),
        gross_profit=Decimal("14549.10"),
    )
    run = NightlyRun.objects.create(as_of=dt.date(2026, 10, 31), status=RunStatus.COMPLETE)
    RiskSnapshot.objects.create(
        run=run,
        account=account,
        score=Decimal("72.5"),
        level="high",
        flags=[VOLUME_DROP, COMPLAINTS],
        revenue_12m=Decimal("58196.40"),
        gross_profit_12m=Decimal("14549.10"),
    )
    account.ordered_on = ordered_on
    return account


def page(client, user, language: str, url: str) -> str:
    user.language = language
    user.save()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.text


class TestTheAccountPage:
    def test_english_amounts_have_the_sign_before_and_separators(
        self, client, account_manager, account
    ):
        html = page(client, account_manager, "en", reverse("accounts:detail", args=[account.pk]))
        assert "₪58,196" in html  # key figures, value at stake
        assert "₪58,196.40" in html and "₪14,549.10" in html  # the order, to the agora
        assert "(₪22,874)" in html and "(₪58,196)" in html  # the evidence sentence
        assert "(58196)" not in html

    def test_hebrew_amounts_have_the_sign_after(self, client, account_manager, account):
        html = page(client, account_manager, "he", reverse("accounts:detail", args=[account.pk]))
        assert f"58,196{NBSP}₪" in html and f"(58,196{NBSP}₪)" in html
        assert "₪58,196" not in html

    @pytest.mark.parametrize("language", ["en", "he"])
    def test_dates_are_day_first_and_never_iso(self, client, account_manager, account, language):
        html = page(
            client, account_manager, language, reverse("accounts:detail", args=[account.pk])
        )
        assert account.ordered_on.strftime("%d/%m/%Y") in html  # the order, the key figures
        assert "02/10/2026" in html and "31/10/2026" in html  # the evidence, the run
        # A date input's value, min and max are ISO by the HTML standard (the browser shows
        # the reader's format): the log's and contacts' forms have some.
        body = DATE_INPUT.sub("", html.split("<body", 1)[1])
        assert not ISO_DATE.search(body)


@pytest.mark.parametrize(("language", "amount"), [("en", "₪58,196"), ("he", f"58,196{NBSP}₪")])
def test_the_account_list_and_the_at_risk_panel_show_the_sign(
    client, account_manager, account, language, amount
):
    html = page(client, account_manager, language, reverse("accounts:list"))
    assert amount in html  # the revenue column
    html = page(client, account_manager, language, reverse("home"))
    assert amount.replace("58,196", "14,549") in html  # gross profit at stake
