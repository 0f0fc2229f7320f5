"""What the account page's log and contacts cards show: a few bounded queries per card, whatever
the account's history. The account has been fetched through the visibility rule already."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils import timezone

from accounts.access import user_may_write
from accounts.events import account_first_order_on, event_changeable_by
from accounts.models import Account, AccountEvent, Contact
from users.models import User
from workspace.forms import ContactEndForm, ContactForm, EventForm

RECENT_EVENTS = 20


class Unknown:
    """A value the caller did not look up (as opposed to None, a value that is absent)."""


UNKNOWN = Unknown()


@dataclass
class LogCard:
    account: Account
    may_write: bool
    events: list[AccountEvent]
    changeable: set[int]  # the entries the user may still edit or delete
    form: EventForm | None
    editing: int | None = None
    edit_form: EventForm | None = None
    notice: str = ""


@dataclass
class ContactsCard:
    account: Account
    may_write: bool
    current: list[Contact]
    past: list[Contact]
    add_form: ContactForm | None
    editing: int | None = None
    edit_form: forms.Form | None = None  # a ContactForm, or a ContactEndForm while ending
    ending: bool = False
    notice: str = ""
    oob_log: LogCard | None = None  # the log too, when a primary change logged an entry


@dataclass(frozen=True)
class Clock:
    """Today and now for one request: every date rule and window reads the same instant."""

    now: dt.datetime

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)


def new_event_form(
    *,
    account: Account,
    clock: Clock,
    first_order_on: dt.date | None,
    data: dict | None = None,
    initial: dict | None = None,
) -> EventForm:
    return EventForm(
        data,
        initial=initial,
        today=clock.today,
        first_order_on=first_order_on,
        switch_url=reverse("workspace:log", args=[account.pk]),
        auto_id="log-%s",
    )


def log_card(
    *,
    account: Account,
    user: User,
    clock: Clock,
    may_write: bool | None = None,
    form: EventForm | None = None,
    initial: dict | None = None,
    editing: AccountEvent | None = None,
    edit_form: EventForm | None = None,
    notice: str = "",
    first_order_on: "dt.date | None | Unknown" = UNKNOWN,
) -> LogCard:
    """The log: the latest entries, and for a writer the form (a fresh one unless given); an
    entry being edited shows its form in its place."""
    if may_write is None:
        may_write = user_may_write(user=user, account=account)
    events = list(account.events.select_related("author")[:RECENT_EVENTS])
    if editing is not None and editing.pk not in {e.pk for e in events}:
        events.insert(0, editing)  # an older entry being edited still shows its form
    if may_write and form is None:
        first = (
            account_first_order_on(account=account)
            if isinstance(first_order_on, Unknown)
            else first_order_on
        )
        form = new_event_form(account=account, clock=clock, first_order_on=first, initial=initial)
    changeable = {
        e.pk for e in events if may_write and event_changeable_by(event=e, user=user, now=clock.now)
    }
    return LogCard(
        account=account,
        may_write=may_write,
        events=events,
        changeable=changeable,
        form=form if may_write else None,
        editing=editing.pk if editing is not None else None,
        edit_form=edit_form,
        notice=notice,
    )


def contacts_card(
    *,
    account: Account,
    user: User,
    clock: Clock,
    may_write: bool | None = None,
    add_form: ContactForm | None = None,
    editing: Contact | None = None,
    edit_form: forms.Form | None = None,
    ending: bool = False,
    notice: str = "",
    oob_log: LogCard | None = None,
) -> ContactsCard:
    """Current contacts (primary first) with their controls for a writer, then past ones."""
    if may_write is None:
        may_write = user_may_write(user=user, account=account)
    contacts = list(account.contacts.all())
    if may_write and add_form is None:
        add_form = ContactForm(today=clock.today, auto_id="contact-new-%s")
    return ContactsCard(
        account,
        may_write,
        current=[c for c in contacts if c.ended_on is None],
        past=[c for c in contacts if c.ended_on is not None],
        add_form=add_form if may_write else None,
        editing=editing.pk if editing is not None else None,
        edit_form=edit_form,
        ending=ending,
        notice=notice,
        oob_log=oob_log,
    )


def contact_end_form(*, contact: Contact, clock: Clock, data: dict | None = None) -> ContactEndForm:
    """Who may take over: the account's other current contacts (only asked of the primary)."""
    candidates = (
        list(
            Contact.objects.filter(account_id=contact.account_id, ended_on__isnull=True)
            .exclude(pk=contact.pk)
            .order_by("name")
        )
        if contact.is_primary
        else []
    )
    return ContactEndForm(
        data, contact=contact, candidates=candidates, today=clock.today, auto_id="contact-end-%s"
    )
