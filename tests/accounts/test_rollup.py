"""The monthly rollup: each customer's orders summed per month, rebuilt where orders are
written (the import, the demo seeder, the command), so no page sums orders."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import AccountMonth
from accounts.rollup import account_months_refresh
from tests.accounts.import_support import ORDERS_HEADER, run, write_csv
from tests.factories import AccountFactory, OrderFactory

pytestmark = pytest.mark.django_db


def months_of(account) -> dict[dt.date, tuple]:
    rows = AccountMonth.objects.filter(account=account)
    return {r.month: (r.revenue, r.gross_profit, r.orders) for r in rows}


def test_orders_are_summed_per_calendar_month_returns_included():
    account = AccountFactory()
    OrderFactory(account=account, ordered_on=dt.date(2026, 3, 1), revenue=100, gross_profit=30)
    OrderFactory(account=account, ordered_on=dt.date(2026, 3, 31), revenue=-40, gross_profit=None)
    OrderFactory(account=account, ordered_on=dt.date(2026, 4, 1), revenue=7, gross_profit=2)
    account_months_refresh()
    assert months_of(account) == {
        dt.date(2026, 3, 1): (Decimal("60.00"), Decimal("30.00"), 2),
        dt.date(2026, 4, 1): (Decimal("7.00"), Decimal("2.00"), 1),
    }


def test_refreshing_some_customers_leaves_the_others_alone():
    one, two = AccountFactory(), AccountFactory()
    for account in (one, two):
        OrderFactory(account=account, ordered_on=dt.date(2026, 5, 5), revenue=10)
    account_months_refresh()
    OrderFactory(account=one, ordered_on=dt.date(2026, 5, 6), revenue=5)
    OrderFactory(account=two, ordered_on=dt.date(2026, 5, 6), revenue=5)
    account_months_refresh(account_ids=[one.pk])
    assert months_of(one)[dt.date(2026, 5, 1)][0] == Decimal("15.00")
    assert months_of(two)[dt.date(2026, 5, 1)][0] == Decimal("10.00")  # until its refresh


def test_an_import_rebuilds_the_months_of_the_customers_it_touches(tmp_path):
    c1, c2 = AccountFactory(external_id="C1"), AccountFactory(external_id="C2")
    lines = [ORDERS_HEADER, "O1,C1,2026-01-15,,100,10,,", "O2,C1,2026-02-01,,50,5,,"]
    assert run("import_orders", write_csv(tmp_path, lines)).error is None
    assert months_of(c1) == {
        dt.date(2026, 1, 1): (Decimal("100.00"), Decimal("10.00"), 1),
        dt.date(2026, 2, 1): (Decimal("50.00"), Decimal("5.00"), 1),
    }
    # O2 moves to C2: C1 loses February, C2 gains it.
    moved = [ORDERS_HEADER, "O2,C2,2026-02-01,,50,5,,"]
    assert run("import_orders", write_csv(tmp_path, moved, name="moved.csv")).error is None
    assert list(months_of(c1)) == [dt.date(2026, 1, 1)]
    assert months_of(c2) == {dt.date(2026, 2, 1): (Decimal("50.00"), Decimal("5.00"), 1)}


def test_a_refused_import_leaves_the_rollup_as_it_was(tmp_path):
    c1 = AccountFactory(external_id="C1")
    lines = [ORDERS_HEADER, "O1,C1,2026-01-15,,100,10,,", "O2,NOBODY,2026-02-01,,50,5,,"]
    assert run("import_orders", write_csv(tmp_path, lines)).error is not None
    assert months_of(c1) == {}


def test_the_command_rebuilds_everything(capsys):
    account = AccountFactory()
    OrderFactory(account=account, ordered_on=dt.date(2026, 6, 2), revenue=3)
    call_command("refresh_account_months")
    assert months_of(account) == {dt.date(2026, 6, 1): (Decimal("3.00"), Decimal("250.00"), 1)}
    assert "1 customer-months rebuilt." in capsys.readouterr().out


def test_an_order_edited_in_the_django_admin_keeps_the_rollup_current(client, admin_user):
    from django.urls import reverse

    one, two = AccountFactory(), AccountFactory()
    order = OrderFactory(account=one, ordered_on=dt.date(2026, 6, 2), revenue=3)
    account_months_refresh()
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    url = reverse("admin:accounts_order_change", args=[order.pk])
    data = {
        "external_ref": order.external_ref, "account": two.pk, "ordered_on": "2026-07-09",
        "channel": "other", "revenue": "5", "gross_profit": "1", "product_category": "",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert months_of(one) == {}
    assert months_of(two) == {dt.date(2026, 7, 1): (Decimal("5.00"), Decimal("1.00"), 1)}
    refused = client.post(url, data | {"ordered_on": "1900-01-01"})
    assert "outside the accepted dates" in refused.text
