"""The API's one way to fetch what a user may see and change, made of the portal's own rules:
the visibility rule (accounts.selectors), who fills an account's records (assessments.access)
and who may pin or configure segmentation (segmentation.access). A foreign object is a 404
that does not confirm it exists; a visible one the user may not change is a 403 on write.
Every view of api/v1 goes through here; nothing filters by owner anywhere else."""

from collections.abc import Callable
from operator import attrgetter
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework.request import Request

from accounts.access import user_may_reassign, user_may_write
from accounts.models import Account
from accounts.selectors import account_get_for_user, account_list_visible_to
from assessments.access import user_may_fill
from segmentation.access import require_admin, user_may_pin
from users.models import User
from users.requests import signed_in_user

M = TypeVar("M", bound=Model)
# A write rule: may `user` change this account (or what hangs on it)?
WriteRule = Callable[[User, Account], bool]


def fills(user: User, account: Account) -> bool:
    """The account team (owner and members): assessments."""
    return user_may_fill(user=user, account=account)


def writes(user: User, account: Account) -> bool:
    """The account's writers (owner, account team, the owner's sales manager, admins): contacts
    and events, as on the account page."""
    return user_may_write(user=user, account=account)


def pins(user: User, account: Account) -> bool:
    """Sales managers (their teams' accounts) and admins: segment pins."""
    return user_may_pin(user)


def reassigns(user: User, account: Account) -> bool:
    """Sales managers (their teams' accounts) and admins: the account manager."""
    return user_may_reassign(user=user, account=account)


def user_of(request: Request) -> User:
    return signed_in_user(request)


def admin_of(request: Request) -> User:
    """The signed-in admin; a 403 for anyone else."""
    user = user_of(request)
    require_admin(user)
    return user


def visible_accounts(request: Request) -> QuerySet[Account]:
    return account_list_visible_to(user=user_of(request))


def account_for(request: Request, pk: int, *, write: WriteRule | None = None) -> Account:
    """One account the user may see (404 otherwise); with `write`, one they may change (403)."""
    user = user_of(request)
    account = account_get_for_user(user=user, pk=pk)
    if write is not None and not write(user, account):
        raise PermissionDenied
    return account


def of_visible_accounts(
    request: Request, objects: QuerySet[M], *, via: str = "account"
) -> QuerySet[M]:
    """The rows of `objects` on accounts the user may see; `via` is the path from a row to its
    account (`plan__account` for a goal or an action of a growth plan)."""
    return objects.filter(**{f"{via}__in": visible_accounts(request)})


def child_for(
    request: Request,
    objects: QuerySet[M],
    pk: int,
    *,
    write: WriteRule | None = None,
    via: str = "account",
) -> M:
    """One row hanging on an account (contact, event, goal, ...), fetched like `account_for`."""
    rows = of_visible_accounts(request, objects, via=via).filter(pk=pk)
    found = rows.select_related(via).first()
    if found is None:
        raise Http404("Not found.")
    account: Account = attrgetter(via.replace("__", "."))(found)
    if write is not None and not write(user_of(request), account):
        raise PermissionDenied
    return found
