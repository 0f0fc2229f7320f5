"""Pages that compose several apps: the home page per role, the account list (with segment and
churn-risk columns) and the account page (with the sections of segmentation and assessments).
Reads go through the selectors; every list starts from the one visibility rule."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import user_may_reassign_some
from accounts.figures import account_detail_context, portal_totals
from accounts.periods import Window
from accounts.selectors import account_get_for_user
from accounts.versions import cached_per_version
from portfolio.change_views import account_controls_context
from portfolio.charts import dashboard_charts, figure_links
from portfolio.dashboard import dashboard_cached
from portfolio.filters import PortfolioFilterForm, PortfolioFilters
from portfolio.forms import BulkReassignForm
from portfolio.list_pages import account_list_page
from portfolio.owners import portfolio_by_owner
from segmentation.models import NightlyRun
from users.models import User
from users.requests import AuthenticatedHttpRequest

HOME_PAGE_SIZE = 25
LIST_PAGE_SIZE = 50


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each role lands on its own overview."""
    user = request.user
    if user.is_admin_role:
        return render(request, "portfolio/home_admin.html", {"totals": portal_totals_cached(user)})
    if user.is_sales_manager:
        table = cached_per_version(
            f"owners:{user.pk}:{NightlyRun.objects.latest_complete_pk()}",
            lambda: portfolio_by_owner(user=user),
        )
        return render(request, "portfolio/home_sales_manager.html", {"table": table})
    window = Window(as_of=timezone.localdate())
    page = account_list_page(
        user=user,
        window=window,
        filters=PortfolioFilters(),
        sort="name",
        number=request.GET.get("page"),
        per_page=HOME_PAGE_SIZE,
    )
    context = {"page": page, "window": window}
    return render(request, "portfolio/home_account_manager.html", context)


def portal_totals_cached(user: User) -> dict:
    """The admin's headcounts, once per version of the data: summing every customer's months
    takes about a second at 5 million orders, and imports give the data a new version."""
    return cached_per_version(f"portal-totals:{user.pk}", lambda: portal_totals(user=user))


def filter_form(request: AuthenticatedHttpRequest) -> PortfolioFilterForm:
    """The shared filters from the query string; an invalid one is dropped and named in a
    message, and the valid ones still apply."""
    form = PortfolioFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        for label, error in form.invalid():
            messages.warning(
                request,
                _("Filter “%(field)s” ignored: %(error)s") % {"field": label, "error": error},
            )
    return form


def account_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = filter_form(request)
    window = Window(as_of=timezone.localdate())
    page = account_list_page(
        user=request.user,
        window=window,
        filters=form.filters(),
        sort=form.chosen_sort(),
        number=request.GET.get("page"),
        per_page=LIST_PAGE_SIZE,
    )
    context = {"form": form, "page": page, "window": window, "sort": form.chosen_sort()}
    if user_may_reassign_some(user=request.user):
        context["bulk_form"] = BulkReassignForm(user=request.user)
    return render(request, "portfolio/account_list.html", context)


def account_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = account_get_for_user(user=request.user, pk=pk)
    window = Window(as_of=timezone.localdate())
    context = {
        "account": account,
        "window": window,
        **account_detail_context(account=account, window=window),
        **account_controls_context(user=request.user, account=account),
    }
    return render(request, "portfolio/account_detail.html", context)


@require_safe
def dashboard_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The portfolio dashboard; an htmx request (a filter changed) gets only its body."""
    form = filter_form(request)
    filters = form.filters()
    board = dashboard_cached(user=request.user, filters=filters, today=timezone.localdate())
    context = {
        "form": form,
        "board": board,
        "charts": dashboard_charts(board, filters),
        "links": figure_links(filters),
        "narrowed": filters.is_narrowed(),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "portfolio/_dashboard_body.html", context)
    return render(request, "portfolio/dashboard.html", context)
