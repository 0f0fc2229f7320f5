"""With the task broker unreachable, every page still renders and starting the nightly run
says so in plain words (and leaves the previous results current)."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kam_portal.celery import app
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun
from segmentation.pipeline import nightly_run_start
from tests.celery_support import tasks_sent_to_the_broker
from tests.factories import OrderFactory

AS_OF = dt.date(2026, 10, 31)
NOWHERE = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def _use_broker(url: str) -> None:
    """Point the app at `url`; its connection pools are rebuilt on next use."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    before = app.conf.broker_url
    _use_broker(NOWHERE)
    with tasks_sent_to_the_broker():
        yield
    _use_broker(before)


PAGES = {
    "account_manager": ["home", "accounts:list"],
    "sales_manager": ["home", "accounts:list", "segments:capacity"],
    "admin_user": ["home", "accounts:list", "risk:settings", "segments:settings"],
}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_every_page_renders(broker_down, client, request, own_account, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for name in PAGES[role]:
        assert client.get(reverse(name)).status_code == 200, name
    if role != "sales_manager" or own_account.owner.team.manager == user:
        assert client.get(f"/accounts/{own_account.pk}/").status_code == 200


def test_starting_the_nightly_run_says_the_broker_is_unreachable(broker_down, own_account):
    OrderFactory(account=own_account, ordered_on=AS_OF)
    with pytest.raises(CommandError, match="broker"):
        call_command("run_nightly", "--as-of", AS_OF.isoformat())
    failed = NightlyRun.objects.get()
    assert failed.status == RunStatus.FAILED and "broker" in failed.error


def test_the_pipeline_names_the_broker_setting(broker_down, own_account):
    with pytest.raises(Exception, match="CELERY_BROKER_URL"):
        nightly_run_start(as_of=AS_OF)
