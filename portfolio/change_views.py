"""The manager's controls on accounts: reassign one account (account page) or a selection
(account list), add and remove account-team members. Thin views: fetch through accounts.access,
call one service, say what happened. The forms post and redirect, so they work without
JavaScript; the account-team form answers an htmx request with its card alone."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import (
    account_for_reassign,
    account_for_team_change,
    user_may_manage_team,
    user_may_reassign,
    user_may_reassign_some,
)
from accounts.models import Account
from accounts.selectors import account_change_list
from accounts.services import (
    account_reassign,
    account_reassign_many,
    account_team_add,
    account_team_remove,
)
from portfolio.forms import BulkReassignForm, ReassignForm, TeamMemberForm
from users.models import User
from users.requests import AuthenticatedHttpRequest

CHANGES_SHOWN = 20


def account_controls_context(*, user: User, account: Account) -> dict:
    """What the account page needs for its controls: the change history, and the reassign and
    account-team forms where `user` may use them. A handful of queries, whatever the history."""
    if account.owner_id is not None:  # the rule and the page read the owner and its team
        account.owner = User.objects.select_related("team").get(pk=account.owner_id)
    may_reassign = user_may_reassign(user=user, account=account)
    # Whoever may reassign the account may change its team: one check spared.
    may_manage_team = may_reassign or user_may_manage_team(user=user, account=account)
    return {
        "changes": list(account_change_list(account=account)[:CHANGES_SHOWN]),
        "reassign_form": ReassignForm(user=user, account=account) if may_reassign else None,
        "may_manage_team": may_manage_team,
        "team_form": TeamMemberForm(user=user, account=account) if may_manage_team else None,
    }


def _first_error(form: BaseForm) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])


@require_POST
def reassign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = account_for_reassign(user=request.user, pk=pk)
    form = ReassignForm(request.POST, user=request.user, account=account)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("accounts:detail", pk=account.pk)
    to, reason = form.cleaned_data["to"], form.cleaned_data["reason"]
    try:
        account_reassign(account=account, to=to, by=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _(
                "%(name)s now manages this account. Segments and programme status follow at "
                "the next nightly run."
            )
            % {"name": to},
        )
    return redirect("accounts:detail", pk=account.pk)


def _back_to_list(request: AuthenticatedHttpRequest) -> str:
    """The account list with the filters it was posted from; nowhere else."""
    target, list_url = request.POST.get("next", ""), reverse("accounts:list")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed and target.startswith(list_url) else list_url


@require_POST
def reassign_selected(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reassign the ticked rows of the account list: all of them, or none and say why."""
    if not user_may_reassign_some(user=request.user):
        raise PermissionDenied
    back = _back_to_list(request)
    form = BulkReassignForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(back)
    data = form.cleaned_data
    try:
        changes = account_reassign_many(
            accounts=data["accounts"], to=data["to"], by=request.user, reason=data["reason"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    unchanged = len(data["accounts"]) - len(changes)
    messages.success(request, _reassigned_message(len(changes), unchanged, data["to"]))
    return redirect(back)


def _reassigned_message(moved: int, unchanged: int, to: User) -> str:
    text = ngettext(
        "%(count)d account reassigned to %(name)s.",
        "%(count)d accounts reassigned to %(name)s.",
        moved,
    ) % {"count": moved, "name": to}
    if unchanged:
        text += " " + ngettext(
            "%(count)d was already theirs.", "%(count)d were already theirs.", unchanged
        ) % {"count": unchanged}
    return f"{text} {_('Segments and programme status follow at the next nightly run.')}"


def _team_response(
    request: AuthenticatedHttpRequest,
    account: Account,
    *,
    form: TeamMemberForm | None = None,
    done: str = "",
) -> HttpResponse:
    """An htmx request gets the account-team card back; a plain post goes back to the page."""
    failed = form is not None and bool(form.errors)
    if request.headers.get("HX-Request") != "true":
        if form is not None and failed:
            messages.error(request, _first_error(form))
        else:
            messages.success(request, done)
        return redirect("accounts:detail", pk=account.pk)
    context = {
        "account": account,
        "team_members": list(account.team_members.order_by("first_name", "username")),
        "may_manage_team": True,
        "team_form": form if failed else TeamMemberForm(user=request.user, account=account),
        "team_done": "" if failed else done,
    }
    return render(request, "portfolio/_account_team.html", context)


@require_POST
def team_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = account_for_team_change(user=request.user, pk=pk)
    form = TeamMemberForm(request.POST, user=request.user, account=account)
    if form.is_valid():
        member = form.cleaned_data["user"]
        try:
            account_team_add(account=account, user=member, by=request.user)
        except ValidationError as error:
            form.add_error("user", error)
        else:
            done = _("%(name)s joined the account team.") % {"name": member}
            return _team_response(request, account, done=done)
    return _team_response(request, account, form=form)


@require_POST
def team_remove(request: AuthenticatedHttpRequest, pk: int, user_pk: int) -> HttpResponse:
    account = account_for_team_change(user=request.user, pk=pk)
    member = get_object_or_404(account.team_members, pk=user_pk)
    try:
        account_team_remove(account=account, user=member, by=request.user)
    except ValidationError as error:  # removed by someone else a moment ago: say so
        return _team_response(request, account, done=error.messages[0])
    done = _("%(name)s left the account team.") % {"name": member}
    return _team_response(request, account, done=done)
