"""Fast bulk writes shared by the importers and the demo generator.

PostgreSQL gets COPY (an order of magnitude faster than INSERT for millions of rows);
other databases (SQLite for `make run`) get batched executemany.
"""

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection

BATCH_SIZE = 5000


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write `rows` (tuples in `columns` order) into `table`; return how many were written.

    Runs on the default connection, inside whatever transaction the caller holds.
    """
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})"
        it = iter(rows)
        while batch := list(islice(it, BATCH_SIZE)):
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
