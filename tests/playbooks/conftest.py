"""Helpers for the playbook tests: the default playbooks come from a data migration."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from playbooks.models import Playbook
from tests.factories import OrderFactory

AS_OF = dt.date(2026, 10, 31)


def restore_default_playbooks() -> None:
    """A transactional test elsewhere in the run flushes the tables: put the defaults back the
    way the data migration made them (it skips those present)."""
    migration = importlib.import_module("playbooks.migrations.0002_default_playbooks")
    migration.create_defaults(apps, None)


def playbook(title_en: str) -> Playbook:
    return Playbook.objects.get(title_en=title_en)


CALL_THE_BUYER = "Call the buyer"
MEET_ABOUT_COMPETITOR = "Meet the customer about the competitor"
REVIEW_CHURN = "Review this key account's churn risk"
FILL_ASSESSMENT = "Fill in the relationship assessment"
GO_OVER_GAP = "Go over the assessment answer with your sales manager"


def weekly_orders(account, *, last: dt.date, weeks: int = 20) -> None:
    """A weekly buyer whose last order was on `last`."""
    for week in range(weeks):
        OrderFactory(account=account, ordered_on=last - dt.timedelta(weeks=week))


@pytest.fixture(autouse=True)
def default_playbooks(request: pytest.FixtureRequest) -> None:
    if not request.node.get_closest_marker("django_db") and "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    restore_default_playbooks()
