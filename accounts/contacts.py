"""Keeping an account's contacts: add, edit, end. Replacing the primary contact records the
organisational change in the account's log by itself, as a person would have.

Callers have checked that `by` may write to the account (accounts.access). An account keeps one
current primary contact (a database constraint): the account row is locked while the primary
changes, so two people promoting two contacts at once queue instead of failing.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.contact_rules import contact_dates_problems
from accounts.events import account_event_log
from accounts.models import Account, AccountEvent, Contact, EventKind
from users.models import User


@dataclass(frozen=True)
class ContactDetails:
    """What the contact form holds."""

    name: str
    title: str = ""
    email: str = ""
    phone: str = ""
    started_on: dt.date | None = None


def _check_dates(
    *, started_on: dt.date | None, ended_on: dt.date | None, today: dt.date | None
) -> None:
    today = today or timezone.localdate()
    problems = contact_dates_problems(started_on=started_on, ended_on=ended_on, today=today)
    if problems:
        raise ValidationError(problems)


def _lock(account: Account) -> None:
    Account.objects.select_for_update().filter(pk=account.pk).first()


def _previous_primary(contact: Contact) -> Contact | None:
    """The primary contact `contact` takes over from: the current one, or else the one who left
    last. None when the account never had one (a first primary is no change)."""
    others = Contact.objects.filter(account_id=contact.account_id, is_primary=True).exclude(
        pk=contact.pk
    )
    current = others.filter(ended_on__isnull=True).first()
    return current or others.order_by("-ended_on", "-pk").first()


def _take_over_primary(
    contact: Contact,
    *,
    previous: Contact | None,
    by: User,
    on: dt.date,
    field: str,
    today: dt.date | None,
) -> AccountEvent | None:
    """Make `contact` the primary contact in place of `previous`, and log the organisational
    change on `on` (refused under `field` when the log would refuse that date)."""
    if previous is not None and previous.ended_on is None:
        previous.is_primary = False  # stays a contact; no longer the primary one
        previous.save(update_fields=["is_primary"])
    contact.is_primary = True
    contact.save(update_fields=["is_primary"])
    if previous is None:
        return None
    text = _("Primary contact changed from %(old)s to %(new)s.") % {
        "old": previous.name,
        "new": contact.name,
    }
    try:
        return account_event_log(
            account=contact.account,
            kind=EventKind.ORG_CHANGE,
            occurred_on=on,
            text=text,
            by=by,
            today=today,
        )
    except ValidationError as error:
        # The whole change rolls back; the form shows why under the date it came from.
        raise ValidationError({field: error.message_dict["occurred_on"]}) from None


@transaction.atomic
def contact_add(
    *,
    account: Account,
    by: User,
    details: ContactDetails,
    is_primary: bool = False,
    today: dt.date | None = None,
) -> Contact:
    """A new current contact; as the primary one, it replaces the current primary (who stays
    a contact) and the change is logged, dated from its start (or today)."""
    _check_dates(started_on=details.started_on, ended_on=None, today=today)
    _lock(account)
    contact = Contact.objects.create(account=account, **_as_fields(details))
    if is_primary:
        on = details.started_on or today or timezone.localdate()
        previous = _previous_primary(contact)
        _take_over_primary(
            contact, previous=previous, by=by, on=on, field="started_on", today=today
        )
    return contact


def _as_fields(details: ContactDetails) -> dict:
    return {
        "name": details.name.strip(),
        "title": details.title.strip(),
        "email": details.email.strip(),
        "phone": details.phone.strip(),
        "started_on": details.started_on,
    }


@transaction.atomic
def contact_edit(
    *,
    contact: Contact,
    by: User,
    details: ContactDetails,
    is_primary: bool,
    today: dt.date | None = None,
) -> Contact:
    """Correct a contact's details; ticking *primary* makes it the primary contact from today
    (the change is logged), unticking it leaves the account without one."""
    _check_dates(started_on=details.started_on, ended_on=contact.ended_on, today=today)
    if is_primary != contact.is_primary and contact.ended_on is not None:
        raise ValidationError({"is_primary": _("A contact who has left cannot become primary.")})
    _lock(contact.account)
    becomes_primary = is_primary and not contact.is_primary
    for name, value in _as_fields(details).items():
        setattr(contact, name, value)
    contact.is_primary = contact.is_primary and is_primary
    contact.save()
    if becomes_primary:
        on = today or timezone.localdate()
        previous = _previous_primary(contact)
        _take_over_primary(
            contact, previous=previous, by=by, on=on, field="is_primary", today=today
        )
    return contact


@transaction.atomic
def contact_end(
    *,
    contact: Contact,
    by: User,
    ended_on: dt.date,
    successor: Contact | None = None,
    today: dt.date | None = None,
) -> Contact:
    """The contact has left on `ended_on`. A primary contact may name a successor among the
    current contacts, who becomes primary: the change is logged on that day."""
    if contact.ended_on is not None:
        raise ValidationError({"ended_on": _("This contact has already left.")})
    _check_dates(started_on=contact.started_on, ended_on=ended_on, today=today)
    if successor is not None:
        _check_successor(contact, successor)
    _lock(contact.account)
    contact.ended_on = ended_on
    contact.save(update_fields=["ended_on"])
    if successor is not None:
        _take_over_primary(
            successor, previous=contact, by=by, on=ended_on, field="ended_on", today=today
        )
    return contact


def _check_successor(contact: Contact, successor: Contact) -> None:
    if not contact.is_primary:
        raise ValidationError({"successor": _("Only the primary contact has a successor.")})
    same_account = successor.account_id == contact.account_id
    if not same_account or successor.pk == contact.pk or successor.ended_on is not None:
        raise ValidationError({"successor": _("Choose a current contact of this account.")})
