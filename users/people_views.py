"""The people pages at /people/: admins manage people and teams without the Django admin; a
sales manager reads the members of their teams. Thin views: fetch through users.access, call
one service, say what happened."""

import logging
import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kam_portal.refusals import add_refusal
from users import services
from users.access import (
    person_for_user,
    require_people_admin,
    team_for_user,
    user_may_read_people,
)
from users.audit import DetailLine, describe
from users.forms import PeopleFilterForm, PersonForm, TeamForm
from users.models import User, UserChange
from users.requests import AuthenticatedHttpRequest
from users.selectors import (
    people_filtered,
    people_visible_to,
    teams_with_leads,
    user_change_list,
)

logger = logging.getLogger(__name__)
PAGE_SIZE = 50
CHANGES_SHOWN = 30


def _posted(request: AuthenticatedHttpRequest) -> QueryDict | None:
    """The posted data, bound even when empty: an empty post is a form with errors (400)."""
    return request.POST if request.method == "POST" else None


def _with_lines(changes: QuerySet[UserChange]) -> list[tuple[UserChange, list[DetailLine]]]:
    return [(change, describe(change.details)) for change in changes[:CHANGES_SHOWN]]


def people_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not user_may_read_people(request.user):
        raise PermissionDenied
    form = PeopleFilterForm(request.GET or None)
    people = people_filtered(people_visible_to(user=request.user), **form.selector_kwargs())
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_change": request.user.is_admin_role}
    return render(request, "people/people_list.html", context)


def person_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_people_admin(request.user)
    form = PersonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.user_create(
                username=form.cleaned_data["username"], by=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was added. Set a password or make a one-time link below.")
                % {"name": person},
            )
            return redirect("people:detail", pk=person.pk)
    status = 400 if form.errors else 200
    return render(request, "people/person_form.html", {"form": form}, status=status)


def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A person's details, status, password and history; admins change them here."""
    write = request.method == "POST"
    person = person_for_user(user=request.user, pk=pk, write=write)  # a write: admins only
    form = PersonForm(_posted(request), instance=person) if request.user.is_admin_role else None
    if write and form is not None and form.is_valid():
        try:
            services.user_update(user=person, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", pk=person.pk)
    if write:
        person.refresh_from_db()  # a bound form changes its instance: show what is stored
    return _render_person(request, person, form=form, status=400 if write else 200)


def _render_person(
    request: AuthenticatedHttpRequest,
    person: User,
    *,
    form: PersonForm | None,
    password_form: SetPasswordForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_change = request.user.is_admin_role
    if password_form is None and may_change:
        password_form = SetPasswordForm(person)
    context = {
        "person": person,
        "may_change": may_change,
        "form": form,
        "password_form": password_form,
        "owned_accounts": person.owned_accounts.count(),
        "led_teams": list(person.led_teams.all()),
        "changes": _with_lines(user_change_list(user=person)),
    }
    return render(request, "people/person_detail.html", context, status=status)


@require_POST
def person_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = person_for_user(user=request.user, pk=pk, write=True)
    try:
        services.user_deactivate(user=person, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("%(name)s is deactivated: their sessions have ended.") % {"name": person}
        )
    return redirect("people:detail", pk=person.pk)


@require_POST
def person_reactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = person_for_user(user=request.user, pk=pk, write=True)
    services.user_reactivate(user=person, by=request.user)
    messages.success(request, _("%(name)s can sign in again.") % {"name": person})
    return redirect("people:detail", pk=person.pk)


@require_POST
def person_password(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Set a password directly; Django's password validators show as the form's errors."""
    person = person_for_user(user=request.user, pk=pk, write=True)
    form = SetPasswordForm(person, request.POST)
    if form.is_valid():
        password = form.cleaned_data["new_password1"]
        services.user_set_password(user=person, password=password, by=request.user)
        if person.pk == request.user.pk:  # keep the admin signed in
            update_session_auth_hash(request, person)
        messages.success(request, _("Password set. Tell %(name)s in person.") % {"name": person})
        return redirect("people:detail", pk=person.pk)
    return _render_person(
        request, person, password_form=form, form=PersonForm(instance=person), status=400
    )


@require_POST
def person_password_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Make a one-time link, e-mail it where the person has an address, and show it for copying
    (small companies may have no mail set up)."""
    person = person_for_user(user=request.user, pk=pk, write=True)
    try:
        path = services.user_password_link_make(user=person, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("people:detail", pk=person.pk)
    link, valid_days = request.build_absolute_uri(path), _valid_days()
    sent = _send_link(person, link, valid_days)
    context = {"person": person, "link": link, "valid_days": valid_days, "sent": sent}
    return render(request, "people/password_link.html", context)


def _valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400)


def _send_link(person: User, link: str, valid_days: int) -> bool:
    """E-mail the link in the person's language; False when there is no address or mail fails."""
    if not person.email:
        return False
    with translation.override(person.language):
        subject = _("Set your KAM Portal password")
        context = {"person": person, "link": link, "valid_days": valid_days}
        body = render_to_string("people/password_link_email.txt", context)
    try:
        send_mail(subject, body, None, [person.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not e-mail the password link to user %s", person.pk)
        return False
    return True


class PasswordFromLinkView(auth_views.PasswordResetConfirmView):
    """Django's own page for a one-time link, in the portal's layout; the change is audited."""

    template_name = "people/password_set.html"
    success_url = reverse_lazy("people:password_done")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.user_password_set_through_link(user=form.user)
        return response


class PasswordDoneView(auth_views.PasswordResetCompleteView):
    template_name = "people/password_done.html"


def team_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every team with its lead and size; admins add a team here."""
    require_people_admin(request.user)
    form = TeamForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Team %(name)s added.") % {"name": team})
            return redirect("people:teams")
    context = {"form": form, "teams": teams_with_leads()}
    return render(request, "people/team_list.html", context, status=400 if form.errors else 200)


def team_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Rename a team or set who leads it."""
    team = team_for_user(user=request.user, pk=pk)
    form = TeamForm(_posted(request), instance=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=team, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:teams")
    if form.errors:
        team.refresh_from_db()  # a bound form changes its instance: show what is stored
    context = {"form": form, "team": team, "changes": _with_lines(user_change_list(team=team))}
    return render(request, "people/team_form.html", context, status=400 if form.errors else 200)
