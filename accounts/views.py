"""Customer account pages: the list and one account. Reads go through the selectors."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.figures import Window, account_detail_context, account_list_with_figures
from accounts.filters import AccountFilterForm
from accounts.selectors import account_get_for_user

LIST_PAGE_SIZE = 50


def account_list(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET or None, user=request.user)
    # An invalid filter is dropped and named in a message; the valid ones still apply.
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        messages.warning(
            request,
            _("Filter “%(field)s” ignored: %(error)s") % {"field": label, "error": errors[0]},
        )
    filters = form.selector_kwargs()
    window = Window(as_of=timezone.localdate())
    accounts = account_list_with_figures(user=request.user, window=window, **filters)
    page = Paginator(accounts, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "window": window, "sort": filters["sort"]}
    return render(request, "accounts/account_list.html", context)


def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_get_for_user(user=request.user, pk=pk)
    window = Window(as_of=timezone.localdate())
    context = {
        "account": account,
        "window": window,
        **account_detail_context(account=account, window=window),
        # Later sections add their context here with one selector call each.
    }
    return render(request, "accounts/account_detail.html", context)
