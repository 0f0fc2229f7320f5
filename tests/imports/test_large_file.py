"""A 100,000-row orders file through the page: upload, dry run, import, with progress."""

import datetime as dt
import io
import random

import pytest

from accounts.models import AccountMonth, Order
from imports import progress
from imports.models import ImportStatus
from tests.factories import AccountFactory, AdminFactory
from tests.imports.support import ORDERS_HEADER, check, confirm, uploaded_run

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROWS = 100_000
CUSTOMERS = 200


def orders_file() -> bytes:
    rng = random.Random(7)
    start = dt.date(2025, 1, 1)
    out = io.StringIO()
    out.write(ORDERS_HEADER + "\n")
    for n in range(ROWS):
        day = start + dt.timedelta(days=rng.randrange(365))
        out.write(
            f"O{n:07d},C{rng.randrange(CUSTOMERS):04d},{day},phone,{rng.randint(1, 9999)}.50,,,\n"
        )
    return out.getvalue().encode()


def test_a_100000_row_file_goes_through_the_page(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    client.force_login(AdminFactory(username="boss"))
    for n in range(CUSTOMERS):
        AccountFactory(external_id=f"C{n:04d}")
    stages = []
    report = progress.report
    monkeypatch.setattr(
        progress,
        "report",
        lambda run_id, stage, done, total: (
            stages.append(stage),
            report(run_id, stage, done, total),
        ),
    )

    run = uploaded_run(client, "orders", orders_file(), name="big.csv")
    run = check(client, run, django_capture_on_commit_callbacks)
    assert (run.status, run.rows_read, run.created, run.rejected) == (
        ImportStatus.CHECKED,
        ROWS,
        ROWS,
        0,
    )
    assert stages.count("reading") > 10  # the bar moved while the file was read
    run = confirm(client, run, django_capture_on_commit_callbacks)

    assert (run.status, run.created) == (ImportStatus.DONE, ROWS)
    assert Order.objects.count() == ROWS
    assert "writing" in stages
    assert AccountMonth.objects.filter(account__external_id="C0000").exists()  # rollup kept
