"""Celery task: thin wrapper that beat calls (playbooks/migrations/0003_digest_schedule.py)."""

from celery import shared_task
from django.utils import timezone

from playbooks.digest.send import digests_send


@shared_task(acks_late=True)
def digest_send_task() -> int:
    """Send today's digests; each user's digest for a period goes out once, however often
    this runs."""
    return digests_send(today=timezone.localdate())
