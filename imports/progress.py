"""A running import's progress and its cancel request, where both the web process (which
shows the bar and takes the cancel) and the worker (which reports and obeys) can reach them.

Not the database: the import holds its rows in one open transaction (nothing is visible until
it commits) and its connection is busy with COPY while it reads. Redis when there is a broker;
this process's memory when tasks run in-process (`make run`), where both sides are one process.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.utils.translation import gettext as _

KEEP_SECONDS = 2 * 24 * 3600  # longer than any import runs


@dataclass(frozen=True)
class Progress:
    stage: str  # accounts.importers.options.STAGES
    done: int
    total: int

    @property
    def percent(self) -> int | None:
        return int(100 * self.done / self.total) if self.total else None

    @property
    def label(self) -> str:
        labels = {
            "reading": _("Reading the file"),
            "checking": _("Checking the rows"),
            "writing": _("Writing"),
            "rejects": _("Writing the rejects file"),
        }
        return labels.get(self.stage, self.stage)


@functools.cache
def _store() -> BaseCache:
    params = {"KEY_PREFIX": "kam-imports", "TIMEOUT": KEEP_SECONDS}
    if settings.IMPORT_PROGRESS_URL:
        return RedisCache(settings.IMPORT_PROGRESS_URL, params)
    return LocMemCache("kam-imports", params)


def report(run_id: int, stage: str, done: int, total: int) -> None:
    _store().set(f"{run_id}:progress", (stage, done, total))


def read(run_id: int) -> Progress | None:
    value = _store().get(f"{run_id}:progress")
    return None if value is None else Progress(*value)


def request_cancel(run_id: int) -> None:
    _store().set(f"{run_id}:cancel", True)


def cancel_requested(run_id: int) -> bool:
    return bool(_store().get(f"{run_id}:cancel"))


def clear(run_id: int) -> None:
    _store().delete_many([f"{run_id}:progress", f"{run_id}:cancel"])
