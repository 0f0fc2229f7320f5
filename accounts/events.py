"""Writing to an account's log: log an entry, and let its author edit or delete it for 24 hours.

Callers have checked that `by` may write to the account (accounts.access); these services check
the entry itself (accounts.event_rules) and who may change it. Every change is kept by
simple-history on AccountEvent with `by` as its author, deletions included: the audit trail
holds the entry as it was, who removed it and when.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.event_rules import EventEntry, event_entry_problems, event_still_changeable
from accounts.models import Account, AccountEvent, EventKind, Order
from users.models import User


class EventNotChangeable(PermissionDenied):
    """Only the author changes an entry, and only for 24 hours after writing it."""


def account_first_order_on(*, account: Account) -> dt.date | None:
    """The day of the account's first order, or None before it has one (one indexed query)."""
    return Order.objects.filter(account=account).aggregate(first=Min("ordered_on"))["first"]


def _checked(entry: EventEntry, *, account: Account, today: dt.date | None) -> EventEntry:
    problems = event_entry_problems(
        entry,
        today=today or timezone.localdate(),
        first_order_on=account_first_order_on(account=account),
    )
    if problems:
        raise ValidationError(problems)
    # Only the fields the kind has are stored (a stale score from a switched form is dropped).
    return EventEntry(
        kind=entry.kind,
        occurred_on=entry.occurred_on,
        text=entry.text.strip(),
        score=entry.score if entry.kind == EventKind.SATISFACTION else None,
        competitor=entry.competitor.strip() if entry.kind == EventKind.COMPETITOR else "",
        offer=entry.offer.strip() if entry.kind == EventKind.COMPETITOR else "",
    )


@transaction.atomic
def account_event_log(
    *,
    account: Account,
    kind: str,
    occurred_on: dt.date,
    text: str,
    by: User,
    score: int | None = None,
    competitor: str = "",
    offer: str = "",
    today: dt.date | None = None,
) -> AccountEvent:
    """Record what happened; a ValidationError names each field that is refused."""
    entry = EventEntry(kind, occurred_on, text, score, competitor, offer)
    clean = _checked(entry, account=account, today=today)
    event = AccountEvent(account=account, author=by, **_fields(clean))
    event._history_user = by
    event.save()
    return event


def _fields(entry: EventEntry) -> dict:
    return {
        "kind": entry.kind,
        "occurred_on": entry.occurred_on,
        "text": entry.text,
        "score": entry.score,
        "competitor": entry.competitor,
        "offer": entry.offer,
    }


def event_changeable_by(*, event: AccountEvent, user: User, now: dt.datetime) -> bool:
    """The author, within 24 hours of writing the entry."""
    return (
        event.author_id is not None
        and event.author_id == user.pk
        and event_still_changeable(created_at=event.created_at, now=now)
    )


def _ensure_changeable(event: AccountEvent, *, by: User, now: dt.datetime | None) -> None:
    if not event_changeable_by(event=event, user=by, now=now or timezone.now()):
        raise EventNotChangeable(_("Only its author may change an entry, for 24 hours."))


@transaction.atomic
def account_event_edit(
    *,
    event: AccountEvent,
    by: User,
    kind: str,
    occurred_on: dt.date,
    text: str,
    score: int | None = None,
    competitor: str = "",
    offer: str = "",
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> AccountEvent:
    """Correct an entry: its author, within 24 hours, under the same rules as a new one."""
    _ensure_changeable(event, by=by, now=now)
    entry = EventEntry(kind, occurred_on, text, score, competitor, offer)
    for name, value in _fields(_checked(entry, account=event.account, today=today)).items():
        setattr(event, name, value)
    event._history_user = by
    event.save()
    return event


@transaction.atomic
def account_event_delete(*, event: AccountEvent, by: User, now: dt.datetime | None = None) -> None:
    """Remove an entry: its author, within 24 hours. The history keeps what it said."""
    _ensure_changeable(event, by=by, now=now)
    event._history_user = by
    event.delete()
