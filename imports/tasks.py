"""The imports page's Celery tasks: thin wrappers over imports.services (on the default
"celery" queue, as every task of the portal). Without a broker they run in the request."""

from celery import shared_task

from imports import services

# A 1,000,000-row file takes about a minute; far below the broker's visibility timeout
# (3600 s, settings), so Redis never hands a running import to a second worker.
LIMITS = {"time_limit": 1800, "soft_time_limit": 1740}


@shared_task(acks_late=True, **LIMITS)
def import_check_task(run_id: int) -> None:
    services.import_run_check(run_id=run_id)


@shared_task(acks_late=True, **LIMITS)
def import_apply_task(run_id: int) -> None:
    services.import_run_apply(run_id=run_id)
