"""The imports page, step by step: upload, choose the columns, preview, dry run with its errors,
fix, confirm, progress, outcome and history; rejects; a file that cannot be read; cancel."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.importers import pipeline
from accounts.models import Order
from imports import progress
from imports.models import ImportRun, ImportSource, ImportStatus
from tests.factories import AccountFactory, AdminFactory
from tests.imports.support import (
    ORDERS_HEADER,
    check,
    confirm,
    csv_bytes,
    mapping_data,
    upload,
    uploaded_run,
)

pytestmark = pytest.mark.django_db

BAD = [
    ORDERS_HEADER,
    "O1,C1,2026-01-15,phone,1234.50,300.25,yes,Pipes",
    "O2,C1,2026-13-01,phone,10,,,",
    "O3,NOPE,2026-02-01,,5,,,",
]
GOOD = [
    ORDERS_HEADER,
    "O1,C1,2026-01-15,phone,1234.50,300.25,yes,Pipes",
    "O2,C1,2026-01-31,phone,10,,,",
    "O3,C1,2026-02-01,,5,,,",
]


@pytest.fixture
def admin(client):
    user = AdminFactory(username="boss")
    client.force_login(user)
    return user


@pytest.fixture
def customer(db):
    return AccountFactory(external_id="C1")


def test_the_whole_flow_from_a_bad_file_to_an_imported_good_one(
    client, admin, customer, django_capture_on_commit_callbacks
):
    run = uploaded_run(client, "orders", csv_bytes(BAD), name="erp orders.csv")
    assert run.status == ImportStatus.UPLOADED
    assert run.header == ORDERS_HEADER.split(",")
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert 'data-testid="mapping-form"' in page

    run = check(client, run, django_capture_on_commit_callbacks)

    assert run.status == ImportStatus.CHECKED
    assert (run.rows_read, run.created, run.rejected) == (3, 1, 2)
    assert run.errors == [
        'line 3, column 3 (ordered_on): "2026-13-01" is not a date in YYYY-MM-DD form',
        'line 4, column 2 (customer_external_id): there is no customer with ERP id "NOPE"',
    ]
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "line 3, column 3 (ordered_on)" in page
    assert 'data-testid="confirm"' not in page  # all or nothing: nothing to confirm
    assert not Order.objects.exists()

    # The user fixes the file and uploads it again.
    run = uploaded_run(client, "orders", csv_bytes(GOOD), name="erp orders.csv")
    run = check(client, run, django_capture_on_commit_callbacks)
    assert (run.status, run.created, run.rejected) == (ImportStatus.CHECKED, 3, 0)
    assert 'data-testid="confirm"' in client.get(f"/imports/{run.pk}/").content.decode()
    assert not Order.objects.exists()  # a dry run writes nothing

    run = confirm(client, run, django_capture_on_commit_callbacks)

    assert run.status == ImportStatus.DONE
    assert (run.created, run.updated, run.unchanged, run.rejected) == (3, 0, 0, 0)
    assert Order.objects.count() == 3
    assert Order.objects.get(external_ref="O1").revenue == Decimal("1234.50")
    history = client.get("/imports/").content.decode()
    assert history.count("erp orders.csv") == 2
    assert 'data-status="done"' in history and 'data-status="checked"' in history


def test_skip_invalid_imports_the_valid_rows_and_offers_the_rejects(
    client, admin, customer, django_capture_on_commit_callbacks
):
    run = uploaded_run(client, "orders", csv_bytes(BAD))
    run = check(client, run, django_capture_on_commit_callbacks, skip_invalid=True)
    assert 'data-testid="confirm"' in client.get(f"/imports/{run.pk}/").content.decode()

    run = confirm(client, run, django_capture_on_commit_callbacks)

    assert (run.status, run.created, run.rejected) == (ImportStatus.DONE, 1, 2)
    assert list(Order.objects.values_list("external_ref", flat=True)) == ["O1"]
    response = client.get(f"/imports/{run.pk}/rejects/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="data.rejects.csv"'
    rejects = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert rejects[0] == ORDERS_HEADER + ",line,error"
    assert [line.split(",")[0] for line in rejects[1:]] == ["O2", "O3"]


def test_the_upload_is_removed_once_the_import_ends(
    client, admin, customer, django_capture_on_commit_callbacks, media_root
):
    run = uploaded_run(client, "orders", csv_bytes(GOOD))
    assert [p.name for p in (media_root / "imports").iterdir()] == [run.path.split("/")[-1]]
    run = confirm(
        client,
        check(client, run, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    assert run.status == ImportStatus.DONE
    assert list((media_root / "imports").iterdir()) == []


def test_a_header_that_cannot_be_read_fails_the_upload(client, admin):
    uploaded = upload(client, "orders", b"\xff\xfeo\x00r\x00")
    run = ImportRun.objects.get()
    assert uploaded.status_code == 302
    assert run.status == ImportStatus.FAILED
    assert "line 1 is not UTF-8 text" in run.error
    assert "line 1 is not UTF-8 text" in client.get(f"/imports/{run.pk}/").content.decode()


def test_a_bad_line_deep_in_the_file_is_a_file_error_of_the_dry_run(
    client, admin, customer, django_capture_on_commit_callbacks
):
    content = csv_bytes(GOOD) + b"O9,C1,2026-01-01,\xe9,1,,,\n"
    run = check(client, uploaded_run(client, "orders", content), django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.FAILED
    assert "line 5 is not UTF-8 text" in run.error
    assert not Order.objects.exists()


def test_the_mapping_must_name_every_required_column(client, admin, customer):
    run = uploaded_run(client, "orders", csv_bytes(GOOD))
    data = mapping_data("orders", {"revenue": ""})
    response = client.post(f"/imports/{run.pk}/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["column_revenue"] == ["This field is required."]
    run.refresh_from_db()
    assert run.status == ImportStatus.UPLOADED


def test_the_preview_shows_the_first_rows_as_read(client, admin, customer):
    erp = csv_bytes(
        [
            "Doc No,Customer,Doc Date,Total,Extra",
            'D1,C1,31/01/26,"1,234.50",x',
            "D2,C1,31/13/26,12,y",
        ]
    )
    run = uploaded_run(client, "orders", erp)
    mapping = {
        "external_ref": "Doc No",
        "customer_external_id": "Customer",
        "ordered_on": "Doc Date",
        "revenue": "Total",
        "channel": "",
        "gross_profit": "",
        "price_compared": "",
        "product_category": "",
    }
    data = mapping_data(
        "orders", mapping, date_format="dmy2", number_format="comma", action="preview"
    )
    response = client.post(f"/imports/{run.pk}/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    rows = response.context["preview"]["rows"]
    first = {cell.column: cell for cell in rows[0].cells}
    assert first["ordered_on"].value == dt.date(2026, 1, 31)
    assert first["revenue"].value == Decimal("1234.50")
    second = {cell.column: cell for cell in rows[1].cells}
    assert second["ordered_on"].error == '"31/13/26" is not a date in DD/MM/YY form'
    page = response.content.decode()
    assert "31 January 2026" in page and "1,234.50" in page


def test_an_erp_file_with_its_own_columns_and_formats_imports(
    client, admin, customer, django_capture_on_commit_callbacks
):
    erp = csv_bytes(
        [
            "Doc No,Customer,Doc Date,Total,Profit,Extra",
            'D1,C1,31/01/26,"1,234.50",300,x',
            'D2,C1,01/02/99,"-12,000.00",,y',
        ]
    )
    mapping = {
        "external_ref": "Doc No",
        "customer_external_id": "Customer",
        "ordered_on": "Doc Date",
        "revenue": "Total",
        "gross_profit": "Profit",
        "channel": "",
        "price_compared": "",
        "product_category": "",
    }
    run = uploaded_run(client, "orders", erp)
    run = check(
        client,
        run,
        django_capture_on_commit_callbacks,
        mapping=mapping,
        date_format="dmy2",
        number_format="comma",
    )
    assert (run.status, run.created, run.rejected) == (ImportStatus.CHECKED, 2, 0), run.errors
    confirm(client, run, django_capture_on_commit_callbacks)
    assert dict(Order.objects.values_list("external_ref", "ordered_on")) == {
        "D1": dt.date(2026, 1, 31),
        "D2": dt.date(1999, 2, 1),
    }
    assert Order.objects.get(external_ref="D2").revenue == Decimal("-12000.00")


def test_the_status_fragment_polls_while_running_and_shows_progress(client, admin, customer):
    run = uploaded_run(client, "orders", csv_bytes(GOOD))
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.IMPORTING)
    progress.report(run.pk, "reading", 50, 200)

    fragment = client.get(f"/imports/{run.pk}/status/").content.decode()

    assert 'hx-trigger="every 2s"' in fragment
    assert 'value="25"' in fragment and "Reading the file — 25%" in fragment
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.DONE)
    assert "hx-trigger" not in client.get(f"/imports/{run.pk}/status/").content.decode()


def test_a_cancelled_import_writes_nothing(
    client, admin, customer, django_capture_on_commit_callbacks, monkeypatch
):
    run = check(
        client, uploaded_run(client, "orders", csv_bytes(GOOD)), django_capture_on_commit_callbacks
    )
    # The worker asks between batches and before the commit: here the cancel arrives while
    # the rows are being written, so only the last question, before the commit, sees it.
    seen = []

    def upsert_then_cancel(spec, table):
        original_upsert(spec, table)
        seen.append(Order.objects.count())
        progress.request_cancel(run.pk)

    original_upsert = pipeline.staging.upsert
    monkeypatch.setattr(pipeline.staging, "upsert", upsert_then_cancel)
    run = confirm(client, run, django_capture_on_commit_callbacks)

    assert seen == [3]  # written inside the transaction...
    assert run.status == ImportStatus.CANCELLED
    assert not Order.objects.exists()  # ...and rolled back
    assert "Cancelled" in client.get(f"/imports/{run.pk}/").content.decode()


def test_cancel_asks_a_running_import_to_stop(client, admin, customer):
    run = uploaded_run(client, "orders", csv_bytes(GOOD))
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.IMPORTING)

    response = client.post(f"/imports/{run.pk}/cancel/")

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.cancel_requested and progress.cancel_requested(run.pk)


def test_a_command_run_shows_in_the_admins_history(client, admin, customer, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "nightly.csv"
    path.write_bytes(csv_bytes(GOOD))
    call_command("import_orders", str(path), stdout=__import__("io").StringIO())

    run = ImportRun.objects.get()
    assert (run.source, run.status, run.created, run.created_by) == (
        ImportSource.COMMAND,
        ImportStatus.DONE,
        3,
        None,
    )
    history = client.get("/imports/").content.decode()
    assert "nightly.csv" in history and "Management command" in history


def test_the_upload_streams_to_a_file_in_the_imports_directory(client, admin, monkeypatch):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from imports import uploads

    seen = []
    store = uploads.store

    def spy(upload):
        seen.append((type(upload), upload.temporary_file_path()))
        return store(upload)

    monkeypatch.setattr(uploads, "store", spy)
    uploaded_run(client, "orders", csv_bytes(GOOD))

    [(kind, temporary)] = seen
    assert issubclass(kind, TemporaryUploadedFile)  # on disk as it arrived, never in memory
    assert Path(temporary).parent == uploads.imports_dir()  # so storing it is a rename


def test_a_file_over_the_limit_is_refused_and_not_kept(client, admin, settings, media_root):
    settings.IMPORT_MAX_UPLOAD_MB = 0

    response = upload(client, "orders", csv_bytes(GOOD))

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is larger than the 0 MB an import accepts."
    ]
    assert not ImportRun.objects.exists()
    assert list((media_root / "imports").iterdir()) == []


def staged(run: ImportRun) -> int | None:
    from accounts.importers import staging
    from imports.services import staging_table

    return staging.staged_rows(staging_table(run))


def test_the_import_reuses_the_rows_its_dry_run_staged(
    client, admin, customer, django_capture_on_commit_callbacks
):
    run = check(
        client, uploaded_run(client, "orders", csv_bytes(GOOD)), django_capture_on_commit_callbacks
    )
    assert staged(run) == 3
    with Path(run.path).open("a") as file:  # the file is not read again: this row is not seen
        file.write("O9,C1,2026-01-01,,1,,,\n")

    run = confirm(client, run, django_capture_on_commit_callbacks)

    assert (run.status, run.rows_read, run.created) == (ImportStatus.DONE, 3, 3)
    assert not Order.objects.filter(external_ref="O9").exists()
    assert staged(run) is None  # dropped with the import


def test_without_its_staged_rows_the_import_reads_the_file_again(
    client, admin, customer, django_capture_on_commit_callbacks
):
    from accounts.importers import staging
    from imports.services import staging_table

    run = check(
        client, uploaded_run(client, "orders", csv_bytes(GOOD)), django_capture_on_commit_callbacks
    )
    staging.drop(staging_table(run))  # as an unlogged table is after a database crash

    run = confirm(client, run, django_capture_on_commit_callbacks)

    assert (run.status, run.created) == (ImportStatus.DONE, 3)


def test_discarding_a_checked_import_releases_its_file_and_rows(
    client, admin, customer, django_capture_on_commit_callbacks, media_root
):
    run = check(
        client, uploaded_run(client, "orders", csv_bytes(GOOD)), django_capture_on_commit_callbacks
    )

    assert client.post(f"/imports/{run.pk}/cancel/").status_code == 302

    run.refresh_from_db()
    assert run.status == ImportStatus.CANCELLED
    assert staged(run) is None and list((media_root / "imports").iterdir()) == []


def test_imports_left_waiting_are_closed_at_a_later_upload(
    client, admin, customer, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    old = check(
        client, uploaded_run(client, "orders", csv_bytes(GOOD)), django_capture_on_commit_callbacks
    )
    ImportRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    recent = uploaded_run(client, "orders", csv_bytes(GOOD))

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (ImportStatus.CANCELLED, ImportStatus.UPLOADED)
    assert staged(old) is None and not Path(old.path).exists()


def test_the_upload_still_checks_the_csrf_token(admin):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)

    response = upload(client, "orders", csv_bytes(GOOD))

    assert response.status_code == 403
    assert not ImportRun.objects.exists()
