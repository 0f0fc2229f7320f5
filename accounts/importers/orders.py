"""orders CSV: external_ref,customer_external_id,ordered_on,channel,revenue,gross_profit,
price_compared,product_category. Every column comes from the ERP, so an update overwrites all."""

from django.utils.translation import gettext as _

from accounts.importers import parsers
from accounts.importers.spec import Column, ImportSpec, RefCheck
from accounts.models import Account, Order

_ACCOUNTS = Account._meta.db_table
# revenue and gross_profit are numeric(14, 2): 12 digits before the point.
_INTEGER_DIGITS = 12

_CUSTOMER_CHECK = RefCheck(
    column="customer_external_id",
    sql=(
        "UPDATE {staging} SET ref_error = 'unknown_customer' "
        "WHERE customer_external_id IS NOT NULL AND NOT EXISTS ("
        f"  SELECT 1 FROM {_ACCOUNTS} a WHERE a.external_id = {{staging}}.customer_external_id)"
    ),
    messages={
        "unknown_customer": lambda value: (
            _('there is no customer with ERP id "%(value)s"') % {"value": parsers.shown(value)}
        ),
    },
)

_UPDATED: tuple[str, ...] = ("account_id", "ordered_on", "channel", "revenue", "gross_profit")
_UPDATED += ("price_compared", "product_category")

ORDERS = ImportSpec(
    kind="orders",
    columns=(
        Column("external_ref", parsers.required_text(64), "text"),
        Column("customer_external_id", parsers.required_text(64), "text"),
        Column("ordered_on", parsers.iso_date, "date"),
        Column("channel", parsers.channel, "text"),
        Column(
            "revenue", parsers.amount(integer_digits=_INTEGER_DIGITS, blank=False), "numeric(14, 2)"
        ),
        Column(
            "gross_profit",
            parsers.amount(integer_digits=_INTEGER_DIGITS, blank=True),
            "numeric(14, 2)",
        ),
        Column("price_compared", parsers.flag, "boolean"),
        Column("product_category", parsers.optional_text(100), "text"),
    ),
    key="external_ref",
    ref_check=_CUSTOMER_CHECK,
    target_table=Order._meta.db_table,
    target_key="external_ref",
    incoming_sql=(
        "SELECT s.external_ref AS external_ref, a.id AS account_id, s.ordered_on AS ordered_on,"
        " s.channel AS channel, s.revenue AS revenue, s.gross_profit AS gross_profit,"
        " s.price_compared AS price_compared, s.product_category AS product_category "
        f"FROM {{staging}} s JOIN {_ACCOUNTS} a ON a.external_id = s.customer_external_id "
        "WHERE {valid}"
    ),
    insert_columns=("external_ref", *_UPDATED),
    update_rules={name: "{new}." + name for name in _UPDATED},
    # The customers of the incoming orders, and those an updated order moves away from.
    touched_accounts_sql=(
        f"SELECT a.id FROM {{staging}} s JOIN {_ACCOUNTS} a "
        "ON a.external_id = s.customer_external_id WHERE {valid} UNION "
        f"SELECT o.account_id FROM {{staging}} s JOIN {Order._meta.db_table} o "
        "ON o.external_ref = s.external_ref WHERE {valid}"
    ),
)
