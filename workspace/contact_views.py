"""The contacts card's endpoints: add, edit, and record that a contact left. A change of the
primary contact logs an organisational change (accounts.contacts); htmx then gets the log card
too, swapped out of band, so the new entry shows at once."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import account_get_for_writer
from accounts.contacts import contact_add, contact_edit, contact_end
from accounts.models import Account, Contact
from accounts.selectors import account_get_for_user
from kam_portal.refusals import saved
from users.requests import AuthenticatedHttpRequest
from workspace.access import contact_get_for_writer
from workspace.cards import Clock, ContactsCard, contact_end_form, contacts_card, log_card
from workspace.forms import ContactForm
from workspace.responses import card_response, written

TEMPLATE = "workspace/_contacts.html"


def _respond(request: AuthenticatedHttpRequest, card: ContactsCard) -> HttpResponse:
    return card_response(request, template=TEMPLATE, card=card, title=_("Contacts"))


def _written(
    request: AuthenticatedHttpRequest,
    account: Account,
    clock: Clock,
    message: str,
    *,
    primary_changed: bool,
) -> HttpResponse:
    user = request.user

    def card() -> ContactsCard:
        log = log_card(account=account, user=user, clock=clock) if primary_changed else None
        return contacts_card(account=account, user=user, clock=clock, notice=message, oob_log=log)

    return written(
        request,
        account=account,
        message=message,
        anchor="account-contacts",
        card=card,
        template=TEMPLATE,
    )


@require_http_methods(["GET", "POST"])
def account_contacts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the card, for everyone who sees the account. POST: a writer adds a contact."""
    clock = Clock(timezone.now())
    if request.method == "GET":
        account = account_get_for_user(user=request.user, pk=pk)
        return _respond(request, contacts_card(account=account, user=request.user, clock=clock))
    account = account_get_for_writer(user=request.user, pk=pk)
    form = ContactForm(request.POST, today=clock.today, auto_id="contact-new-%s")

    def write() -> Contact:
        primary = form.cleaned_data["is_primary"]
        details = form.details()
        return contact_add(
            account=account,
            by=request.user,
            details=details,
            is_primary=primary,
            today=clock.today,
        )

    if saved(form, write):
        changed = form.cleaned_data["is_primary"]
        return _written(request, account, clock, _("Contact added."), primary_changed=changed)
    card = contacts_card(
        account=account, user=request.user, clock=clock, may_write=True, add_form=form
    )
    return _respond(request, card)


@require_http_methods(["GET", "POST"])
def contact_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct a contact's details, or make them the primary contact."""
    clock = Clock(timezone.now())
    contact = contact_get_for_writer(user=request.user, pk=pk)
    account = contact.account
    was_primary = contact.is_primary
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        initial=ContactForm.initial_from(contact),
        today=clock.today,
        auto_id="contact-edit-%s",
    )

    def write() -> Contact:
        return contact_edit(
            contact=contact,
            by=request.user,
            details=form.details(),
            is_primary=form.cleaned_data["is_primary"],
            today=clock.today,
        )

    if request.method == "POST" and saved(form, write):
        changed = form.cleaned_data["is_primary"] and not was_primary
        return _written(request, account, clock, _("Contact saved."), primary_changed=changed)
    card = contacts_card(
        account=account,
        user=request.user,
        clock=clock,
        may_write=True,
        editing=contact,
        edit_form=form,
    )
    return _respond(request, card)


@require_http_methods(["GET", "POST"])
def contact_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the day a contact left; the primary contact may name a successor."""
    clock = Clock(timezone.now())
    contact = contact_get_for_writer(user=request.user, pk=pk)
    account = contact.account
    form = contact_end_form(
        contact=contact, clock=clock, data=request.POST if request.method == "POST" else None
    )

    def write() -> Contact:
        return contact_end(
            contact=contact,
            by=request.user,
            ended_on=form.cleaned_data["ended_on"],
            successor=form.chosen_successor(),
            today=clock.today,
        )

    if request.method == "POST" and saved(form, write):
        changed = form.chosen_successor() is not None
        return _written(request, account, clock, _("Contact ended."), primary_changed=changed)
    card = contacts_card(
        account=account,
        user=request.user,
        clock=clock,
        may_write=True,
        editing=contact,
        edit_form=form,
        ending=True,
    )
    return _respond(request, card)
