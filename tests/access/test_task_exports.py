"""The task list's export (CSV and XLSX) holds exactly the rows of the task list, for every
user and filter: the same tasks, in the same order, every page at once.

The portfolio is test_lists.py's (two teams, an account manager in no team, an account nobody
owns, one worked across teams, a real nightly run), with a task on every account: due on a few
different days, so the value at stake orders each day's, assigned to the owner (none for the
account nobody owns) or, on every third account, to the owner's sales manager; every fifth
closed."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from accounts.models import Account
from playbooks import views
from playbooks.models import Playbook, Task
from playbooks.services import task_close
from tests.access.support import made_once
from tests.access.test_lists import ACCOUNT_MANAGERS, USERS, make_portfolio, visible
from tests.spreadsheets import csv_rows, xlsx_rows
from users.models import User

pytestmark = pytest.mark.django_db
PAGE_SIZE = 9  # small, so that every list has several pages


def make_tasks() -> None:
    make_portfolio()
    Task.objects.all().delete()  # the nightly run's, whatever the default playbooks made
    playbook = Playbook.objects.create(trigger="level_high", title_en="Export playbook")
    today = timezone.localdate()
    accounts = Account.objects.select_related("owner__team__manager").order_by("pk")
    for n, account in enumerate(accounts):
        owner = account.owner
        manager = owner.team.manager if owner and owner.team and n % 3 == 0 else None
        task = Task.objects.create(
            playbook=playbook,
            account=account,
            assignee=manager or owner,
            fired_on=today,
            due_on=today + dt.timedelta(days=n % 4),
            evidence={"trigger": "level_high", "score": "81.0", "flags": []},
        )
        if n % 5 == 0:
            task_close(task=task, outcome="reached", note=f"=cmd {n}", by=User.objects.first())


@pytest.fixture(scope="module")
def portfolio(django_db_setup, django_db_blocker) -> Iterator[None]:
    yield from made_once(django_db_blocker, make_tasks)


@pytest.fixture
def user(username, portfolio, client, monkeypatch) -> User:
    monkeypatch.setattr(views, "PAGE_SIZE", PAGE_SIZE)
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def listed(client, **params: str) -> list[int]:
    """The task ids /tasks/ lists, over all its pages."""
    ids: list[int] = []
    for number in range(1, 1000):
        response = client.get("/tasks/", {**params, "page": number})
        assert response.status_code == 200
        page = response.context["page"]
        ids += [task.pk for task in page.object_list]
        if not page.has_next():
            return ids
    raise AssertionError("/tasks/ never ends")


def exported(client, fmt: str, **params: str) -> list[int]:
    """The task ids of the export, in its order (the first column)."""
    response = client.get("/tasks/export/", {**params, "format": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = csv_rows(content) if fmt == "csv" else xlsx_rows(content)
    return [int(float(row[0])) for row in rows[1:]]


def test_the_tasks_tell_the_users_apart(portfolio) -> None:
    """Guards the tests below against passing on tasks everyone sees alike."""
    seen = {
        name: set(Task.objects.filter(account__in=visible(User.objects.get(username=name))))
        for name in USERS
    }
    assert all(seen[name] and seen[name] < seen["admin"] for name in USERS if name != "admin")
    assert len({frozenset(seen[name]) for name in ACCOUNT_MANAGERS}) == len(ACCOUNT_MANAGERS)
    assert Task.objects.filter(assignee__role="sales_manager").exists()
    assert Task.objects.exclude(status="open").exists()


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_holds_the_open_tasks_on_the_visible_accounts(client, user, fmt) -> None:
    ids = exported(client, fmt)
    assert len(ids) == len(set(ids))
    expected = Task.objects.filter(account__in=visible(user), status="open")
    assert set(ids) == set(expected.values_list("pk", flat=True))


def filters() -> list[dict[str, str]]:
    am1 = User.objects.get(username="am1")
    return [
        {},
        {"status": "closed"},
        {"mine": "on"},
        {"status": "closed", "mine": "on"},
        {"owner": str(am1.pk)},
        {"owner": "nonsense"},  # an invalid filter is ignored by both
    ]


@pytest.mark.parametrize("username", USERS)
def test_the_export_lists_what_the_list_lists_in_its_order(client, user) -> None:
    for params in filters():
        shown = listed(client, **params)
        assert exported(client, "csv", **params) == shown, params
        assert exported(client, "xlsx", **params) == shown, params


@pytest.mark.parametrize("username", ["manager"])
def test_the_list_links_to_its_export_with_its_filters(client, user) -> None:
    page = client.get("/tasks/", {"status": "closed", "page": "2"}).content.decode()
    assert 'href="/tasks/export/?status=closed&amp;format=csv"' in page
    assert 'href="/tasks/export/?status=closed&amp;format=xlsx"' in page
