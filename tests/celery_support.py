"""Switching the Celery app from eager (the test settings) to the real broker for one test."""

from collections.abc import Iterator
from contextlib import contextmanager

from kam_portal.celery import app

_UNSET = object()


@contextmanager
def tasks_sent_to_the_broker() -> Iterator[None]:
    """Send tasks to the broker; afterwards put the app's eagerness back exactly as it was.

    Popping the override (rather than writing True back) lets the Django setting govern again.
    """
    before = app.conf.changes.get("task_always_eager", _UNSET)
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        if before is _UNSET:
            app.conf.changes.pop("task_always_eager", None)
        else:
            app.conf.task_always_eager = before
