"""The account page's workspace cards: `{% account_workspace account as workspace %}`, then
`{% include "workspace/_log.html" with card=workspace.log %}` and
`{% include "workspace/_contacts.html" with card=workspace.contacts %}`. One tag for both, so
the write rule is asked once per page."""

import datetime as dt
from dataclasses import dataclass

from django import template
from django.utils import timezone

from accounts.access import user_may_write
from accounts.models import Account
from workspace.cards import UNKNOWN, Clock, ContactsCard, LogCard, Unknown, contacts_card, log_card

register = template.Library()


@dataclass(frozen=True)
class Workspace:
    log: LogCard
    contacts: ContactsCard


@register.simple_tag(takes_context=True)
def account_workspace(
    context: template.Context,
    account: Account,
    first_order_on: "dt.date | None | Unknown" = UNKNOWN,
) -> Workspace:
    """The account page's log and contacts cards; the page passes the first order's date it
    already has (accounts.figures), sparing the log's date rule a query."""
    user = context["request"].user
    clock = Clock(timezone.now())
    may_write = user_may_write(user=user, account=account)
    return Workspace(
        log=log_card(
            account=account,
            user=user,
            clock=clock,
            may_write=may_write,
            first_order_on=first_order_on,
        ),
        contacts=contacts_card(account=account, user=user, clock=clock, may_write=may_write),
    )
