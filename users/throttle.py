"""Sign-in throttling on top of django-axes: who the client is, one attempt at a time, and a
reset on success that cannot be used to wipe someone else's failures.

Axes alone checks the failure count, then the password, then records the failure, with nothing
held in between: twenty attempts sent at once all read "0 failures" and all get their password
checked. `sign_in_attempts_serialized` holds a PostgreSQL advisory lock per username and per
address from the count to the recorded failure, so the limit holds however many arrive together.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT trusted proxies, the
    X-Forwarded-For entry the outermost of them appended (the ones before it are the client's
    to forge)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return request.META.get("REMOTE_ADDR")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-proxies] if len(hops) >= proxies else hops[0]


def _lock_key(kind: str, value: str) -> int:
    """A signed 64-bit advisory-lock key for one username or one address."""
    digest = hashlib.blake2b(f"kam-sign-in:{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def sign_in_attempts_serialized(*, request: HttpRequest, username: str) -> Iterator[None]:
    """Let one sign-in attempt at a time per username and per address count the failures, check
    the password and record its failure. Keys are locked in sorted order, so two attempts
    that share only one of them cannot deadlock. The locks go with the transaction; SQLite (dev
    only) serialises its writes anyway and skips them."""
    keys = sorted({_lock_key("username", username), _lock_key("ip", client_address(request) or "")})
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for key in keys:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        yield


class SignInAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler, except that a successful sign-in clears only that username's
    failures. Axes would also clear every failure recorded from the address, so anyone with a
    login of their own could sign in after every nine guesses at a colleague's password and
    guess for ever."""

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
