"""Celery task: the dashboards' warm-up after a nightly run is published (portfolio.signals)."""

from celery import shared_task
from django.utils import timezone

from portfolio.dashboard import dashboards_warm


@shared_task(acks_late=True)
def dashboards_warm_task(run_id: int) -> int:
    return dashboards_warm(run_id=run_id, today=timezone.localdate())
