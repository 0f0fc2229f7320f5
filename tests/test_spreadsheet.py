"""Spreadsheet formula injection: text cells are neutralised, real numbers stay numbers."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils.functional import lazy

from kam_portal.spreadsheet import DictWriter, neutralise, neutralise_mapping, neutralise_row
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot
from tests.factories import AccountFactory

PAYLOADS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd"]


@pytest.mark.parametrize(
    "text", [*PAYLOADS, "\t=1+1", "\r=1+1", "-2+3+cmd|' /C calc'!A0", "-12", "=", "@"]
)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["Acme Ltd", "", "a=b", "1+1", " =1+1", "'=1+1", "צינורות", "C000001", "12.50"]
)
def test_other_text_is_written_as_it_is(text):
    assert neutralise(text) == text


@pytest.mark.parametrize(
    "value",
    [Decimal("-1200.50"), -7, -0.5, 0, True, None, dt.date(2026, 1, 15), dt.timedelta(-1)],
)
def test_numbers_and_dates_are_values_not_text_and_stay_as_they_are(value):
    assert neutralise(value) is value


def test_anything_else_is_written_as_its_neutralised_text():
    lazy_text = lazy(lambda: "-cancelled", str)()  # as a lazy translation is
    assert neutralise(lazy_text) == "'-cancelled"


def test_the_row_helpers_neutralise_every_cell():
    assert neutralise_row(["=1", Decimal("-1"), "ok"]) == ["'=1", Decimal("-1"), "ok"]
    assert neutralise_mapping({"a": "@x", "b": -2}) == {"a": "'@x", "b": -2}


def test_the_csv_writer_neutralises_rows_and_quotes_separators():
    out = io.StringIO()
    writer = DictWriter(out, fieldnames=["name", "revenue"], lineterminator="\n")
    writer.writeheader()
    writer.writerows([{"name": '=1+1,"x"', "revenue": Decimal("-3.50")}])
    assert out.getvalue() == 'name,revenue\n"\'=1+1,""x""",-3.50\n'


@pytest.mark.django_db
def test_export_portfolio_neutralises_names_and_keeps_negative_revenue_a_number(tmp_path):
    run = NightlyRun.objects.create(as_of=dt.date(2026, 10, 31), status=RunStatus.COMPLETE)
    names = [*PAYLOADS, "\tTabbed", "\rReturned", "-minus", "Plain Ltd"]
    for number, name in enumerate(names):
        account = AccountFactory(external_id=f"C{number}", name=name)
        RiskSnapshot.objects.create(
            run=run,
            account=account,
            score="10.0",
            level="low",
            flags=[],
            revenue_12m="-1200.50",
            gross_profit_12m="-30.00",
        )
    AccountFactory(external_id="=C9", name="No run yet")
    path = tmp_path / "portfolio.csv"

    call_command("export_portfolio", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    with path.open(encoding="utf-8", newline="") as handle:  # keep the \r inside a cell
        rows = list(csv.DictReader(handle))
    by_id = {row["external_id"]: row for row in rows}
    for number, name in enumerate(names):
        expected = name if name == "Plain Ltd" else "'" + name
        assert by_id[f"C{number}"]["name"] == expected
        assert by_id[f"C{number}"]["revenue_12m"] == "-1200.50"
        assert by_id[f"C{number}"]["gross_profit_12m"] == "-30.00"
    assert by_id["'=C9"]["revenue_12m"] == ""
