"""The audit log at /audit/: admins see every change; a sales manager the changes to the accounts
they may see. Account managers have no audit page."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from accounts.selectors import account_list_visible_to
from audit.entries import audit_page
from users.requests import AuthenticatedHttpRequest

PAGE_SIZE = 50


def _before(request: AuthenticatedHttpRequest) -> dt.datetime:
    """Where the page starts: `?before=` (the older-entries link), or now."""
    moment = parse_datetime(request.GET.get("before", "") or "")
    if moment is None or timezone.is_naive(moment):
        return timezone.now()
    return moment


@require_safe
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_admin_role or user.is_sales_manager):
        raise PermissionDenied
    accounts = None if user.is_admin_role else account_list_visible_to(user=user)
    page = audit_page(before=_before(request), limit=PAGE_SIZE, accounts=accounts)
    return render(request, "audit/audit_log.html", {"page": page, "everything": accounts is None})
