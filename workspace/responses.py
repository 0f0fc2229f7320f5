"""How the workspace answers: htmx gets the card alone, to swap in place; a browser without
JavaScript gets the card on a page of its own, or after a write a redirect to the account page
with a message."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from accounts.models import Account
from workspace.cards import ContactsCard, LogCard


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def card_response(
    request: HttpRequest, *, template: str, card: LogCard | ContactsCard, title: str
) -> HttpResponse:
    if is_htmx(request):
        response = render(request, template, {"card": card})
    else:
        context = {"card": card, "card_template": template, "title": title}
        response = render(request, "workspace/page.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def written(
    request: HttpRequest,
    *,
    account: Account,
    message: str,
    anchor: str,
    card: Callable[[], LogCard | ContactsCard],
    template: str,
) -> HttpResponse:
    """After a write: htmx gets the fresh card with `message` in it; a plain form post is sent
    back to the account page, at the card, with `message` shown there."""
    if not is_htmx(request):
        messages.success(request, message)
        return redirect(reverse("accounts:detail", args=[account.pk]) + f"#{anchor}")
    response = render(request, template, {"card": card()})
    patch_vary_headers(response, ("HX-Request",))
    return response
