"""orders CSV: external_ref,customer_external_id,ordered_on,channel,revenue,gross_profit,
price_compared,product_category. Every column comes from the ERP, so an update overwrites all."""

from accounts.importers import formats, parsers
from accounts.importers.customer_ref import CUSTOMER_CHECK
from accounts.importers.spec import Column, ImportSpec
from accounts.models import Account, Order

_ACCOUNTS = Account._meta.db_table
# revenue and gross_profit are numeric(14, 2): 12 digits before the point.
_INTEGER_DIGITS = 12


def _amount(*, blank: bool) -> Column:
    """revenue / gross_profit: an amount in the file's number format."""
    return Column(
        "gross_profit" if blank else "revenue",
        parsers.amount(integer_digits=_INTEGER_DIGITS, blank=blank),
        "numeric(14, 2)",
        optional=blank,
        parse_for=lambda f: formats.amount_parser(
            f.number, integer_digits=_INTEGER_DIGITS, blank=blank
        ),
    )


_UPDATED: tuple[str, ...] = ("account_id", "ordered_on", "channel", "revenue", "gross_profit")
_UPDATED += ("price_compared", "product_category")

ORDERS = ImportSpec(
    kind="orders",
    columns=(
        Column("external_ref", parsers.required_text(64), "text"),
        Column("customer_external_id", parsers.required_text(64), "text"),
        Column(
            "ordered_on", parsers.iso_date, "date", parse_for=lambda f: formats.date_parser(f.date)
        ),
        Column("channel", parsers.channel, "text", optional=True),
        _amount(blank=False),
        _amount(blank=True),
        Column("price_compared", parsers.flag, "boolean", optional=True),
        Column("product_category", parsers.optional_text(100), "text", optional=True),
    ),
    key="external_ref",
    ref_check=CUSTOMER_CHECK,
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
