"""The web shell: the home page per role and the language switch."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.figures import Window, account_list_with_figures, portal_totals, portfolio_by_owner
from users.forms import LanguageForm

HOME_PAGE_SIZE = 25


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own overview."""
    user = request.user
    window = Window(as_of=timezone.localdate())
    if user.is_admin_role:
        return render(request, "home/admin.html", {"totals": portal_totals(user=user)})
    if user.is_sales_manager:
        rows = portfolio_by_owner(user=user, window=window)
        context = {
            "rows": rows,
            "window": window,
            "total_accounts": sum(r.accounts for r in rows),
            "total_revenue_12m": sum(r.revenue_12m for r in rows),
        }
        return render(request, "home/sales_manager.html", context)
    accounts = account_list_with_figures(user=user, window=window)
    page = Paginator(accounts, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "home/account_manager.html", {"page": page, "window": window})


def _safe_next(request: HttpRequest, target: str) -> str:
    """Only ever redirect back into this site."""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else reverse("home")


@login_not_required  # the login page offers the switch too
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Remember the language on the user (signed in) and in the cookie (login page, too)."""
    form = LanguageForm(request.POST)
    target = _safe_next(request, request.POST.get("next", ""))
    if not form.is_valid():
        messages.error(request, _("Unknown language: choose one of the languages offered."))
        return HttpResponseRedirect(target)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
