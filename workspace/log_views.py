"""The log card's endpoints: log an entry, and edit or delete one's own entry for 24 hours.
Each fetches through an access helper (404 foreign, 403 read-only) and calls one service."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import account_get_for_writer
from accounts.events import (
    account_event_delete,
    account_event_edit,
    account_event_log,
    account_first_order_on,
)
from accounts.models import Account
from accounts.selectors import account_get_for_user
from kam_portal.refusals import saved
from users.requests import AuthenticatedHttpRequest
from workspace.access import event_get_for_change
from workspace.cards import Clock, LogCard, log_card, new_event_form
from workspace.forms import EventForm
from workspace.responses import card_response, written

TEMPLATE = "workspace/_log.html"


def _respond(request: AuthenticatedHttpRequest, card: LogCard) -> HttpResponse:
    return card_response(request, template=TEMPLATE, card=card, title=_("Log"))


def _written(
    request: AuthenticatedHttpRequest, account: Account, clock: Clock, message: str
) -> HttpResponse:
    def card() -> LogCard:
        return log_card(account=account, user=request.user, clock=clock, notice=message)

    return written(
        request,
        account=account,
        message=message,
        anchor="account-log",
        card=card,
        template=TEMPLATE,
    )


@require_http_methods(["GET", "POST"])
def account_log(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the card, for everyone who sees the account (htmx asks again when the kind
    changes, with what was typed). POST: a writer logs an entry."""
    clock = Clock(timezone.now())
    if request.method == "POST":
        return _log_entry(request, pk, clock)
    account = account_get_for_user(user=request.user, pk=pk)
    initial = EventForm.initial_from_query(request.GET)
    return _respond(
        request, log_card(account=account, user=request.user, clock=clock, initial=initial)
    )


def _log_entry(request: AuthenticatedHttpRequest, pk: int, clock: Clock) -> HttpResponse:
    account = account_get_for_writer(user=request.user, pk=pk)
    first = account_first_order_on(account=account)
    form = new_event_form(account=account, clock=clock, first_order_on=first, data=request.POST)

    def write() -> object:
        return account_event_log(
            account=account, by=request.user, today=clock.today, **form.entry()
        )

    if saved(form, write):
        return _written(request, account, clock, _("Logged."))
    card = log_card(account=account, user=request.user, clock=clock, may_write=True, form=form)
    return _respond(request, card)


@require_http_methods(["GET", "POST"])
def event_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The author corrects an entry within 24 hours: its form in its place in the list."""
    clock = Clock(timezone.now())
    event = event_get_for_change(user=request.user, pk=pk, now=clock.now)
    account = event.account
    first = account_first_order_on(account=account)
    form = EventForm(
        request.POST if request.method == "POST" else None,
        initial=EventForm.initial_from(event) | EventForm.initial_from_query(request.GET),
        today=clock.today,
        first_order_on=first,
        switch_url=reverse("workspace:event_edit", args=[event.pk]),
        auto_id="edit-%s",
    )

    def write() -> object:
        return account_event_edit(
            event=event, by=request.user, now=clock.now, today=clock.today, **form.entry()
        )

    if request.method == "POST" and saved(form, write):
        return _written(request, account, clock, _("Saved."))
    new = new_event_form(account=account, clock=clock, first_order_on=first)
    card = log_card(
        account=account,
        user=request.user,
        clock=clock,
        may_write=True,
        form=new,
        editing=event,
        edit_form=form,
    )
    return _respond(request, card)


@require_POST
def event_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The author deletes an entry within 24 hours; the history keeps it (accounts.events)."""
    clock = Clock(timezone.now())
    event = event_get_for_change(user=request.user, pk=pk, now=clock.now)
    account = event.account
    account_event_delete(event=event, by=request.user, now=clock.now)
    return _written(request, account, clock, _("Deleted."))
