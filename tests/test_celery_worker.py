"""A task round trip through the real Redis broker and a real (embedded) Celery worker.

Test settings make tasks eager; this test alone switches that off on the Celery app, the one
place the flag is read, and restores it exactly, so the settings keep governing every other test.
"""

from collections.abc import Iterator
from threading import current_thread, main_thread

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult, EagerResult
from celery.signals import task_prerun
from celery.worker import WorkController

from accounts.tasks import account_count_for_user
from kam_portal.celery import app
from tests.celery_support import tasks_sent_to_the_broker
from tests.factories import AccountFactory


@pytest.fixture
def worker(redis_available) -> Iterator[WorkController]:
    with tasks_sent_to_the_broker():
        app.control.purge()  # nothing left over from an earlier, interrupted run
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as w:
            yield w


@pytest.fixture
def seen_by_worker() -> Iterator[list]:
    """How each task reached the code that ran it: eager or not, queue, and in which thread."""
    seen: list = []

    def record(sender=None, task=None, **kwargs) -> None:
        delivery = task.request.delivery_info or {}
        in_worker_thread = current_thread() is not main_thread()
        seen.append((task.request.is_eager, delivery.get("routing_key"), in_worker_thread))

    task_prerun.connect(record, weak=False)
    yield seen
    task_prerun.disconnect(record)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_round_trips_through_redis_and_a_worker(
    worker, seen_by_worker, account_manager, own_account, foreign_account
):
    AccountFactory(owner=account_manager, name="Second Ltd")

    result = account_count_for_user.delay(account_manager.pk)

    assert isinstance(result, AsyncResult) and not isinstance(result, EagerResult)
    assert result.get(timeout=30) == 2
    # Not run inline: it came off the "celery" queue in the worker's own thread.
    assert seen_by_worker == [(False, "celery", True)]
    stored = redis.Redis.from_url(app.conf.result_backend)
    assert stored.delete(f"celery-task-meta-{result.id}") == 1  # it was stored there


def test_switching_to_the_broker_is_undone_afterwards():
    assert app.conf.task_always_eager is True
    with tasks_sent_to_the_broker():
        assert app.conf.task_always_eager is False
    assert app.conf.task_always_eager is True
    assert "task_always_eager" not in app.conf.changes  # the test settings govern again


@pytest.mark.django_db
def test_tasks_stay_eager_outside_the_worker_test(account_manager, own_account):
    result = account_count_for_user.delay(account_manager.pk)
    assert isinstance(result, EagerResult)
    assert result.get() == 1
