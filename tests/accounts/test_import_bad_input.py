"""Cells the database or the nightly SQL cannot hold: NUL bytes and dates out of range are row
errors with their line and column, skipped where asked, never a traceback or a half import."""

import datetime as dt

import pytest
from django.utils import translation

from accounts.importers import parsers
from accounts.models import Account, Order
from kam_portal.limits import EARLIEST_DATE, LATEST_DATE
from segmentation.enums import RunStatus
from segmentation.models import RiskSnapshot
from segmentation.pipeline import nightly_run_start
from tests.accounts.import_support import CUSTOMERS_HEADER, ORDERS_HEADER, run, write_csv
from tests.factories import AccountFactory
from tests.support import manage_on_sqlite

pytestmark = pytest.mark.django_db
RANGE = "is outside the accepted dates, 1980-01-01 to 2099-12-31"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def customer(db):
    return AccountFactory(external_id="C1")


def rejects_of(outcome) -> str:
    path = outcome.stdout.rsplit("Rejected rows: ", 1)[1].strip()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


class TestNulBytes:
    CUSTOMERS = [CUSTOMERS_HEADER, "C1,Ac\x00me,,", "C2,Good Ltd,,", "C\x003,Bad key,,"]
    ORDERS = [
        ORDERS_HEADER,
        "O1,C1,2026-01-15,phone,10,,,Pi\x00pes",
        "O2,C1,2026-01-15,phone,10,,,",
        "O3,C1,2026-01-1\x005,phone,10,,,",
        "O\x004,C1",
    ]
    CUSTOMER_ERRORS = [
        "line 2, column 2 (name): contains a NUL character (byte 0) at character 3; remove it",
        "line 4, column 1 (external_id): contains a NUL character (byte 0) at character 2; "
        "remove it",
    ]
    ORDER_ERRORS = [
        "line 2, column 8 (product_category): contains a NUL character (byte 0) at character 3;"
        " remove it",
        "line 4, column 3 (ordered_on): contains a NUL character (byte 0) at character 10; "
        "remove it",
        "line 5, the row has 2 fields but the header has 8",
    ]

    def test_customers_name_the_line_and_column_and_write_nothing(self, tmp_path):
        outcome = run("import_customers", write_csv(tmp_path, self.CUSTOMERS))

        assert outcome.error_lines == self.CUSTOMER_ERRORS
        assert outcome.error.startswith("2 rows are invalid; nothing was imported")
        assert not Account.objects.exists()

    def test_customers_skip_invalid_imports_the_rest_and_rejects_the_rows(self, tmp_path):
        outcome = run("import_customers", write_csv(tmp_path, self.CUSTOMERS), "--skip-invalid")

        assert outcome.error is None
        assert "3 rows read: 1 created, 0 updated, 0 unchanged, 2 rejected" in outcome.stdout
        assert list(Account.objects.values_list("external_id", "name")) == [("C2", "Good Ltd")]
        rejects = rejects_of(outcome)
        assert "C1,Ac\x00me,,,2," in rejects and "C\x003,Bad key,,,4," in rejects

    def test_orders_name_the_line_and_column_and_write_nothing(self, tmp_path, customer):
        outcome = run("import_orders", write_csv(tmp_path, self.ORDERS))

        assert outcome.error_lines == self.ORDER_ERRORS
        assert not Order.objects.exists()

    def test_orders_skip_invalid_imports_the_rest_and_rejects_the_rows(self, tmp_path, customer):
        outcome = run("import_orders", write_csv(tmp_path, self.ORDERS), "--skip-invalid")

        assert outcome.error is None
        assert "4 rows read: 1 created, 0 updated, 0 unchanged, 3 rejected" in outcome.stdout
        assert list(Order.objects.values_list("external_ref", flat=True)) == ["O2"]
        assert rejects_of(outcome).count("NUL character") == 2


