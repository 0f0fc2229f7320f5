"""Schemathesis against /api/schema/, for each role, on the test database (never a real one):
every operation of the schema is called with data generated from the schema, by the portal's
WSGI application in-process with a token of the role; no answer is a 5xx, and every answer
has a status, a content type and a body the schema documents.

Each operation is tried twice: with path parameters as the schema allows (mostly objects that
do not exist: 404s), and with the role's real objects in the path, so that the generated
bodies reach the services. Bounded: a few examples per operation, derandomized."""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Account
from api.models import TokenScope
from api.tokens import token_create
from assessments.services import assessment_start
from plans.enums import GoalKind
from plans.models import Action, Goal, GrowthPlan
from playbooks.models import Playbook, Task
from segmentation.pipeline import nightly_run_start
from tests.factories import AccountEventFactory, ContactFactory, OrderFactory
from tests.support import restore_question_template
from users.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 6
TODAY = dt.date.today()


def portfolio(account_manager: User, teammate: User, stranger: User) -> dict[str, Any]:
    """Accounts with orders, contacts, events, drafts, growth plans with a goal and an action,
    a task, and a complete nightly run."""
    restore_question_template()
    own = Account.objects.create(external_id="S-1", name="Own Ltd", owner=account_manager)
    mate = Account.objects.create(external_id="S-2", name="Mate Ltd", owner=teammate)
    mate.team_members.add(account_manager)
    foreign = Account.objects.create(external_id="S-3", name="Foreign Ltd", owner=stranger)
    for n, account in enumerate((own, mate, foreign)):
        for months in (2, 5, 9, 14):
            OrderFactory(account=account, ordered_on=TODAY - dt.timedelta(days=30 * months + n))
        ContactFactory(account=account, is_primary=True)
        AccountEventFactory(account=account, kind="complaint")
        assessment_start(account=account, by=account.owner)
        workspace(account)
    run = nightly_run_start(as_of=TODAY - dt.timedelta(days=1))
    return {"own": own, "run": run}


def workspace(account: Account) -> None:
    """A growth plan with a goal and an action, and an open task."""
    plan = GrowthPlan.objects.create(account=account, review_on=TODAY)
    Goal.objects.create(
        plan=plan, kind=GoalKind.REVENUE, target=1000, starts_on=TODAY, ends_on=TODAY
    )
    Action.objects.create(plan=plan, title="Call", owner=account.owner, due_on=TODAY)
    playbook, _made = Playbook.objects.get_or_create(
        title_en="Schemathesis", defaults={"trigger": "level_high"}
    )
    Task.objects.create(playbook=playbook, account=account, fired_on=TODAY, due_on=TODAY)


def path_values(path: str, own: Account, user: User, run_id: int) -> dict[str, Any]:
    """The real objects of the role for a path's parameters (an object the run deleted
    already, such as a goal, is left to the generated ids)."""
    values: dict[str, Any] = {"account_pk": own.pk, "number": 1}
    ids = {
        "/api/v1/accounts/": lambda: own.pk,
        "/api/v1/contacts/": lambda: own.contacts.first().pk,
        "/api/v1/events/": lambda: own.events.first().pk,
        "/api/v1/assessments/": lambda: own.assessments.first().pk,
        "/api/v1/capacities/": lambda: own.owner_id,
        "/api/v1/nightly-runs/": lambda: run_id,
        "/api/v1/goals/": lambda: _pk(Goal.objects.filter(plan__account=own)),
        "/api/v1/actions/": lambda: _pk(Action.objects.filter(plan__account=own)),
        "/api/v1/tasks/": lambda: _pk(own.tasks.all()),
        "/api/v1/playbooks/": lambda: _pk(Playbook.objects.all()),
    }
    names = set(re.findall(r"{(\w+)}", path))
    for prefix, pk in ids.items():
        if path.startswith(prefix) and "id" in names and pk() is not None:
            values["id"] = pk()
    return {k: v for k, v in values.items() if k in names}


def _pk(rows: Any) -> int | None:
    return rows.values_list("pk", flat=True).first()


def exercise(operation: Any, headers: dict[str, str], path_parameters: dict[str, Any]) -> None:
    strategy = operation.as_strategy(path_parameters=path_parameters or None)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()


@pytest.fixture
def in_process_wsgi() -> Iterator[None]:
    """The WSGI handler closes the database connection around each request; the test's
    transaction lives on it. Django's test client switches that off the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.mark.usefixtures("in_process_wsgi")
@pytest.mark.parametrize("role", ["account_manager", "sales_manager", "admin"])
def test_every_operation_answers_as_the_schema_says(
    role, account_manager, teammate, stranger, sales_manager, admin_user
):
    made = portfolio(account_manager, teammate, stranger)
    user = {"account_manager": account_manager, "sales_manager": sales_manager}.get(
        role, admin_user
    )
    _token, key = token_create(user=user, name="schemathesis", scope=TokenScope.FULL, by=user)
    headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        real = path_values(operation.path, made["own"], user, made["run"].pk)
        exercise(operation, headers, {})
        if real:  # If-Match: * lets a write past the concurrency check, to the services
            exercise(operation, {**headers, "If-Match": "*"}, real)
