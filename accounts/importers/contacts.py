"""contacts CSV: external_ref,customer_external_id,name,title,email,phone,is_primary,started_on,
ended_on. The ERP (or CRM) is the source of imported contacts: an update overwrites every column.

A customer has at most one current primary contact (the table's contact_one_current_primary):
a file row that would give it a second one, next to a stored one the file does not end or to
an earlier row of the file, is rejected, so the write never breaks the constraint. Rows are
written non-primary first, so a file may end the old primary and bring the new one at once.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from accounts.importers import formats, parsers
from accounts.importers.customer_ref import CUSTOMER_CHECK
from accounts.importers.spec import Column, ImportSpec, RefCheck
from accounts.models import Account, Contact

_ACCOUNTS = Account._meta.db_table
_CONTACTS = Contact._meta.db_table
_CURRENT_PRIMARY = "{staging}.is_primary AND {staging}.ended_on IS NULL"
_VALID_ROW = "{row}.parse_error IS NULL AND {row}.dup_of IS NULL AND {row}.ref_error IS NULL"

_SECOND_PRIMARY = RefCheck(
    column="is_primary",
    sql=(
        "UPDATE {staging} SET ref_error = 'second_primary' "
        f"WHERE {_VALID_ROW.format(row='{staging}')} AND {_CURRENT_PRIMARY} AND ("
        # an earlier current primary of the same customer in the file
        "EXISTS (SELECT 1 FROM {staging} e WHERE e.customer_external_id = "
        "{staging}.customer_external_id AND e.is_primary AND e.ended_on IS NULL "
        f"AND e.line < {{staging}}.line AND {_VALID_ROW.format(row='e')}) "
        # a stored current primary that stays one (the file does not end or demote it)
        f"OR EXISTS (SELECT 1 FROM {_CONTACTS} c JOIN {_ACCOUNTS} a ON a.id = c.account_id "
        "WHERE a.external_id = {staging}.customer_external_id AND c.is_primary "
        "AND c.ended_on IS NULL AND (c.external_ref IS NULL "
        "OR c.external_ref <> {staging}.external_ref) AND NOT EXISTS ("
        "SELECT 1 FROM {staging} f WHERE f.external_ref = c.external_ref "
        f"AND {_VALID_ROW.format(row='f')} AND NOT (f.is_primary AND f.ended_on IS NULL))))"
    ),
    messages={
        "second_primary": lambda value: _(
            "the customer already has a current primary contact (in the portal or earlier in "
            "the file); end that one (ended_on) or make this one not primary"
        ),
    },
)


def _dates_in_order(row: Mapping[str, Any]) -> list[tuple[str, str]]:
    started, ended = row["started_on"], row["ended_on"]
    if started is not None and ended is not None and ended < started:
        return [("ended_on", _("the end date is before the start date"))]
    return []


def _date(name: str) -> Column:
    return Column(
        name,
        formats.optional_date_parser(formats.ISO),
        "date",
        optional=True,
        parse_for=lambda f: formats.optional_date_parser(f.date),
    )


_UPDATED: tuple[str, ...] = ("account_id", "name", "title", "email", "phone", "is_primary")
_UPDATED += ("started_on", "ended_on")

CONTACTS = ImportSpec(
    kind="contacts",
    columns=(
        Column("external_ref", parsers.required_text(64), "text"),
        Column("customer_external_id", parsers.required_text(64), "text"),
        Column("name", parsers.required_text(200), "text"),
        Column("title", parsers.optional_text(200), "text", optional=True),
        Column("email", parsers.email, "text", optional=True),
        Column("phone", parsers.optional_text(50), "text", optional=True),
        Column("is_primary", parsers.flag, "boolean", optional=True),
        _date("started_on"),
        _date("ended_on"),
    ),
    key="external_ref",
    ref_check=CUSTOMER_CHECK,
    checks=(_SECOND_PRIMARY,),
    row_check=_dates_in_order,
    target_table=_CONTACTS,
    target_key="external_ref",
    incoming_sql=(
        "SELECT s.external_ref AS external_ref, a.id AS account_id, s.name AS name,"
        " s.title AS title, s.email AS email, s.phone AS phone, s.is_primary AS is_primary,"
        " s.started_on AS started_on, s.ended_on AS ended_on "
        f"FROM {{staging}} s JOIN {_ACCOUNTS} a ON a.external_id = s.customer_external_id "
        "WHERE {valid} "
        # Rows that end or demote a primary before those that make one (see the docstring).
        "ORDER BY CASE WHEN s.is_primary AND s.ended_on IS NULL THEN 1 ELSE 0 END, s.line"
    ),
    insert_columns=("external_ref", *_UPDATED),
    update_rules={name: "{new}." + name for name in _UPDATED},
)