class TestOrderDates:
    @pytest.mark.parametrize("day", ["0001-01-01", "1800-01-01", "1979-12-31", "2100-01-01"])
    def test_a_date_out_of_range_is_a_row_error_with_line_and_column(self, tmp_path, day):
        AccountFactory(external_id="C1")
        path = write_csv(
            tmp_path, [ORDERS_HEADER, "O1,C1,2026-01-15,phone,10,,,", f"O2,C1,{day},phone,10,,,"]
        )

        outcome = run("import_orders", path)

        assert outcome.error_lines == [f"line 3, column 3 (ordered_on): {day} {RANGE}"]
        assert outcome.error.startswith("1 row is invalid; nothing was imported")
        assert not Order.objects.exists()

    def test_skip_invalid_imports_the_orders_in_range(self, tmp_path, customer):
        path = write_csv(
            tmp_path, [ORDERS_HEADER, "O1,C1,0001-01-01,phone,10,,,", "O2,C1,2026-01-15,,1,,,"]
        )

        outcome = run("import_orders", path, "--skip-invalid")

        assert "1 created, 0 updated, 0 unchanged, 1 rejected" in outcome.stdout
        assert list(Order.objects.values_list("external_ref", flat=True)) == ["O2"]

    @pytest.mark.parametrize("as_of", [dt.date(2026, 11, 28), LATEST_DATE])
    def test_the_first_and_last_days_import_and_the_nightly_run_completes(
        self, tmp_path, customer, as_of
    ):
        """The widest gap the range allows (its first day to its last) squared still fits the
        nightly SQL's integer: the run that failed on 0001-01-01 completes."""
        path = write_csv(
            tmp_path,
            [
                ORDERS_HEADER,
                f"O1,C1,{EARLIEST_DATE},phone,10,,,",
                f"O2,C1,{as_of},phone,10,,,",
                f"O3,C1,{LATEST_DATE},phone,10,,,",
            ],
        )

        outcome = run("import_orders", path)
        nightly = nightly_run_start(as_of=as_of)

        assert "3 created" in outcome.stdout, outcome.stderr
        assert nightly.status == RunStatus.COMPLETE, nightly.error
        snapshot = RiskSnapshot.objects.get(run=nightly, account=customer)
        assert snapshot.revenue_12m == (20 if as_of == LATEST_DATE else 10)


@pytest.mark.parametrize("raw", ["٢٠٢٦-٠١-١٥", "２０２６-01-15"])
def test_dates_are_written_in_ascii_digits(raw):
    with pytest.raises(ValueError, match="is not a date in YYYY-MM-DD form"):
        parsers.iso_date(raw)


@pytest.mark.parametrize("raw", ["١٢٣", "１２.５０", "-٥"])
def test_amounts_are_written_in_ascii_digits(raw):
    with pytest.raises(ValueError, match="is not an amount"):
        parsers.amount(integer_digits=12, blank=False)(raw)


@pytest.mark.slow
def test_on_sqlite_too_the_range_imports_and_the_nightly_run_completes(tmp_path):
    """SQLite (`make run`) counts days with julianday() in 64-bit integers: the range holds."""
    assert manage_on_sqlite(tmp_path, "migrate", "-v0").returncode == 0
    customers = write_csv(tmp_path, [CUSTOMERS_HEADER, "C1,Acme,,"], name="customers.csv")
    orders = write_csv(
        tmp_path,
        [
            ORDERS_HEADER,
            f"O1,C1,{EARLIEST_DATE},phone,10,,,",
            f"O2,C1,{LATEST_DATE},phone,10,,,",
            "O3,C1,0001-01-01,phone,10,,,",
            "O4,C1,2026-01-15,phone,10,,,Pi\x00pes",
        ],
        name="orders.csv",
    )
    assert manage_on_sqlite(tmp_path, "import_customers", str(customers)).returncode == 0

    imported = manage_on_sqlite(tmp_path, "import_orders", str(orders), "--skip-invalid")
    nightly = manage_on_sqlite(tmp_path, "run_nightly", f"--as-of={LATEST_DATE}")

    assert "2 created, 0 updated, 0 unchanged, 2 rejected" in imported.stdout, imported.stderr
    assert f"line 4, column 3 (ordered_on): 0001-01-01 {RANGE}" in imported.stderr
    assert "line 5, column 8 (product_category): contains a NUL character" in imported.stderr
    assert "complete" in nightly.stdout, nightly.stderr


class TestErrorsQuoteCellsOnOneLine:
    def test_control_and_invisible_characters_are_escaped(self):
        assert parsers.shown("a\nb\x1e\u200fג") == "a\\nb\\x1e\\u200fג"

    def test_a_long_cell_is_cut(self):
        assert parsers.shown("x" * 100_000) == "x" * parsers.SHOWN_MAX + "…"

    def test_an_import_prints_one_line_per_bad_row(self, tmp_path, customer):
        cell = "pho\nne" + "x" * 1000
        path = write_csv(tmp_path, [ORDERS_HEADER, f'O1,C1,2026-01-15,"{cell}",10,,,'])

        outcome = run("import_orders", path)

        assert len(outcome.stderr.splitlines()) == 1
        assert outcome.error_lines[0].startswith('line 2, column 4 (channel): "pho\\nnexxx')
