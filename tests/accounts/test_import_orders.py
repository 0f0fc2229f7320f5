"""import_orders: every column parsed and checked, upsert on external_ref, all or nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.models import Order
from tests.accounts.import_support import ORDERS_HEADER, run, write_csv
from tests.factories import AccountFactory, OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


GOOD = [
    ORDERS_HEADER,
    'O1,C1,2026-01-15,phone,1234.50,300.25,yes,"Pipes, fittings"',
    "O2,C1,2026-02-01,,-99.90,,,",
    "O3,C2,2026-02-03,Website,10,2.5,0,צינורות",
]


@pytest.fixture
def customers(db):
    return AccountFactory(external_id="C1"), AccountFactory(external_id="C2")


def test_a_good_file_stores_every_column(tmp_path, customers):
    outcome = run("import_orders", write_csv(tmp_path, GOOD))

    assert outcome.error is None
    assert "3 rows read: 3 created, 0 updated, 0 unchanged, 0 rejected" in outcome.stdout
    rows = Order.objects.order_by("external_ref").values_list(
        "external_ref",
        "account__external_id",
        "ordered_on",
        "channel",
        "revenue",
        "gross_profit",
        "price_compared",
        "product_category",
    )
    assert list(rows) == [
        (
            "O1",
            "C1",
            dt.date(2026, 1, 15),
            "phone",
            Decimal("1234.50"),
            Decimal("300.25"),
            True,
            "Pipes, fittings",
        ),
        ("O2", "C1", dt.date(2026, 2, 1), "other", Decimal("-99.90"), None, False, ""),
        (
            "O3",
            "C2",
            dt.date(2026, 2, 3),
            "website",
            Decimal("10"),
            Decimal("2.5"),
            False,
            "צינורות",
        ),
    ]


def test_the_file_may_start_with_a_bom_or_not(tmp_path, customers):
    with_bom = run("import_orders", write_csv(tmp_path, GOOD, name="a.csv", bom=True))
    without = run("import_orders", write_csv(tmp_path, GOOD, name="b.csv"))

    assert "3 created" in with_bom.stdout
    assert "3 unchanged" in without.stdout


def test_every_kind_of_bad_row_is_reported_with_its_line_and_column(tmp_path, customers):
    path = write_csv(
        tmp_path,
        [
            ORDERS_HEADER,
            "O1,C1,2026-13-01,phone,10,,,",
            "O2,C1,2026-01-15,fax,10,,,",
            "O3,C1,2026-01-15,phone,10.555,1e3,,",
            "O4,C9,2026-01-15,phone,10,,,",
            "O5,C1,2026-01-15,phone,10,,maybe,",
            "O6,C1,2026-01-15,phone,,,,",
            "O2,C1,2026-01-16,phone,10,,,",
            "O7,C1",
            ",C1,2026-01-15,phone,10,,,",
        ],
    )

    outcome = run("import_orders", path)

    assert outcome.error_lines == [
        'line 2, column 3 (ordered_on): "2026-13-01" is not a date in YYYY-MM-DD form',
        'line 3, column 4 (channel): "fax" is not a channel; use one of: phone, message, sms, '
        "website, field_sales, service_desk, technical, other",
        'line 4, column 5 (revenue): "10.555" is not an amount with at most 2 decimal places '
        '(e.g. -1234.50); column 6 (gross_profit): "1e3" is not an amount with at most 2 decimal '
        "places (e.g. -1234.50)",
        'line 5, column 2 (customer_external_id): there is no customer with ERP id "C9"',
        'line 6, column 7 (price_compared): "maybe" is not a yes/no value; use one of: 1, 0, '
        "true, false, yes, no or blank",
        "line 7, column 5 (revenue): a value is required",
        'line 8, column 1 (external_ref): "O2" repeats the key first seen on line 3',
        "line 9, the row has 2 fields but the header has 8",
        "line 10, column 1 (external_ref): a value is required",
    ]
    assert outcome.error.startswith("9 rows are invalid; nothing was imported")
    assert "9 rows read, 9 rejected: nothing written" in outcome.stdout


def test_one_bad_row_at_the_end_leaves_the_database_untouched(tmp_path, customers):
    OrderFactory(external_ref="O1", account=customers[0], revenue=Decimal("1.00"))
    path = write_csv(tmp_path, [*GOOD, "O4,C1,2026-02-30,phone,10,,,"])

    outcome = run("import_orders", path)

    assert outcome.error_lines == [
        'line 5, column 3 (ordered_on): "2026-02-30" is not a date in YYYY-MM-DD form'
    ]
    assert list(Order.objects.values_list("external_ref", "revenue")) == [("O1", Decimal("1.00"))]


def test_only_the_first_fifty_errors_are_listed_with_the_total(tmp_path, customers):
    path = write_csv(tmp_path, [ORDERS_HEADER] + [f"O{n},C9,2026-01-01,,1,,," for n in range(60)])

    outcome = run("import_orders", path)

    assert len(outcome.error_lines) == 51
    assert outcome.error_lines[-1] == "… and 10 more (60 rejected rows in all)"


def test_re_importing_the_same_file_changes_nothing(tmp_path, customers):
    path = write_csv(tmp_path, GOOD)
    run("import_orders", path)
    before = list(Order.objects.values_list("pk", "external_ref", "revenue").order_by("pk"))

    outcome = run("import_orders", path)

    assert "3 rows read: 0 created, 0 updated, 3 unchanged, 0 rejected" in outcome.stdout
    assert list(Order.objects.values_list("pk", "external_ref", "revenue").order_by("pk")) == before


def test_a_changed_row_is_updated(tmp_path, customers):
    run("import_orders", write_csv(tmp_path, GOOD))
    changed = [*GOOD[:3], "O3,C1,2026-02-03,website,10.00,2.50,yes,צינורות"]

    outcome = run("import_orders", write_csv(tmp_path, changed, name="changed.csv"))

    assert "0 created, 1 updated, 2 unchanged" in outcome.stdout
    o3 = Order.objects.get(external_ref="O3")
    assert (o3.account, o3.price_compared) == (customers[0], True)


def test_a_dry_run_reports_but_writes_nothing(tmp_path, customers):
    OrderFactory(external_ref="O1", account=customers[0])
    path = write_csv(tmp_path, [*GOOD, "O9,C9,2026-01-01,,1,,,"])

    outcome = run("import_orders", path, "--dry-run", "--skip-invalid")

    assert outcome.error is None
    assert (
        "Dry run, nothing written: 4 rows read; would create 2, update 1, leave 0 unchanged, "
        "reject 1"
    ) in outcome.stdout
    assert list(Order.objects.values_list("external_ref", flat=True)) == ["O1"]
    assert not (tmp_path / "data.rejects.csv").exists()


def test_a_dry_run_of_a_bad_file_fails_like_the_import_would(tmp_path, customers):
    outcome = run(
        "import_orders", write_csv(tmp_path, [*GOOD, "O9,C9,2026-01-01,,1,,,"]), "--dry-run"
    )

    assert outcome.error.startswith("1 row is invalid")
    assert not Order.objects.exists()


def test_skip_invalid_writes_the_valid_rows_and_a_rejects_file(tmp_path, customers):
    path = write_csv(
        tmp_path,
        [*GOOD[:3], 'O8,C9,2026-01-01,sms,"1,5",,,"a, b"', GOOD[3], "O1,C1,2026-01-01,,1,,,"],
        name="orders 2026.csv",
    )

    outcome = run("import_orders", path, "--skip-invalid")

    assert outcome.error is None
    assert "5 rows read: 3 created, 0 updated, 0 unchanged, 2 rejected" in outcome.stdout
    assert sorted(Order.objects.values_list("external_ref", flat=True)) == ["O1", "O2", "O3"]
    assert Order.objects.get(external_ref="O1").revenue == Decimal("1234.50")  # the first one
    rejects = (tmp_path / "orders 2026.rejects.csv").read_text(encoding="utf-8-sig")
    assert rejects.splitlines() == [
        f"{ORDERS_HEADER},line,error",
        'O8,C9,2026-01-01,sms,"1,5",,,"a, b",4,"column 5 (revenue): ""1,5"" is not an amount with '
        "at most 2 decimal places (e.g. -1234.50); column 2 (customer_external_id): there is no "
        'customer with ERP id ""C9"""',
        'O1,C1,2026-01-01,,1,,,,6,"column 1 (external_ref): ""O1"" repeats the key first seen on '
        'line 2"',
    ]
