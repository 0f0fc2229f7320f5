"""The portfolio a newcomer meets after `make run`, made small for the browser tests: the demo
users, teams and customers of `seed_demo`, scored by real nightly runs, with one growth plan.

A transactional test (the live server's) empties every table afterwards, the data migrations'
rows included: the question template and the default playbooks are put back first, as the
migrations wrote them (a serialized rollback would not do: under --reuse-db it serializes a
database the last run left empty).
"""

import datetime as dt
import importlib
import os
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Account
from plans.enums import GoalKind
from plans.services import GoalData, action_add, goal_add, plan_save
from playbooks.models import Playbook
from segmentation.enums import Programme
from segmentation.models import SegmentAssignment
from tests.support import restore_question_template
from users.models import User

# Small enough to seed and score in well under a second; the screenshots may ask for more
# (`make screenshots` seeds what `make run` does: 300).
ACCOUNTS = int(os.environ.get("E2E_DEMO_ACCOUNTS", "60"))
# Runs before the latest, in days: a trend of high-risk accounts to draw, and one six months
# back for the mean relationship score's change.
EARLIER_RUNS = (182, 21, 14, 7)


@dataclass(frozen=True)
class DemoPortfolio:
    as_of: dt.date  # the latest nightly run's date
    admin: User
    manager: User  # leads North: am1 and am2
    am1: User
    am2: User
    am3: User  # South, led by manager2
    planned: Account  # an account of am1 with a growth plan

    def user(self, username: str) -> User:
        return User.objects.get(username=username)


def seed_demo_portfolio(*, accounts: int = ACCOUNTS) -> DemoPortfolio:
    """seed_demo's portfolio up to yesterday, nightly runs over it, and a growth plan."""
    restore_question_template()
    as_of = timezone.localdate() - dt.timedelta(days=1)
    call_command("seed_demo", accounts=accounts, end_date=as_of, verbosity=0)
    for days in EARLIER_RUNS:
        _run_nightly(as_of - dt.timedelta(days=days))
    # The playbooks only now: the tasks are the latest run's, as on a portal that has been
    # closing its tasks all along (not six months of them, overdue).
    _restore_default_playbooks()
    _run_nightly(as_of)
    users = {u.username: u for u in User.objects.all()}
    planned = _plan_for_a_key_account(owner=users["am1"], as_of=as_of)
    return DemoPortfolio(
        as_of=as_of,
        admin=users["admin"],
        manager=users["manager"],
        am1=users["am1"],
        am2=users["am2"],
        am3=users["am3"],
        planned=planned,
    )


def _run_nightly(as_of: dt.date) -> None:
    call_command("run_nightly", as_of=as_of.isoformat(), verbosity=0)


def _restore_default_playbooks() -> None:
    if not Playbook.objects.exists():
        migration = importlib.import_module("playbooks.migrations.0002_default_playbooks")
        migration.create_defaults(apps, None)


def _plan_for_a_key_account(*, owner: User, as_of: dt.date) -> Account:
    """A growth plan with a revenue goal, a category goal and an action, on the owner's first
    account admitted to the programme."""
    admitted = SegmentAssignment.objects.filter(
        programme=Programme.ADMITTED, account__owner=owner
    ).values("account")
    account = Account.objects.filter(pk__in=admitted).order_by("pk").first()
    assert account is not None, "the demo admits none of the owner's accounts"
    plan = plan_save(
        account=account,
        review_on=as_of + dt.timedelta(days=60),
        summary="",
        by=owner,
    )
    year = {"starts_on": as_of.replace(month=1, day=1), "ends_on": as_of.replace(month=12, day=31)}
    goal_add(
        plan=plan,
        data=GoalData(kind=GoalKind.REVENUE, target=Decimal("250000"), **year),
        by=owner,
        as_of=as_of,
    )
    goal_add(
        plan=plan,
        data=GoalData(kind=GoalKind.CATEGORY, category="Safety equipment", **year),
        by=owner,
        as_of=as_of,
    )
    action_add(
        plan=plan,
        title="ביקור במפעל עם מנהל הרכש",
        owner=owner,
        due_on=as_of + dt.timedelta(days=14),
        by=owner,
    )
    return account
