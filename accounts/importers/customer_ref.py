"""The reference check of every file whose rows name a customer by its ERP id."""

from django.utils.translation import gettext as _

from accounts.importers import parsers
from accounts.importers.spec import RefCheck
from accounts.models import Account

CUSTOMER_CHECK = RefCheck(
    column="customer_external_id",
    sql=(
        "UPDATE {staging} SET ref_error = 'unknown_customer' "
        "WHERE customer_external_id IS NOT NULL AND NOT EXISTS ("
        f"  SELECT 1 FROM {Account._meta.db_table} a "
        "WHERE a.external_id = {staging}.customer_external_id)"
    ),
    messages={
        "unknown_customer": lambda value: (
            _('there is no customer with ERP id "%(value)s"') % {"value": parsers.shown(value)}
        ),
    },
)
