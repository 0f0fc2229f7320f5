"""What a sales manager's import may touch: their teams' accounts only.

The visible accounts and the account managers they may assign come from the one visibility
rule (accounts.selectors, users.selectors), copied into two temporary tables for the import's
transaction, so every check stays one set-based statement:

- a row naming a customer they may not see is rejected: "not one of your teams' accounts";
- an order, contact or event already stored under such a customer is rejected too (a file
  cannot move it into their teams);
- a customers file may create customers, but each new one needs an owner from their teams, and
  no row may give a customer an owner outside them (the customer would leave their sight).

Admins and the management commands import without a scope.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from accounts.importers.parsers import shown
from accounts.importers.spec import ImportSpec, RefCheck
from accounts.models import Account
from accounts.selectors import account_list_visible_to
from users.models import User
from users.selectors import account_managers_visible_to

ACCOUNTS = "import_scope_accounts"
OWNERS = "import_scope_owners"
_ACCOUNT_TABLE = Account._meta.db_table


@dataclass(frozen=True)
class Scope:
    user: User


def scope_for(user: User) -> Scope | None:
    """The scope of `user`'s imports: None (everything) for an admin."""
    return None if user.is_admin_role else Scope(user)


def prepare(scope: Scope) -> None:
    """Copy the user's accounts and assignable owners into the temporary tables."""
    # No ORDER BY: with DISTINCT Django would add the ordering column to the SELECT.
    accounts = account_list_visible_to(user=scope.user).order_by().values("external_id").distinct()
    owners = account_managers_visible_to(user=scope.user).order_by().values("username")
    for table, column, query in ((ACCOUNTS, "external_id", accounts), (OWNERS, "username", owners)):
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TEMP TABLE {table} ({column} text PRIMARY KEY)")
            cursor.execute(f"INSERT INTO {table} ({column}) {sql}", params)


def drop() -> None:
    with connection.cursor() as cursor:
        for table in (ACCOUNTS, OWNERS):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _not_yours(value: str) -> str:
    return _('"%(value)s" is not one of your teams\' accounts') % {"value": shown(value)}


def checks(spec: ImportSpec) -> tuple[RefCheck, ...]:
    """The scope's checks for `spec`, run after its reference check (unknown customers)."""
    if spec.owner_column:
        return _customer_checks(spec)
    return _row_checks(spec)


def _customer_checks(spec: ImportSpec) -> tuple[RefCheck, ...]:
    key, owner = spec.customer_column, spec.owner_column
    exists = f"EXISTS (SELECT 1 FROM {_ACCOUNT_TABLE} a WHERE a.external_id = {{staging}}.{key})"
    mine = f"EXISTS (SELECT 1 FROM {ACCOUNTS} v WHERE v.external_id = {{staging}}.{key})"
    assignable = f"EXISTS (SELECT 1 FROM {OWNERS} w WHERE w.username = {{staging}}.{owner})"
    return (
        RefCheck(
            column=key,
            sql=f"UPDATE {{staging}} SET ref_error = 'not_yours' "
            f"WHERE ref_error IS NULL AND {exists} AND NOT {mine}",
            messages={"not_yours": _not_yours},
        ),
        RefCheck(
            column=owner,
            sql=f"UPDATE {{staging}} SET ref_error = CASE WHEN {owner} = '' "
            "THEN 'new_needs_owner' ELSE 'owner_not_yours' END "
            f"WHERE ref_error IS NULL AND {owner} IS NOT NULL AND ("
            f"({owner} = '' AND NOT {exists}) OR ({owner} <> '' AND NOT {assignable}))",
            messages={
                "new_needs_owner": lambda value: _(
                    "a new customer needs an owner: one of your teams' account managers"
                ),
                "owner_not_yours": lambda value: (
                    _('"%(value)s" is not an account manager of your teams')
                    % {"value": shown(value)}
                ),
            },
        ),
    )


def _row_checks(spec: ImportSpec) -> tuple[RefCheck, ...]:
    """Orders, contacts, events: the named customer, and the stored row's customer."""
    customer, key, target = spec.customer_column, spec.key, spec.target_table
    mine = f"EXISTS (SELECT 1 FROM {ACCOUNTS} v WHERE v.external_id = {{staging}}.{customer})"
    stored_elsewhere = (
        f"EXISTS (SELECT 1 FROM {target} t JOIN {_ACCOUNT_TABLE} a ON a.id = t.account_id "
        f"WHERE t.{spec.target_key} = {{staging}}.{key} AND NOT EXISTS ("
        f"SELECT 1 FROM {ACCOUNTS} v WHERE v.external_id = a.external_id))"
    )
    return (
        RefCheck(
            column=customer,
            sql=f"UPDATE {{staging}} SET ref_error = 'not_yours' "
            f"WHERE ref_error IS NULL AND {customer} IS NOT NULL AND NOT {mine}",
            messages={"not_yours": _not_yours},
        ),
        RefCheck(
            column=key,
            sql=f"UPDATE {{staging}} SET ref_error = 'stored_elsewhere' "
            f"WHERE ref_error IS NULL AND {key} IS NOT NULL AND {stored_elsewhere}",
            messages={
                "stored_elsewhere": lambda value: (
                    _('"%(value)s" is stored under a customer outside your teams')
                    % {"value": shown(value)}
                )
            },
        ),
    )
