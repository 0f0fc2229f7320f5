"""Orders: an account's orders in cursor pages, and the bulk upsert, checked exactly as the
orders CSV import checks its rows, all or nothing, idempotent on external_ref."""

import csv
import datetime as dt
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from accounts.importers.orders import ORDERS
from accounts.importers.pipeline import run_import
from accounts.models import AccountMonth, Order
from tests.factories import AccountFactory, OrderFactory

pytestmark = pytest.mark.django_db

BULK = "/api/v1/orders/bulk/"
FIELDS = [c.name for c in ORDERS.columns]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def order(ref: str, customer: str, **values: object) -> dict[str, object]:
    return {
        "external_ref": ref, "customer_external_id": customer, "ordered_on": "2026-01-15",
        "channel": "phone", "revenue": "100.00", "gross_profit": "25.00",
        "price_compared": False, "product_category": "Pipes", **values,
    }  # fmt: skip


def post(client, orders: list, **query: str):
    url = BULK + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(url, {"orders": orders}, content_type="application/json")


def test_an_accounts_orders_come_newest_first_in_cursor_pages(client, account_manager):
    account = AccountFactory(owner=account_manager)
    for day in range(1, 6):
        OrderFactory(account=account, ordered_on=dt.date(2026, 1, day))
    client.force_login(account_manager)
    url = f"/api/v1/accounts/{account.pk}/orders/"
    first = client.get(url, {"page_size": 2}).json()
    assert [o["ordered_on"] for o in first["results"]] == ["2026-01-05", "2026-01-04"]
    second = client.get(first["next"]).json()
    assert [o["ordered_on"] for o in second["results"]] == ["2026-01-03", "2026-01-02"]
    assert len(client.get(url, {"page_size": 10**9}).json()["results"]) == 5  # capped, not 500
    narrowed = client.get(url, {"ordered_on_after": "2026-01-04"}).json()["results"]
    assert len(narrowed) == 2


def test_a_foreign_accounts_orders_are_a_404(client, account_manager, foreign_account):
    client.force_login(account_manager)
    assert client.get(f"/api/v1/accounts/{foreign_account.pk}/orders/").status_code == 404


def test_the_bulk_upsert_creates_then_is_idempotent(client, admin_user):
    AccountFactory(external_id="C1")
    client.force_login(admin_user)
    batch = [order("O1", "C1"), order("O2", "C1", revenue=250, gross_profit=None)]
    created = post(client, batch)
    assert created.json() == {"created": 2, "updated": 0, "unchanged": 0, "written": True}
    again = post(client, batch).json()
    assert again == {"created": 0, "updated": 0, "unchanged": 2, "written": True}
    changed = post(client, [order("O1", "C1", revenue="120.00")]).json()
    assert changed["updated"] == 1
    assert Order.objects.get(external_ref="O1").revenue == Decimal("120.00")
    assert Order.objects.get(external_ref="O2").gross_profit is None


def test_errors_name_the_row_and_the_field_and_nothing_is_written(client, admin_user):
    AccountFactory(external_id="C1")
    client.force_login(admin_user)
    batch = [
        order("O1", "C1"),
        order("O2", "C1", ordered_on="15/01/2026"),
        order("O3", "NOPE"),
        order("O1", "C1"),
        order("O5", "C1", revenue="1e5", colour="red"),
        "not an object",
    ]
    response = post(client, batch)
    assert response.status_code == 400
    errors = [(e["row"], e["field"], e["code"]) for e in response.json()["errors"]]
    assert errors == [
        (1, "ordered_on", "invalid"),
        (2, "customer_external_id", "unknown_customer"),
        (3, "external_ref", "duplicate"),
        (4, "colour", "unknown_field"),
        (4, "revenue", "invalid"),
        (5, None, "not_an_object"),
    ]
    assert "YYYY-MM-DD" in response.json()["errors"][0]["message"]
    assert not Order.objects.exists()


def test_a_date_outside_the_accepted_range_is_refused(client, admin_user):
    AccountFactory(external_id="C1")
    client.force_login(admin_user)
    response = post(client, [order("O1", "C1", ordered_on="0001-01-01")])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ordered_on"


def test_at_most_ten_thousand_a_request(client, admin_user):
    client.force_login(admin_user)
    response = post(client, [order(f"O{n}", "C1") for n in range(10_001)])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "orders"


def test_a_dry_run_counts_and_writes_nothing(client, admin_user):
    AccountFactory(external_id="C1")
    client.force_login(admin_user)
    response = post(client, [order("O1", "C1")], dry_run="true")
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0, "written": False}
    assert not Order.objects.exists()


def test_the_monthly_rollup_follows(client, admin_user):
    account = AccountFactory(external_id="C1")
    client.force_login(admin_user)
    post(client, [order("O1", "C1"), order("O2", "C1", ordered_on="2026-01-20")])
    month = AccountMonth.objects.get(account=account)
    assert (month.month, month.revenue, month.orders) == (dt.date(2026, 1, 1), 200, 2)


def test_a_sales_manager_sends_orders_of_their_teams_customers_only(
    client, sales_manager, own_account, foreign_account
):
    OrderFactory(external_ref="THEIRS", account=foreign_account)
    client.force_login(sales_manager)
    mine = post(client, [order("O1", own_account.external_id)])
    assert mine.status_code == 200
    refused = post(
        client,
        [
            order("O2", foreign_account.external_id),  # as if the customer did not exist
            order("THEIRS", own_account.external_id),  # would move a foreign order
        ],
    )
    assert refused.status_code == 400
    found = [(e["row"], e["field"], e["code"]) for e in refused.json()["errors"]]
    assert found == [
        (0, "customer_external_id", "unknown_customer"),
        (1, "external_ref", "foreign_row"),
    ]
    assert Order.objects.get(external_ref="THEIRS").account == foreign_account


def test_an_account_manager_does_not_import(client, account_manager, own_account):
    client.force_login(account_manager)
    assert post(client, [order("O1", own_account.external_id)]).status_code == 403


def test_the_api_and_the_csv_import_store_the_same_orders(client, admin_user, tmp_path: Path):
    """The same rows through the command's pipeline and through the API: the same orders."""
    AccountFactory(external_id="C1")
    AccountFactory(external_id="C2")
    rows = [
        order("A1", "C1"),
        order(
            "A2",
            "C2",
            channel="Website",
            revenue="-99.90",
            gross_profit="",
            price_compared="yes",
            product_category="צינורות",
        ),  # fmt: skip
        order("A3", "C1", channel="", revenue="10", price_compared="0", product_category=""),
    ]
    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    run_import(spec=ORDERS, path=path)
    columns = ["external_ref", "account_id", *FIELDS[2:]]
    by_csv = list(Order.objects.order_by("external_ref").values_list(*columns))
    Order.objects.all().delete()
    client.force_login(admin_user)
    assert post(client, rows).json()["created"] == 3
    assert list(Order.objects.order_by("external_ref").values_list(*columns)) == by_csv


@pytest.mark.slow
def test_ten_thousand_orders_in_one_request(client, admin_user):
    AccountFactory(external_id="C1")
    client.force_login(admin_user)
    batch = [
        order(f"O{n:05d}", "C1", ordered_on=f"2025-{n % 12 + 1:02d}-15") for n in range(10_000)
    ]
    started = time.monotonic()
    response = post(client, batch)
    seconds = time.monotonic() - started
    assert response.json()["created"] == 10_000
    assert Order.objects.count() == 10_000
    assert seconds < 30, f"{seconds:.1f} s"
