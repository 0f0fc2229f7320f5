"""customers CSV: external_id,name,industry,owner_username.

A blank industry or owner leaves what is stored (owners are assigned in the portal too, and an
ERP extract without them must not unassign a portfolio); a new customer gets '' / no owner.
"""

from django.utils.translation import gettext as _

from accounts.importers import parsers
from accounts.importers.spec import Column, ImportSpec, RefCheck
from accounts.models import Account, AccountStatus
from users.models import Role, User

_ACCOUNTS = Account._meta.db_table
_USERS = User._meta.db_table
_AM = Role.ACCOUNT_MANAGER.value

_OWNER_CHECK = RefCheck(
    column="owner_username",
    sql=(
        "UPDATE {staging} SET ref_error = CASE WHEN EXISTS ("
        f"  SELECT 1 FROM {_USERS} u WHERE u.username = {{staging}}.owner_username"
        ") THEN 'not_account_manager' ELSE 'unknown_owner' END "
        "WHERE owner_username <> '' AND NOT EXISTS ("
        f"  SELECT 1 FROM {_USERS} u WHERE u.username = {{staging}}.owner_username"
        f"  AND u.role = '{_AM}' AND u.is_active)"
    ),
    messages={
        "unknown_owner": lambda value: (
            _('there is no user "%(value)s"') % {"value": parsers.shown(value)}
        ),
        "not_account_manager": lambda value: (
            _('"%(value)s" is not an active account manager') % {"value": parsers.shown(value)}
        ),
    },
)

CUSTOMERS = ImportSpec(
    kind="customers",
    columns=(
        Column("external_id", parsers.required_text(64), "text"),
        Column("name", parsers.required_text(200), "text"),
        Column("industry", parsers.optional_text(100), "text", optional=True),
        Column("owner_username", parsers.optional_text(150), "text", optional=True),
    ),
    key="external_id",
    ref_check=_OWNER_CHECK,
    target_table=_ACCOUNTS,
    target_key="external_id",
    incoming_sql=(
        "SELECT s.external_id AS external_id, s.name AS name, s.industry AS industry,"
        " u.id AS owner_id, CURRENT_TIMESTAMP AS created_at, CURRENT_TIMESTAMP AS updated_at,"
        f" '{AccountStatus.ACTIVE.value}' AS status "
        f"FROM {{staging}} s LEFT JOIN {_USERS} u ON u.username = s.owner_username "
        "WHERE {valid}"
    ),
    insert_columns=(
        "external_id",
        "name",
        "industry",
        "owner_id",
        "status",
        "created_at",
        "updated_at",
    ),
    update_rules={
        "name": "{new}.name",
        "industry": "COALESCE(NULLIF({new}.industry, ''), {old}.industry)",
        "owner_id": "COALESCE({new}.owner_id, {old}.owner_id)",
    },
    touch_columns=("updated_at",),
    customer_column="external_id",
    owner_column="owner_username",
)
