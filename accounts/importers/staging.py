"""The temporary staging table and the set-based SQL run on it.

Parsed rows land here with COPY; duplicates, unknown references, the created / updated /
unchanged counts and the final upsert are each one statement over the whole table, so memory
stays flat however long the file is. The SQL is portable between PostgreSQL (the reference) and
SQLite >= 3.39 (temp tables, UPDATE ... FROM, ON CONFLICT ... DO UPDATE ... WHERE,
IS DISTINCT FROM).
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from accounts.importers.spec import ImportSpec, RefCheck
from accounts.rollup import account_months_refresh
from accounts.versions import version_changed
from kam_portal.bulk import copy_rows

STAGING = "import_staging"
VALID = "s.parse_error IS NULL AND s.dup_of IS NULL AND s.ref_error IS NULL"
PAGE = 2000


@dataclass(frozen=True)
class Counts:
    rejected: int
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class RejectedRow:
    line: int
    key: str | None
    parse_error: str | None
    dup_of: int | None
    ref_error: str | None
    values: dict[str, Any]  # the cells the checks look at, by column: their messages quote them


def create(spec: ImportSpec, table: str = STAGING, *, temporary: bool = True) -> None:
    """The staging table: temporary (gone with the transaction's connection), or a table kept
    after the transaction, for a dry run whose import will reuse the staged rows (unlogged on
    PostgreSQL: nothing to keep through a crash, and no WAL to write)."""
    columns = ", ".join(f"{_q(c.name)} {c.sql_type}" for c in spec.columns)
    kind = "TEMP TABLE" if temporary else "TABLE"
    if not temporary and connection.vendor == "postgresql":
        kind = "UNLOGGED TABLE"
    _execute(f"DROP TABLE IF EXISTS {table}")
    _execute(
        f"CREATE {kind} {table} (line integer PRIMARY KEY, {columns}, "
        "parse_error text, dup_of integer, ref_error text)"
    )


def drop(table: str = STAGING) -> None:
    _execute(f"DROP TABLE IF EXISTS {table}")


def staged_rows(table: str) -> int | None:
    """How many rows a kept staging table holds; None when there is no such table."""
    if table not in connection.introspection.table_names():
        return None
    return int(_fetchone(f"SELECT COUNT(*) FROM {table}")[0])


def load(spec: ImportSpec, rows: Iterable[Sequence[Any]], table: str = STAGING) -> int:
    """rows: (line, *parsed values in spec order, parse_error)."""
    written = copy_rows(table, ["line", *spec.names, "parse_error"], rows)
    if connection.vendor == "postgresql":
        # Temp tables get no autovacuum statistics; the joins below need them.
        _execute(f"ANALYZE {table}")
    return written


def check(spec: ImportSpec, checks: Sequence[RefCheck] | None = None, table: str = STAGING) -> None:
    """Mark repeated keys (each repeat names the first line), then run `checks` (by default
    the spec's own) in order: unknown references, and what else they test. The references
    are checked afresh, so a table a dry run staged is checked again against today's data."""
    key = _q(spec.key)
    _execute(f"UPDATE {table} SET ref_error = NULL WHERE ref_error IS NOT NULL")
    _execute(
        f"UPDATE {table} SET dup_of = f.first_line FROM ("
        f"  SELECT {key} AS k, MIN(line) AS first_line FROM {table}"
        f"  WHERE {key} IS NOT NULL GROUP BY {key} HAVING COUNT(*) > 1"
        f") AS f WHERE {table}.{key} = f.k AND {table}.line > f.first_line"
    )
    for ref_check in spec.all_checks if checks is None else checks:
        _execute(ref_check.sql.format(staging=table))


def counts(spec: ImportSpec, table: str = STAGING) -> Counts:
    target = spec.target_table
    changed = _changed(spec, new="n", old="o")
    row = _fetchone(
        f"WITH n AS ({_incoming(spec, table)}) "
        f"SELECT COUNT(*),"
        f" COALESCE(SUM(CASE WHEN o.{spec.target_key} IS NULL THEN 1 ELSE 0 END), 0),"
        f" COALESCE(SUM(CASE WHEN o.{spec.target_key} IS NOT NULL AND ({changed})"
        f"  THEN 1 ELSE 0 END), 0) "
        f"FROM n LEFT JOIN {target} o ON o.{spec.target_key} = n.{spec.target_key}"
    )
    valid, created, updated = (int(v) for v in row)
    total = _fetchone(f"SELECT COUNT(*) FROM {table}")[0]
    return Counts(
        rejected=total - valid,
        created=created,
        updated=updated,
        unchanged=valid - created - updated,
    )


TOUCHED = "import_touched_accounts"


def upsert(spec: ImportSpec, table: str = STAGING) -> None:
    """Write the valid rows, and rebuild the monthly rollup of the customers they touch."""
    if spec.touched_accounts_sql:
        _execute(f"DROP TABLE IF EXISTS {TOUCHED}")
        touched = spec.touched_accounts_sql.format(staging=table, valid=VALID)
        _execute(f"CREATE TEMP TABLE {TOUCHED} AS {touched}")
    _upsert(spec, table)
    version_changed()  # owners, industries, orders: what cached pages read
    if spec.touched_accounts_sql:
        account_months_refresh(accounts_sql=f"SELECT * FROM {TOUCHED}")
        _execute(f"DROP TABLE {TOUCHED}")


def _upsert(spec: ImportSpec, table: str) -> None:
    """One INSERT ... ON CONFLICT for all valid rows; a row equal to the stored one is skipped
    by the WHERE, so a re-import touches nothing (not even updated_at)."""
    cols = ", ".join(spec.insert_columns)
    sets = [
        f"{name} = {rule.format(new='EXCLUDED', old='o')}"
        for name, rule in spec.update_rules.items()
    ]
    sets += [f"{name} = EXCLUDED.{name}" for name in spec.touch_columns]
    _execute(
        f"INSERT INTO {spec.target_table} AS o ({cols}) "
        f"SELECT {', '.join('n.' + c for c in spec.insert_columns)} "
        f"FROM ({_incoming(spec, table)}) AS n WHERE 1 = 1 "  # WHERE: SQLite's upsert parse rule
        f"ON CONFLICT ({spec.target_key}) DO UPDATE SET {', '.join(sets)} "
        f"WHERE {_changed(spec, new='EXCLUDED', old='o')}"
    )


def rejected(
    spec: ImportSpec, checks: Sequence[RefCheck] | None = None, table: str = STAGING
) -> Iterator[RejectedRow]:
    """Every rejected row in line order, a page at a time (keyset on the primary key)."""
    checks = spec.all_checks if checks is None else checks
    columns = list(dict.fromkeys(check.column for check in checks))
    sql = (
        f"SELECT line, {_q(spec.key)}, parse_error, dup_of, ref_error,"
        f" {', '.join(_q(c) for c in columns)} FROM {table} s"
        f" WHERE NOT ({VALID}) AND line > %s ORDER BY line LIMIT {PAGE}"
    )
    after = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [after])
            page = cursor.fetchall()
        for line, key, parse_error, dup_of, ref_error, *values in page:
            yield RejectedRow(
                line, key, parse_error, dup_of, ref_error, dict(zip(columns, values, strict=True))
            )
        if len(page) < PAGE:
            return
        after = page[-1][0]


def _incoming(spec: ImportSpec, table: str) -> str:
    return spec.incoming_sql.format(staging=table, valid=VALID)


def _changed(spec: ImportSpec, *, new: str, old: str) -> str:
    return " OR ".join(
        f"{old}.{name} IS DISTINCT FROM {rule.format(new=new, old=old)}"
        for name, rule in spec.update_rules.items()
    )


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _fetchone(sql: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()
