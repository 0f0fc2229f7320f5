"""After a nightly run is published every dashboard key is new: the worker computes the boards
of recent readers, and until it has, readers whose data did not change see their previous
board instead of waiting for (and each computing) a new one."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Account
from demo.builder import demo_seed
from portfolio import tasks
from portfolio.dashboard import dashboards_warm_end
from segmentation.models import NightlyRun
from segmentation.pipeline import nightly_run_start
from tests.querycount import queries_for
from tests.support import restore_question_template
from users.models import User

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
TODAY = timezone.localdate()
DAY_1, DAY_2 = TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=1)


@pytest.fixture
def portfolio() -> None:
    restore_question_template()
    demo_seed(accounts=40, orders_per_account=10, seed=3, password="pw", end_date=TODAY)


def board_as_of(client) -> dt.date:
    return client.get(DASHBOARD).context["board"].run.as_of


def test_publishing_a_run_computes_the_boards_of_recent_readers_only(
    client, portfolio, django_capture_on_commit_callbacks
):
    User.objects.filter(username="manager").update(last_login=timezone.now())
    User.objects.filter(username="manager2").update(last_login=None)
    with django_capture_on_commit_callbacks(execute=True):
        nightly_run_start(as_of=DAY_1)
    counts = {}
    for name in ("manager", "manager2"):
        client.force_login(User.objects.get(username=name))
        counts[name] = (queries_for(client, DASHBOARD), queries_for(client, DASHBOARD))
    # Warmed: the first request reads the board from the cache as the second does; not
    # warmed: the first computes it.
    first, second = counts["manager"]
    assert first == second
    first, second = counts["manager2"]
    assert first > second + 10


def read_day_1(client, username: str) -> None:
    """The first run published, and `username` has read its dashboard."""
    nightly_run_start(as_of=DAY_1)
    client.force_login(User.objects.get(username=username))
    assert board_as_of(client) == DAY_1


def publish_day_2(capture, monkeypatch, delay) -> NightlyRun:
    """Publish the second run with the warm-up task's sending replaced by `delay`."""
    monkeypatch.setattr(tasks.dashboards_warm_task, "delay", delay)
    with capture(execute=True):
        return nightly_run_start(as_of=DAY_2)


def queued(run_id: int) -> None:
    """The task sent, not yet run: the warm-up is in progress."""


def broker_down(run_id: int) -> None:
    raise ConnectionError("broker unreachable")


def test_while_the_warm_up_runs_a_reader_sees_their_previous_board(
    client, portfolio, django_capture_on_commit_callbacks, monkeypatch
):
    read_day_1(client, "am1")
    run = publish_day_2(django_capture_on_commit_callbacks, monkeypatch, queued)
    assert board_as_of(client) == DAY_1  # the previous run's board stands in, and says so
    dashboards_warm_end(run_id=run.pk)
    assert board_as_of(client) == DAY_2


def test_a_data_change_during_the_warm_up_gets_a_fresh_board(
    client, portfolio, django_capture_on_commit_callbacks, monkeypatch
):
    read_day_1(client, "manager")
    publish_day_2(django_capture_on_commit_callbacks, monkeypatch, queued)
    account = Account.objects.filter(owner__username="am1").first()
    account.owner = User.objects.get(username="am2")
    account.save()  # a new version of the data: the previous board no longer holds
    assert board_as_of(client) == DAY_2


def test_when_the_warm_up_cannot_be_sent_readers_compute_their_boards(
    client, portfolio, django_capture_on_commit_callbacks, monkeypatch
):
    read_day_1(client, "manager")
    run = publish_day_2(django_capture_on_commit_callbacks, monkeypatch, broker_down)
    assert NightlyRun.objects.latest_complete() == run  # robust: the run stays published
    assert board_as_of(client) == DAY_2
