"""import_customers: upsert on external_id, owners must be active account managers."""

import datetime as dt

import pytest
from django.utils import translation

from accounts.models import Account
from tests.accounts.import_support import CUSTOMERS_HEADER, run, write_csv
from tests.factories import AccountFactory, AccountManagerFactory, SalesManagerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def test_a_good_file_creates_the_customers(tmp_path, account_manager):
    path = write_csv(
        tmp_path,
        [CUSTOMERS_HEADER, 'C1,"Acme, Steel & Sons",Steel,am1', 'C2,"מפעלי ""הצפון"" בע""מ",,'],
    )

    outcome = run("import_customers", path)

    assert outcome.error is None
    assert "2 rows read: 2 created, 0 updated, 0 unchanged, 0 rejected" in outcome.stdout
    acme, north = Account.objects.order_by("external_id")
    assert (acme.name, acme.industry, acme.owner) == (
        "Acme, Steel & Sons",
        "Steel",
        account_manager,
    )
    assert (north.name, north.industry, north.owner) == ('מפעלי "הצפון" בע"מ', "", None)
    assert north.status == "active"


def test_re_importing_the_same_file_changes_nothing(tmp_path, account_manager):
    path = write_csv(tmp_path, [CUSTOMERS_HEADER, "C1,Acme,Steel,am1", "C2,Beta,,"])
    run("import_customers", path)
    Account.objects.update(updated_at=LONG_AGO)

    outcome = run("import_customers", path)

    assert "2 rows read: 0 created, 0 updated, 2 unchanged, 0 rejected" in outcome.stdout
    assert set(Account.objects.values_list("updated_at", flat=True)) == {LONG_AGO}


def test_a_changed_row_is_updated_and_stamped(tmp_path, account_manager, teammate):
    AccountFactory(external_id="C1", name="Acme", industry="Steel", owner=account_manager)
    AccountFactory(external_id="C2", name="Beta", industry="Food", owner=account_manager)
    Account.objects.update(updated_at=LONG_AGO)
    path = write_csv(tmp_path, [CUSTOMERS_HEADER, "C1,Acme Group,Steel,am2", "C2,Beta,Food,am1"])

    outcome = run("import_customers", path)

    assert "0 created, 1 updated, 1 unchanged" in outcome.stdout
    acme = Account.objects.get(external_id="C1")
    assert (acme.name, acme.owner) == ("Acme Group", teammate)
    assert acme.updated_at > LONG_AGO
    assert Account.objects.get(external_id="C2").updated_at == LONG_AGO


def test_a_blank_industry_or_owner_keeps_what_is_stored(tmp_path, account_manager):
    AccountFactory(external_id="C1", name="Acme", industry="Steel", owner=account_manager)
    path = write_csv(tmp_path, [CUSTOMERS_HEADER, "C1,Acme,,"])

    outcome = run("import_customers", path)

    assert "1 unchanged" in outcome.stdout
    acme = Account.objects.get(external_id="C1")
    assert (acme.industry, acme.owner) == ("Steel", account_manager)


def test_owners_must_be_active_account_managers(tmp_path, account_manager):
    SalesManagerFactory(username="boss")
    AccountManagerFactory(username="gone", is_active=False)
    path = write_csv(
        tmp_path,
        [
            CUSTOMERS_HEADER,
            "C1,Acme,,am1",
            "C2,Beta,,boss",
            "C3,Gamma,,nobody",
            "C4,Delta,,gone",
        ],
    )

    outcome = run("import_customers", path)

    assert (
        outcome.error
        == "3 rows are invalid; nothing was imported (fix them, or use --skip-invalid)."
    )
    assert outcome.error_lines == [
        'line 3, column 4 (owner_username): "boss" is not an active account manager',
        'line 4, column 4 (owner_username): there is no user "nobody"',
        'line 5, column 4 (owner_username): "gone" is not an active account manager',
    ]
    assert not Account.objects.exists()


def test_a_name_is_required_and_keys_stay_unique_in_the_file(tmp_path, account_manager):
    path = write_csv(tmp_path, [CUSTOMERS_HEADER, "C1,Acme,,", "C2,,,", "C1,Acme again,,", ",X,,"])

    outcome = run("import_customers", path)

    assert outcome.error_lines == [
        "line 3, column 2 (name): a value is required",
        'line 4, column 1 (external_id): "C1" repeats the key first seen on line 2',
        "line 5, column 1 (external_id): a value is required",
    ]
    assert not Account.objects.exists()


def test_skip_invalid_writes_the_valid_rows_and_the_rejects(tmp_path, account_manager):
    path = write_csv(
        tmp_path, [CUSTOMERS_HEADER, "C1,Acme,,am1", "C2,Beta,,nobody"], name="customers.csv"
    )

    outcome = run("import_customers", path, "--skip-invalid")

    assert outcome.error is None
    assert list(Account.objects.values_list("external_id", flat=True)) == ["C1"]
    rejects = tmp_path / "customers.rejects.csv"
    assert f"Rejected rows: {rejects}" in outcome.stdout
    assert rejects.read_text(encoding="utf-8-sig").splitlines() == [
        "external_id,name,industry,owner_username,line,error",
        'C2,Beta,,nobody,3,"column 4 (owner_username): there is no user ""nobody"""',
    ]
