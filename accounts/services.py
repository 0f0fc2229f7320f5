"""Writes to accounts: reassign an account, add or remove an account-team member.

Each change and its audit row (AccountChange) are written in one transaction, on the account row
locked first, and each service checks who may (accounts.access) as well as the views do. A
refusal is a ValidationError whose message says what is wrong, for a person to read.

Access follows at once: the visibility rule reads `owner` and the account team live. Segments and
the programme are the nightly run's: they follow at the next run.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import (
    accounts_refused_for_reassign,
    reassign_targets,
    team_member_candidates,
    user_may_manage_team,
)
from accounts.models import Account, AccountChange, AccountChangeKind
from accounts.versions import version_changed
from users.models import User

# How many refused accounts a message names before it says "and N more".
NAMED_IN_MESSAGE = 10


def _names(accounts: Sequence[Account]) -> str:
    named = ", ".join(str(a) for a in accounts[:NAMED_IN_MESSAGE])
    rest = len(accounts) - NAMED_IN_MESSAGE
    if rest > 0:
        named += " " + ngettext("and %(n)d more", "and %(n)d more", rest) % {"n": rest}
    return named


def _check_reassign(*, to: User, by: User, reason: str) -> None:
    # Errors name their field ("reason", "to"), so a form or an API client can show them there.
    if not reason:
        error = ValidationError(_("Give a reason for the reassignment."), code="reason")
        raise ValidationError({"reason": error})
    if not reassign_targets(user=by).filter(pk=to.pk).exists():
        error = ValidationError(
            _(
                "%(name)s cannot take accounts from you: choose an active account manager of "
                "your teams."
            )
            % {"name": to},
            code="target",
        )
        raise ValidationError({"to": error})


def account_reassign_many(
    *, accounts: Sequence[Account], to: User, by: User, reason: str
) -> list[AccountChange]:
    """Give every one of `accounts` to `to`, or none of them: if `by` may not reassign one, the
    error names it and nothing changes. Accounts `to` owns already are left as they are."""
    reason = reason.strip()
    _check_reassign(to=to, by=by, reason=reason)
    if not accounts:
        raise ValidationError(_("Select at least one account."), code="empty")
    with transaction.atomic():
        # Locked in id order, so two managers moving overlapping selections cannot deadlock.
        locked = list(
            Account.objects.select_for_update()
            .filter(pk__in=[a.pk for a in accounts])
            .order_by("pk")
        )
        refused = accounts_refused_for_reassign(user=by, accounts=locked)
        if refused:
            raise ValidationError(
                _("You may not reassign %(accounts)s. Nothing was changed.")
                % {"accounts": _names(refused)},
                code="not_allowed",
            )
        moving = [a for a in locked if a.owner_id != to.pk]
        Account.objects.filter(pk__in=[a.pk for a in moving]).update(
            owner=to, updated_at=timezone.now()
        )
        changes = AccountChange.objects.bulk_create(
            AccountChange(
                account=a,
                kind=AccountChangeKind.REASSIGNED,
                by=by,
                from_user_id=a.owner_id,
                to_user=to,
                reason=reason,
            )
            for a in moving
        )
        _owner_leaves_team(accounts=moving, owner=to, by=by)
        # update() sends no signal: the cached pages must learn of the new owners here.
        version_changed()
    return changes


def _owner_leaves_team(*, accounts: Sequence[Account], owner: User, by: User) -> None:
    """The new owner no longer needs a place on the account team; the change is audited."""
    through = Account.team_members.through
    on_team = through.objects.filter(user=owner, account__in=[a.pk for a in accounts])
    account_ids = list(on_team.values_list("account_id", flat=True))
    on_team.delete()
    AccountChange.objects.bulk_create(
        AccountChange(
            account_id=pk, kind=AccountChangeKind.TEAM_MEMBER_REMOVED, by=by, from_user=owner
        )
        for pk in account_ids
    )


def account_reassign(*, account: Account, to: User, by: User, reason: str) -> AccountChange:
    """Give `account` to `to`, with `by`'s reason."""
    changes = account_reassign_many(accounts=[account], to=to, by=by, reason=reason)
    if not changes:
        raise ValidationError(
            _("%(name)s already owns this account.") % {"name": to}, code="unchanged"
        )
    account.owner = to
    return changes[0]


def _lock(account: Account, *, by: User) -> Account:
    """The account row, locked, if `by` may change its account team (checked on the fresh row)."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if not user_may_manage_team(user=by, account=account):
        raise ValidationError(_("You may not change this account team."), code="not_allowed")
    return account


def account_team_add(*, account: Account, user: User, by: User) -> AccountChange:
    """Put `user` on the account team."""
    with transaction.atomic():
        account = _lock(account, by=by)
        if not team_member_candidates(user=by, account=account).filter(pk=user.pk).exists():
            raise ValidationError(
                _(
                    "%(name)s cannot join this account team: a member is an active account "
                    "manager of the owner's teams who is neither the owner nor on the team yet."
                )
                % {"name": user},
                code="candidate",
            )
        account.team_members.add(user)
        return AccountChange.objects.create(
            account=account, kind=AccountChangeKind.TEAM_MEMBER_ADDED, by=by, to_user=user
        )


def account_team_remove(*, account: Account, user: User, by: User) -> AccountChange:
    """Take `user` off the account team."""
    with transaction.atomic():
        account = _lock(account, by=by)
        if not account.team_members.filter(pk=user.pk).exists():
            raise ValidationError(
                _("%(name)s is not on this account team.") % {"name": user}, code="not_member"
            )
        account.team_members.remove(user)
        return AccountChange.objects.create(
            account=account, kind=AccountChangeKind.TEAM_MEMBER_REMOVED, by=by, from_user=user
        )
