"""One fetch, two answers, for the objects in the workspace's URLs: an entry of the log and a
contact. A user who may not see the account gets a 404; one who only reads it, a 403; and an
entry is changed only by its author within 24 hours (accounts.events), otherwise a 403."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.access import user_may_write
from accounts.events import event_changeable_by
from accounts.models import AccountEvent, Contact
from accounts.selectors import account_list_visible_to
from users.models import User


def event_get_for_change(*, user: User, pk: int, now: dt.datetime) -> AccountEvent:
    event = get_object_or_404(
        AccountEvent.objects.select_related("account"),
        pk=pk,
        account__in=account_list_visible_to(user=user),
    )
    if not event_changeable_by(event=event, user=user, now=now):
        raise PermissionDenied
    if not user_may_write(user=user, account=event.account):
        raise PermissionDenied
    return event


def contact_get_for_writer(*, user: User, pk: int) -> Contact:
    contact = get_object_or_404(
        Contact.objects.select_related("account"),
        pk=pk,
        account__in=account_list_visible_to(user=user),
    )
    if not user_may_write(user=user, account=contact.account):
        raise PermissionDenied
    return contact
