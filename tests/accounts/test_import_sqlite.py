"""`make run` users are on SQLite: the same SQL must work there (smoke test in a subprocess,
because the test settings are PostgreSQL)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.accounts.import_support import CUSTOMERS_HEADER, ORDERS_HEADER, write_csv

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def manage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kam_portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "false",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_both_imports_work_on_sqlite(tmp_path):
    assert manage(tmp_path, "migrate", "-v0").returncode == 0
    create_am = "from users.models import User; User.objects.create(username='am1')"
    assert manage(tmp_path, "shell", "-c", create_am).returncode == 0
    customers = write_csv(tmp_path, [CUSTOMERS_HEADER, "C1,Acme,Steel,am1", 'C2,"ב, ג",,'])
    orders = write_csv(
        tmp_path,
        [ORDERS_HEADER, "O1,C1,2026-01-15,phone,100.5,-2,yes,", "O2,C9,2026-01-15,,1,,,"],
        name="orders.csv",
    )

    first = manage(tmp_path, "import_customers", str(customers))
    orders_first = manage(tmp_path, "import_orders", str(orders), "--skip-invalid")
    orders_again = manage(tmp_path, "import_orders", str(orders), "--skip-invalid")

    assert "2 rows read: 2 created" in first.stdout, first.stderr
    assert "1 created, 0 updated, 0 unchanged, 1 rejected" in orders_first.stdout
    assert "0 created, 0 updated, 1 unchanged, 1 rejected" in orders_again.stdout
    assert 'line 3, column 2 (customer_external_id): there is no customer with ERP id "C9"' in (
        orders_again.stderr
    )
