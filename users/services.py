"""Writes to people and teams: create, change, deactivate and reactivate a person, set their
password or make a one-time link for it; create and change teams.

Only admins change people (checked here as well as in the views); each change and its audit row
(UserChange) are written in one transaction. A refusal is a ValidationError that says what is
wrong, keyed by the form field it concerns where there is one.
"""

import logging
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from users.models import Language, Role, Team, User, UserChange, UserChangeKind

logger = logging.getLogger(__name__)

# The fields an admin edits on the people pages, in the order the audit lists them.
EDITABLE = ("first_name", "last_name", "email", "role", "team", "language")

# Sent by `user_access_end` with `user=`: the apps above this one that give other ways in (the
# API's tokens) end them here, so that this app need not know them.
access_ended = Signal()


def _require_admin(by: User) -> None:
    if not (by.is_active and by.is_admin_role):
        raise PermissionDenied


def _audit(
    kind: str,
    *,
    by: User,
    user: User | None = None,
    team: Team | None = None,
    details: dict[str, Any] | None = None,
) -> UserChange:
    """One audit row; `details` holds the changed fields (never a password)."""
    return UserChange.objects.create(kind=kind, by=by, user=user, team=team, details=details or {})


def _value(user: User, field: str) -> str:
    """What the audit keeps of a field: a team by its name, anything else as stored."""
    if field == "team":
        return user.team.name if user.team is not None else ""
    return str(getattr(user, field))


def _led_teams_refusal(user: User) -> str | None:
    names = ", ".join(user.led_teams.values_list("name", flat=True))
    if not names:
        return None
    return _("%(name)s leads %(teams)s: choose another lead for it first.") % {
        "name": user,
        "teams": names,
    }


def _owned_accounts_refusal(user: User) -> str | None:
    # Through the reverse relation: users sits below accounts and imports nothing of it.
    count = user.owned_accounts.count()
    if not count:
        return None
    return ngettext(
        "%(name)s manages %(count)d account: reassign it first.",
        "%(name)s manages %(count)d accounts: reassign them first.",
        count,
    ) % {"name": user, "count": count}


def user_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None,
    language: str,
    by: User,
) -> User:
    """A new person without a usable password: they get one directly or through a link."""
    _require_admin(by)
    with transaction.atomic():
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            role=role,
            team=team,
            language=language or Language.HEBREW,
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        recorded = {"role": role, "team": _value(user, "team")}
        _audit(UserChangeKind.CREATED, by=by, user=user, details=recorded)
    return user


def _check_role_change(*, user: User, role: str, by: User) -> None:
    if role == user.role:
        return
    if user.pk == by.pk:
        raise ValidationError({"role": _("You cannot change your own role.")})
    refusal = None
    if user.role == Role.SALES_MANAGER:
        refusal = _led_teams_refusal(user)
    elif user.role == Role.ACCOUNT_MANAGER:
        refusal = _owned_accounts_refusal(user)
    if refusal:
        raise ValidationError({"role": refusal})


def user_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None,
    language: str,
    by: User,
) -> User:
    """Change a person's name, e-mail, role, team or language; the audit keeps old and new."""
    _require_admin(by)
    fresh = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "role": role,
        "team": team,
        "language": language,
    }
    with transaction.atomic():
        # The stored row, not the caller's instance: a bound ModelForm has already changed that.
        locked = User.objects.select_for_update(of=("self",)).select_related("team")
        user = locked.get(pk=user.pk)
        _check_role_change(user=user, role=role, by=by)
        before = {field: _value(user, field) for field in EDITABLE}
        for field, value in fresh.items():
            setattr(user, field, value)
        user.full_clean()
        after = {field: _value(user, field) for field in EDITABLE}
        changed = {f: [before[f], after[f]] for f in EDITABLE if before[f] != after[f]}
        if changed:
            user.save(update_fields=[*EDITABLE])
            _audit(UserChangeKind.UPDATED, by=by, user=user, details=changed)
    return user


def user_access_end(*, user: User) -> None:
    """End every session of `user` now, on every device: raise their session generation, which
    each session's auth hash includes (User.get_session_auth_hash), so no stored session
    verifies any more; and every API token of the user is revoked (the `access_ended`
    receivers, api/tokens.py), so reactivating them later revives neither."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    access_ended.send(sender=User, user=user)


def user_deactivate(*, user: User, by: User) -> User:
    """Deactivate `user`: they can no longer sign in, and every session they have ends at once,
    so reactivating them later does not revive an old one. Saving `is_active=False` by any other
    path (the admin's form, the shell) ends the sessions too (users/signals.py). The accounts
    they own stay theirs until reassigned (the people page says how many)."""
    _require_admin(by)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    refusal = _led_teams_refusal(user)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])  # the pre_save receiver calls user_access_end
        _audit(UserChangeKind.DEACTIVATED, by=by, user=user)
    logger.info("User %s deactivated by %s", user.username, by.username)
    return user


def user_reactivate(*, user: User, by: User) -> User:
    _require_admin(by)
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        _audit(UserChangeKind.REACTIVATED, by=by, user=user)
    return user


def user_set_password(*, user: User, password: str, by: User) -> None:
    """Set `user`'s password directly; Django's password validators apply. Their other sessions
    end by themselves: a session remembers the password it was signed in with."""
    _require_admin(by)
    password_validation.validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        _audit(UserChangeKind.PASSWORD_SET, by=by, user=user)


def user_password_link_make(*, user: User, by: User) -> str:
    """The path of a one-time link at which `user` sets their own password.

    Django's PasswordResetTokenGenerator signs it with the user's password hash and last login,
    so it stops working once a password is set through it (or the user signs in), and after
    PASSWORD_RESET_TIMEOUT (three days by default)."""
    _require_admin(by)
    if not user.is_active:
        raise ValidationError(_("Reactivate this person before making a password link."))
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    _audit(UserChangeKind.PASSWORD_LINK, by=by, user=user)
    return reverse("people:password_confirm", kwargs={"uidb64": uidb64, "token": token})


def user_password_set_through_link(*, user: User) -> None:
    """Audit a password the person set themselves through a one-time link."""
    _audit(UserChangeKind.PASSWORD_SET, by=user, user=user, details={"through": "link"})


def _check_lead(manager: User) -> None:
    if not (manager.is_active and manager.role == Role.SALES_MANAGER):
        raise ValidationError({"manager": _("A team is led by an active sales manager.")})


def team_create(*, name: str, manager: User, by: User) -> Team:
    _require_admin(by)
    _check_lead(manager)
    with transaction.atomic():
        team = Team(name=name, manager=manager)
        team.full_clean()
        team.save()
        recorded = {"name": name, "manager": str(manager)}
        _audit(UserChangeKind.TEAM_CREATED, by=by, team=team, details=recorded)
    return team


def team_update(*, team: Team, name: str, manager: User, by: User) -> Team:
    """Rename a team or give it another lead; the audit keeps old and new."""
    _require_admin(by)
    _check_lead(manager)
    with transaction.atomic():
        team = (
            Team.objects.select_for_update(of=("self",)).select_related("manager").get(pk=team.pk)
        )
        changed = {}
        if team.name != name:
            changed["name"] = [team.name, name]
        if team.manager_id != manager.pk:
            changed["manager"] = [str(team.manager), str(manager)]
        team.name, team.manager = name, manager
        team.full_clean()
        if changed:
            team.save()
            _audit(UserChangeKind.TEAM_UPDATED, by=by, team=team, details=changed)
    return team
