"""Whole-file problems give one clear error and write nothing; layout quirks are accepted."""

import io

import pytest
from django.core.management.base import OutputWrapper
from django.utils import translation

from accounts.importers.command import progress_stream
from accounts.models import Account, Order
from tests.accounts.import_support import CUSTOMERS_HEADER, ORDERS_HEADER, run, write_csv
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def test_a_missing_file_is_named(tmp_path):
    outcome = run("import_orders", tmp_path / "nope.csv")

    assert outcome.error == f"{tmp_path / 'nope.csv'}: no such file"


def test_a_directory_is_not_a_file(tmp_path):
    outcome = run("import_orders", tmp_path)

    assert outcome.error == f"{tmp_path}: cannot be read: Is a directory"


def test_a_rejects_file_that_cannot_be_written_leaves_everything_unwritten(tmp_path, db):
    path = write_csv(tmp_path, [CUSTOMERS_HEADER, "C1,Acme,,", "C2,,,"])
    (tmp_path / "data.rejects.csv").mkdir()  # in the way

    outcome = run("import_customers", path, "--skip-invalid")

    assert outcome.error.startswith(f"{path}: cannot write the rejects file")
    assert not Account.objects.exists()


def test_an_empty_file_asks_for_the_header(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    outcome = run("import_customers", path)

    assert outcome.error == (
        f"{path}: the file is empty; the first row must be the header: "
        "external_id,name,industry,owner_username"
    )


def test_a_header_alone_imports_nothing(tmp_path):
    outcome = run("import_customers", write_csv(tmp_path, [CUSTOMERS_HEADER]))

    assert outcome.error is None
    assert "0 rows read: 0 created" in outcome.stdout


def test_a_wrong_header_names_the_missing_misspelled_and_extra_columns(tmp_path, db):
    path = write_csv(tmp_path, ["external_id,nmae,industry,owner_username,notes", "C1,A,,,x"])

    outcome = run("import_customers", path)

    assert outcome.error == (
        f"{path}: the header row does not match: missing name; "
        'unknown column "nmae" (did you mean "name"?); unknown column "notes". '
        "Expected columns: external_id,name,industry,owner_username"
    )
    assert not Account.objects.exists()


def test_bytes_that_are_not_utf8_are_reported_with_their_line(tmp_path, db):
    path = tmp_path / "latin.csv"
    path.write_bytes(f"{CUSTOMERS_HEADER}\nC1,Acme,,\nC2,Caf\xe9,,\n".encode("latin-1"))

    outcome = run("import_customers", path)

    assert outcome.error == (
        f"{path}: line 3 is not UTF-8 text (byte 7 of the line); save the file as CSV UTF-8"
    )
    assert not Account.objects.exists()


def test_columns_may_come_in_any_order_and_errors_name_their_real_position(tmp_path, db):
    path = write_csv(tmp_path, ["name,external_id,owner_username,industry", "Acme,C1,,", ",C2,,"])

    outcome = run("import_customers", path)

    assert outcome.error_lines == ["line 3, column 1 (name): a value is required"]


def test_crlf_blank_lines_and_multi_line_fields_keep_the_physical_line_numbers(tmp_path, db):
    AccountFactory(external_id="C1")
    text = (
        f"{ORDERS_HEADER}\r\n"
        'O1,C1,2026-01-01,,1,,,"two\r\nlines"\r\n'
        "\r\n"
        "O2,C1,2026-01-01,,1.001,,,\r\n"
    )
    path = tmp_path / "crlf.csv"
    path.write_bytes(text.encode())

    outcome = run("import_orders", path, "--skip-invalid")

    assert outcome.error_lines == [
        'line 5, column 5 (revenue): "1.001" is not an amount with at most 2 decimal places '
        "(e.g. -1234.50)"
    ]
    assert Order.objects.get().product_category == "two\r\nlines"


def test_the_progress_bar_shows_only_on_a_terminal():
    assert progress_stream(OutputWrapper(io.StringIO())) is None
