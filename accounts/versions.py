"""Versions of the data behind cached pages. A version is a random token, changed by every
write that can change what a cached page shows (signals for single rows, explicit calls from the
bulk paths: imports, the rollup, the demo seeder). A random token rather than a counter: a
transaction rolled back restores the token of exactly the data it restores.
"""

import uuid

from accounts.models import DataVersion

PORTFOLIO = "portfolio"


def version_of(name: str = PORTFOLIO) -> str:
    """The current token (one query)."""
    return DataVersion.objects.filter(name=name).values_list("token", flat=True).first() or "0"


def version_changed(name: str = PORTFOLIO) -> None:
    """Give `name` a new token, inside the caller's transaction."""
    DataVersion.objects.update_or_create(name=name, defaults={"token": uuid.uuid4().hex})
