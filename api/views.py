"""The token pages: every signed-in person's own tokens at /profile/tokens/ (create, list,
revoke), and the admins' service accounts at /profile/service-accounts/. A new key is shown
once, in the answer to the POST that made it, and never again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api import tokens
from api.forms import ServiceAccountForm, ServiceTokenForm, TokenForm
from api.models import TokenScope
from segmentation.access import require_admin
from users.requests import AuthenticatedHttpRequest


def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    key = None
    if request.method == "POST":
        if not form.is_valid():
            return _tokens_page(request, form, status=400)
        _token, key = tokens.token_create(user=request.user, by=request.user, **form.cleaned_data)
        form = TokenForm()
    return _tokens_page(request, form, key=key)


def _tokens_page(
    request: AuthenticatedHttpRequest, form: TokenForm, key: str | None = None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "key": key, "tokens": tokens.tokens_of(user=request.user)}
    return render(request, "api/tokens.html", context, status=status)


@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = tokens.token_for_user(user=request.user, pk=pk)
    if tokens.token_revoke(token=token, by=request.user):
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    if token.user_id != request.user.pk:  # an admin revoking a service account's token
        return redirect("tokens:service_accounts")
    return redirect("tokens:list")


def service_accounts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Admins: the service accounts and their tokens; POST adds a service account."""
    require_admin(request.user)
    form = ServiceAccountForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                tokens.service_account_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Service account created: give it a token below."))
                return redirect("tokens:service_accounts")
        return _service_page(request, form, status=400)
    return _service_page(request, form)


def _service_page(
    request: AuthenticatedHttpRequest,
    form: ServiceAccountForm,
    key: str | None = None,
    status: int = 200,
) -> HttpResponse:
    accounts = tokens.service_accounts().prefetch_related("api_tokens")
    context = {"form": form, "accounts": accounts, "key": key, "token_form": ServiceTokenForm()}
    return render(request, "api/service_accounts.html", context, status=status)


@require_POST
def service_account_token(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Admins: a new import-only token for a service account, shown once."""
    require_admin(request.user)
    account = get_object_or_404(tokens.service_accounts().filter(is_active=True), pk=pk)
    form = ServiceTokenForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("name", []):
            messages.error(request, str(error))
        return _service_page(request, ServiceAccountForm(), status=400)
    _token, key = tokens.token_create(
        user=account, name=form.cleaned_data["name"], scope=TokenScope.IMPORT_ONLY, by=request.user
    )
    return _service_page(request, ServiceAccountForm(), key=key)
