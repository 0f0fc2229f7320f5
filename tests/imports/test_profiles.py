"""Profiles: a mapping with its formats saved from the page, offered at the next upload and
taken by the commands' --profile."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Order
from imports.models import ImportProfile, ImportRun
from tests.factories import AccountFactory, AdminFactory
from tests.imports.support import check, csv_bytes, mapping_data, uploaded_run

pytestmark = pytest.mark.django_db

ERP = [
    "Doc No,Customer,Doc Date,Total",
    'D1,C1,31/01/2026,"1.234,50"',
    "D2,C1,1/2/2026,7",
]
MAPPING = {
    "external_ref": "Doc No",
    "customer_external_id": "Customer",
    "ordered_on": "Doc Date",
    "revenue": "Total",
    "channel": "",
    "gross_profit": "",
    "price_compared": "",
    "product_category": "",
}


@pytest.fixture
def admin(client):
    user = AdminFactory(username="boss")
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def customer(db):
    return AccountFactory(external_id="C1")


def test_a_profile_saved_on_the_page_fills_the_next_uploads_form(
    client, admin, django_capture_on_commit_callbacks
):
    run = uploaded_run(client, "orders", csv_bytes(ERP))
    run = check(
        client,
        run,
        django_capture_on_commit_callbacks,
        mapping=MAPPING,
        date_format="dmy",
        number_format="dot",
        save_as="Priority",
    )
    assert (run.created, run.rejected) == (2, 0), run.errors
    profile = ImportProfile.objects.get()
    assert (profile.name, profile.kind, profile.created_by) == ("Priority", "orders", admin)
    assert profile.mapping == {k: v for k, v in MAPPING.items() if v}
    assert (profile.date_format, profile.number_format) == ("dmy", "dot")

    again = uploaded_run(client, "orders", csv_bytes(ERP), profile=str(profile.pk))

    assert again.mapping == MAPPING and again.profile == profile
    form = client.get(f"/imports/{again.pk}/").context["form"]
    assert form.initial["column_ordered_on"] == "Doc Date"
    assert form.initial["date_format"] == "dmy"


def test_a_profile_of_another_kind_is_refused_at_upload(client, admin):
    profile = ImportProfile.objects.create(name="P", kind="customers", mapping={})
    from tests.imports.support import upload

    response = upload(client, "orders", csv_bytes(ERP), profile=str(profile.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["profile"] == ["This profile is for Customers files."]


def test_someone_elses_profile_is_not_replaced(client, sales_manager, team):
    other = AdminFactory(username="other")
    ImportProfile.objects.create(name="Priority", kind="orders", mapping={}, created_by=other)
    client.force_login(sales_manager)
    run = uploaded_run(client, "orders", csv_bytes(ERP))
    response = client.post(
        f"/imports/{run.pk}/", mapping_data("orders", MAPPING, save_as="Priority")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["save_as"]


def test_the_command_reads_the_file_through_a_profile(tmp_path):
    ImportProfile.objects.create(
        name="Priority", kind="orders", mapping=MAPPING, date_format="dmy", number_format="dot"
    )
    path = tmp_path / "erp.csv"
    path.write_bytes(csv_bytes(ERP))

    call_command("import_orders", str(path), "--profile", "Priority", stdout=io.StringIO())

    assert dict(Order.objects.values_list("external_ref", "revenue")) == {
        "D1": Decimal("1234.50"),
        "D2": Decimal("7"),
    }
    assert Order.objects.get(external_ref="D2").ordered_on == dt.date(2026, 2, 1)
    assert ImportRun.objects.get().profile.name == "Priority"


def test_the_command_names_an_unknown_profile(tmp_path):
    ImportProfile.objects.create(name="SAP", kind="orders", mapping={})
    path = tmp_path / "erp.csv"
    path.write_bytes(csv_bytes(ERP))
    with pytest.raises(CommandError, match='no orders profile named "Nope" \\(there are: SAP\\)'):
        call_command("import_orders", str(path), "--profile", "Nope")
    assert not ImportRun.objects.exists()
