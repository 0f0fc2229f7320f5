"""What an import is: the file's columns with their parsers, and the SQL that finishes the job.

A spec is data; pipeline.py runs any spec. SQL templates use `{staging}` for the temporary
staging table, and the update rules use `{new}` (the incoming row) and `{old}` (the stored row).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from accounts.importers.formats import DEFAULT, Formats
from accounts.importers.parsers import Parser

# A row's parsed values by column name -> (column, problem) for each cross-column rule broken.
RowCheck = Callable[[Mapping[str, Any]], list[tuple[str, str]]]


@dataclass(frozen=True)
class Column:
    name: str  # exactly as in the CSV header; also the staging column's name
    parse: Parser
    sql_type: str  # staging column type; names both PostgreSQL and SQLite accept
    # May be missing from a mapped file (every cell then reads as blank): the parser takes "".
    optional: bool = False
    # The parser for a file's date and number formats (None: `parse` whatever the formats).
    parse_for: Callable[[Formats], Parser] | None = None

    def parser(self, formats: Formats = DEFAULT) -> Parser:
        return self.parse if self.parse_for is None else self.parse_for(formats)


@dataclass(frozen=True)
class RefCheck:
    """A set-based check that a value names an existing row (customer, owner...).

    `sql` is an UPDATE that sets `ref_error` to a code on the staging rows that fail;
    `messages` turns each code into words, given the cell value.
    """

    column: str
    sql: str
    messages: dict[str, Callable[[str], str]]


@dataclass(frozen=True)
class ImportSpec:
    kind: str
    columns: tuple[Column, ...]
    key: str  # the CSV column that is the natural key (unique in the file and in the table)
    ref_check: RefCheck
    target_table: str
    target_key: str  # the target table's unique column matching `key`
    # SELECT producing the rows to write, aliased by target column, from the valid staging
    # rows (`{valid}` is the condition to AND in, staging aliased as s).
    incoming_sql: str
    insert_columns: tuple[str, ...]
    # Per target column updated on conflict: the new value, in terms of {new} and {old}.
    update_rules: dict[str, str]
    # Columns set on both insert and change (e.g. updated_at); excluded from the comparison.
    touch_columns: tuple[str, ...] = ()
    # SELECT of the customer ids whose orders the import changes (run before the upsert), so
    # their monthly rollup is rebuilt in the same transaction; empty: no rollup to keep.
    touched_accounts_sql: str = ""
    # Further set-based checks, run after `ref_check`; each sets ref_error only where it is NULL.
    checks: tuple[RefCheck, ...] = ()
    # Rules across the columns of one row (a satisfaction score goes with satisfaction events).
    row_check: RowCheck | None = None
    # The column naming the customer a row belongs to, and (customers only) its owner: what a
    # sales manager's import is held to (accounts.importers.scope).
    customer_column: str = "customer_external_id"
    owner_column: str = ""

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def all_checks(self) -> tuple[RefCheck, ...]:
        return (self.ref_check, *self.checks)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)
