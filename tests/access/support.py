"""Data made once per test module, inside a transaction rolled back at the module's end."""

from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


def made_once(django_db_blocker, make: Callable[[], T]) -> Iterator[T]:
    """Yield what `make` writes, for a module-scoped fixture. Each test then runs in a savepoint
    of this transaction (pytest-django's `db`), so what a test writes is gone before the next;
    at the module's end everything `make` wrote is rolled back too, so no other module sees it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            made = make()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
