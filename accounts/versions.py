"""Versions of the data behind cached pages. A version is a random token, changed by every
write that can change what a cached page shows (signals for single rows, explicit calls from the
bulk paths: imports, the rollup, the demo seeder). A random token rather than a counter: a
transaction rolled back restores the token of exactly the data it restores.
"""

import uuid
from collections.abc import Callable
from typing import TypeVar, cast

from django.core.cache import cache

from accounts.models import DataVersion

T = TypeVar("T")
DAY = 24 * 3600  # a data change makes a new key long before this

PORTFOLIO = "portfolio"


def version_of(name: str = PORTFOLIO) -> str:
    """The current token (one query)."""
    return DataVersion.objects.filter(name=name).values_list("token", flat=True).first() or "0"


def version_changed(name: str = PORTFOLIO) -> None:
    """Give `name` a new token, inside the caller's transaction: one upsert statement (no
    lock-then-update, no savepoint), as every write that changes a page calls it."""
    DataVersion.objects.bulk_create(
        [DataVersion(name=name, token=uuid.uuid4().hex)],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["token"],
    )


def cached_per_version(key: str, compute: Callable[[], T], *, timeout: int = DAY) -> T:
    """`compute()`, once per `key` and version of the portfolio data (the cache shared by the
    web workers). `key` names everything else the value depends on: the reader, the day, the
    nightly run."""
    return cast(T, cache.get_or_set(f"{key}:{version_of()}", compute, timeout=timeout))
