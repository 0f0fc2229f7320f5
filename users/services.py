"""Writes on logins: deactivation, and ending every way a user is signed in."""

import logging

from django.db import transaction
from django.db.models import F
from django.dispatch import Signal

from users.models import User

logger = logging.getLogger(__name__)

# Sent by `user_access_end` with `user=`: the apps above this one that give other ways in (the
# API's tokens) end them here, so that this app need not know them.
access_ended = Signal()


def user_access_end(*, user: User) -> None:
    """End every session of `user` now, on every device: raise their session generation, which
    each session's auth hash includes (User.get_session_auth_hash), so no stored session
    verifies any more; and every API token of the user is revoked (the `access_ended`
    receivers, api/tokens.py), so reactivating them later revives neither."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    access_ended.send(sender=User, user=user)


def user_deactivate(*, user: User, by: User | None) -> User:
    """Deactivate `user`: they can no longer sign in, and every session they have ends at once,
    so reactivating them later does not revive an old one. Saving `is_active=False` by any other
    path (the admin's form, the shell) ends the sessions too (users/signals.py)."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])  # the pre_save receiver calls user_access_end
    logger.info("User %s deactivated by %s", user.username, by.username if by else "the system")
    return user
