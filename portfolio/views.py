"""Pages that compose several apps: the home page per role, the account list (with segment and
churn-risk columns) and the account page (with the sections of segmentation and assessments).
Reads go through the selectors; every list starts from the one visibility rule."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import user_may_reassign_some
from accounts.figures import account_detail_context, portal_totals, portfolio_by_owner
from accounts.periods import Window
from accounts.selectors import account_get_for_user
from portfolio.change_views import account_controls_context
from portfolio.filters import AccountFilterForm
from portfolio.forms import BulkReassignForm
from portfolio.selectors import account_list_with_figures

HOME_PAGE_SIZE = 25
LIST_PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own overview."""
    user = request.user
    window = Window(as_of=timezone.localdate())
    if user.is_admin_role:
        return render(request, "portfolio/home_admin.html", {"totals": portal_totals(user=user)})
    if user.is_sales_manager:
        rows = portfolio_by_owner(user=user, window=window)
        context = {
            "rows": rows,
            "window": window,
            "total_accounts": sum(r.accounts for r in rows),
            "total_revenue_12m": sum(r.revenue_12m for r in rows),
        }
        return render(request, "portfolio/home_sales_manager.html", context)
    accounts = account_list_with_figures(user=user, window=window)
    page = Paginator(accounts, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "window": window}
    return render(request, "portfolio/home_account_manager.html", context)


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
    if user_may_reassign_some(user=request.user):
        context["bulk_form"] = BulkReassignForm(user=request.user)
    return render(request, "portfolio/account_list.html", context)


def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_get_for_user(user=request.user, pk=pk)
    window = Window(as_of=timezone.localdate())
    context = {
        "account": account,
        "window": window,
        **account_detail_context(account=account, window=window),
        **account_controls_context(user=request.user, account=account),
    }
    return render(request, "portfolio/account_detail.html", context)
