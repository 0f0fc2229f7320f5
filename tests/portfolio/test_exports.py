"""/accounts/export/: names that a spreadsheet would run are neutralised, Hebrew survives,
figures are values; only GET."""

import pytest

from tests.factories import AccountFactory, OrderFactory
from tests.spreadsheets import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(account_manager, client):
    client.force_login(account_manager)
    evil = AccountFactory(owner=account_manager, name="=cmd|' /C calc'!A0", external_id="-12")
    AccountFactory(owner=account_manager, name="צינורות הצפון בע״מ", external_id="C2")
    OrderFactory(account=evil, revenue="-150.25")
    return evil


def download(client, fmt: str) -> list[list[str]]:
    response = client.get("/accounts/export/", {"format": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return csv_rows(content) if fmt == "csv" else xlsx_rows(content)


def test_csv_neutralises_formulas_and_keeps_hebrew(client, accounts):
    rows = download(client, "csv")
    assert rows[0][:3] == ["external_id", "name", "owner_username"]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["'-12"][1] == "'=cmd|' /C calc'!A0"
    assert by_id["'-12"][7] == "-150.25"  # a negative amount stays a number
    assert by_id["C2"][1] == "צינורות הצפון בע״מ"


def test_xlsx_neutralises_formulas_and_keeps_hebrew(client, accounts):
    rows = download(client, "xlsx")
    assert rows[0][:3] == ["ERP id", "Account", "Account manager (username)"]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["'-12"][1] == "'=cmd|' /C calc'!A0"
    assert by_id["'-12"][7] == "-150.25"
    assert by_id["C2"][1] == "צינורות הצפון בע״מ"


def test_the_export_takes_get_only(client, accounts):
    assert client.post("/accounts/export/").status_code == 405


def test_the_export_links_read_in_hebrew(client, accounts, account_manager):
    """Found by the browser walk: "Excel" was typed into the template, English on a Hebrew
    page (CSV, a format's name, stays as it is)."""
    account_manager.language = "he"
    account_manager.save(update_fields=["language"])
    html = client.get("/accounts/").text
    assert 'data-testid="export-xlsx">אקסל</a>' in html
    assert 'data-testid="export-csv">CSV</a>' in html
