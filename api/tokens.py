"""Writes and reads of API tokens and service accounts. The pages (api/views.py) and the DRF
authentication class (api/authentication.py) call these; nothing else touches ApiToken.

A key is `<prefix>.<secret>`: 8 then 40 random letters and digits. Only the secret's SHA-256
is stored, and the prefix finds the row, so checking a key costs one indexed query and a
constant-time comparison."""

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import string
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken, TokenScope
from users.models import Role, User
from users.services import access_ended

logger = logging.getLogger(__name__)

PREFIX_LENGTH = 8
SECRET_LENGTH = 40
_ALPHABET = string.ascii_letters + string.digits
# last_used_at is a hint for the owner, not an audit log: one write a minute at most per token.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user: User, name: str, scope: str, by: User) -> tuple[ApiToken, str]:
    """A new token for `user` and its key, which is shown this once and never stored.
    A service account's tokens may only import."""
    if user.is_service_account and scope != TokenScope.IMPORT_ONLY:
        raise ValidationError(
            {"scope": _("A service account's tokens may only import.")}, code="scope"
        )
    if not user.is_active:
        raise ValidationError(_("This user is deactivated."), code="inactive")
    secret = _random(SECRET_LENGTH)
    while True:  # a prefix clash is one in 10^14; try again rather than fail
        prefix = _random(PREFIX_LENGTH)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = ApiToken.objects.create(
        user=user, name=name, scope=scope, prefix=prefix, key_hash=key_hash(secret), created_by=by
    )
    logger.info("API token %s created for %s by %s", prefix, user.username, by.username)
    return token, f"{prefix}.{secret}"


def token_revoke(*, token: ApiToken, by: User) -> bool:
    """Revoke `token` now; False when it was revoked already."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    if revoked:
        logger.info("API token %s revoked by %s", token.prefix, by.username)
    return bool(revoked)


def tokens_revoke_all(*, user: User) -> int:
    return ApiToken.objects.active().filter(user=user).update(revoked_at=timezone.now())


@receiver(access_ended, dispatch_uid="api.revoke_tokens_on_access_end")
def _revoke_on_access_end(sender: type[User], user: User, **kwargs: Any) -> None:
    tokens_revoke_all(user=user)


def token_authenticate(key: str) -> ApiToken | None:
    """The active token of an active user that `key` names, or None."""
    prefix, _dot, secret = key.partition(".")
    if len(prefix) != PREFIX_LENGTH or len(secret) != SECRET_LENGTH:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(prefix=prefix, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, key_hash(secret)):
        return None
    _note_use(token)
    return token


def _note_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("created_by")


def token_for_user(*, user: User, pk: int) -> ApiToken:
    """One token `user` may revoke: their own, or (an admin) a service account's; a 404
    otherwise, which does not confirm that it exists."""
    mine = Q(user=user)
    if user.is_admin_role:
        mine |= Q(user__is_service_account=True)
    token = ApiToken.objects.filter(mine, pk=pk).select_related("user").first()
    if token is None:
        raise Http404("No such token.")
    return token


def service_accounts() -> QuerySet[User]:
    return User.objects.filter(is_service_account=True).order_by("username")


def service_account_create(*, username: str, name: str, by: User) -> User:
    """A login for another system: no password (it cannot sign in to the pages), no team, no
    accounts; it acts through import-only tokens."""
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This username is taken.")}, code="taken")
    with transaction.atomic():
        user = User(
            username=username,
            first_name=name,
            role=Role.ACCOUNT_MANAGER,
            is_service_account=True,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    logger.info("Service account %s created by %s", username, by.username)
    return user
