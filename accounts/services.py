"""Writes to accounts that people make: reassigning an account to another account manager,
its contacts and the events they record.

A small service for the API's reassign action, with the signature the manager's controls use
(`account_reassign(*, account, to, by, reason)`); refusals are a ValidationError naming the
field, or PermissionDenied for someone who may not reassign at all. The visibility rule reads
`owner` live, so access follows at once; segments and the programme follow at the next run.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, AccountEvent, Contact
from accounts.selectors import account_list_visible_to
from users.models import User
from users.selectors import account_managers_visible_to

logger = logging.getLogger(__name__)


def user_may_reassign(*, user: User) -> bool:
    """Sales managers (the accounts of their teams) and admins give accounts to others."""
    return user.is_admin_role or user.is_sales_manager


def account_reassign(*, account: Account, to: User, by: User, reason: str) -> Account:
    """Give `account` to the account manager `to`, who leaves its account team if on it."""
    reason = reason.strip()
    visible = account_list_visible_to(user=by).filter(pk=account.pk)
    if not user_may_reassign(user=by) or not visible.exists():
        raise PermissionDenied
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the reassignment.")}, code="reason")
    if not account_managers_visible_to(user=by).filter(pk=to.pk).exists():
        raise ValidationError(
            {"to": _("Choose an active account manager of your teams.")}, code="target"
        )
    if account.owner_id == to.pk:
        raise ValidationError({"to": _("%(name)s already owns this account.") % {"name": to}})
    with transaction.atomic():
        previous = account.owner_id
        Account.objects.filter(pk=account.pk).update(owner=to, updated_at=timezone.now())
        account.team_members.remove(to)
    logger.info(
        "Account %s reassigned from user %s to %s by %s: %s",
        account.external_id, previous, to.username, by.username, reason,
    )  # fmt: skip
    account.refresh_from_db()
    return account


def contact_create(*, account: Account, by: User, **values: Any) -> Contact:
    """A new contact of `account`, checked against the model's rules (one current primary)."""
    contact = Contact(account=account, **values)
    contact.full_clean()
    contact.save()
    logger.info("Contact %s added to account %s by %s", contact.pk, account.pk, by.username)
    return contact


def contact_update(*, contact: Contact, by: User, **values: Any) -> Contact:
    for name, value in values.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save(update_fields=list(values) or None)
    logger.info("Contact %s changed by %s", contact.pk, by.username)
    return contact


def account_event_create(*, account: Account, by: User, **values: Any) -> AccountEvent:
    """Record what `by` saw happen at the customer (a complaint, competitor activity...)."""
    event = AccountEvent(account=account, author=by, **values)
    event.full_clean()
    event.save()
    return event
