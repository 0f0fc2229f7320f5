"""`make run` users are on SQLite: the same SQL must work there (smoke test in a subprocess,
because the test settings are PostgreSQL)."""

import pytest

from tests.accounts.import_support import CUSTOMERS_HEADER, ORDERS_HEADER, write_csv
from tests.support import manage_on_sqlite as manage

pytestmark = pytest.mark.slow


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
