"""Tasks through the API: the /tasks/ page's list (the same tasks, filters and order), one
task with its evidence, closing with an outcome and a note under If-Match; playbooks for
admins."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from playbooks.enums import TaskStatus
from playbooks.models import Playbook, Task
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot
from tests.factories import AccountFactory
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db
JSON = "application/json"
NIGHT = dt.date(2026, 10, 31)
OVERDUE = {
    "trigger": "flag_raised",
    "flag": {"code": "overdue", "evidence": {"days_since_last_order": 60, "usual_gap_days": 7}},
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def playbook(db) -> Playbook:
    return Playbook.objects.create(
        trigger="flag_raised", trigger_flag="overdue", title_en="Call the buyer",
        title_he="להתקשר לקניין", text_en="Ask why.",
    )  # fmt: skip


def task(playbook, account, *, days: int = 5, **fields) -> Task:
    fields.setdefault("assignee", account.owner)
    return Task.objects.create(
        playbook=playbook, account=account, fired_on=NIGHT,
        due_on=NIGHT + dt.timedelta(days=days), evidence=OVERDUE, **fields,
    )  # fmt: skip


def at_stake(account, amount: int) -> None:
    """The account's gross profit of 12 months in the latest complete run."""
    run = NightlyRun.objects.filter(status=RunStatus.COMPLETE).first()
    if run is None:
        run = NightlyRun.objects.create(as_of=NIGHT, status=RunStatus.COMPLETE)
    RiskSnapshot.objects.create(
        run=run, account=account, score=50, level="medium", revenue_12m=0, gross_profit_12m=amount
    )


@pytest.fixture
def tasks(playbook, account_manager, teammate, stranger, own_account, foreign_account):
    shared = AccountFactory(owner=teammate, name="Shared Ltd")
    shared.team_members.add(account_manager)
    mate = AccountFactory(owner=teammate, name="Mate Ltd")
    for account, amount in ((own_account, 100), (shared, 900), (mate, 500)):
        at_stake(account, amount)
    return {
        "own": task(playbook, own_account),
        "shared": task(playbook, shared),  # the same day, more at stake: listed first
        "mate": task(playbook, mate, days=3),
        "foreign": task(playbook, foreign_account, days=1),
    }


def page_ids(client, query: dict) -> list[int]:
    response = client.get(reverse("tasks:list"), query)
    assert response.status_code == 200
    return [t.pk for t in response.context["page"].object_list]


def api_ids(client, query: dict) -> list[int]:
    response = client.get("/api/v1/tasks/", query)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    "who", ["account_manager", "teammate", "stranger", "sales_manager", "admin_user"]
)
@pytest.mark.parametrize(
    "query", [{}, {"mine": "true"}, {"status": "closed"}], ids=["open", "mine", "closed"]
)
def test_the_list_is_the_pages_list_in_its_order(client, request, tasks, who, query):
    Task.objects.filter(pk=tasks["mate"].pk).update(
        status=TaskStatus.DONE, outcome="kept", note="ok", closed_at="2026-11-01T10:00Z"
    )
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = page_ids(client, {**query, "mine": "on"} if "mine" in query else query)
    assert api_ids(client, query) == page
    assert page or who == "stranger" or query


def test_the_order_is_soonest_due_then_most_at_stake(client, sales_manager, tasks):
    client.force_login(sales_manager)
    expected = [tasks["mate"].pk, tasks["shared"].pk, tasks["own"].pk]
    assert api_ids(client, {}) == expected
    by_stake = api_ids(client, {"ordering": "-value_at_stake"})
    assert by_stake == [tasks["shared"].pk, tasks["mate"].pk, tasks["own"].pk]


def test_filters_by_owner_and_a_bad_filter_names_itself(
    client, sales_manager, teammate, stranger, tasks
):
    client.force_login(sales_manager)
    assert set(api_ids(client, {"owner": teammate.pk})) == {
        tasks["shared"].pk, tasks["mate"].pk,
    }  # fmt: skip
    bad = {"owner": stranger.pk, "status": "someday", "due_on_after": "soon"}
    for name, value in bad.items():
        response = client.get("/api/v1/tasks/", {name: value})
        assert response.status_code == 400
        # django-filter names a date range by its filter (as on orders and events)
        assert response.json()["errors"][0]["field"] == name.removesuffix("_after")


def test_one_task_with_its_evidence_and_value_at_stake(client, bearer, account_manager, tasks):
    client.force_login(account_manager)
    body = client.get(f"/api/v1/tasks/{tasks['shared'].pk}/").json()
    assert body["title"] == "Call the buyer" and body["account_name"] == "Shared Ltd"
    assert body["value_at_stake"] == "900.00"
    assert body["assignee"]["username"] == "am2"
    assert body["evidence"] == OVERDUE
    assert "60" in body["evidence_text"][0]
    assert client.get(f"/api/v1/tasks/{tasks['foreign'].pk}/").status_code == 404
    script = bearer(account_manager)
    hebrew = script.get(f"/api/v1/tasks/{tasks['own'].pk}/", HTTP_ACCEPT_LANGUAGE="he").json()
    assert hebrew["title"] == "להתקשר לקניין"
    assert hebrew["evidence_text"] != body["evidence_text"]


class TestClosing:
    def url(self, task: Task) -> str:
        return f"/api/v1/tasks/{task.pk}/"

    def test_closing_needs_the_etag_then_records_the_outcome(self, client, account_manager, tasks):
        client.force_login(account_manager)
        url = self.url(tasks["own"])
        body = {"outcome": "not_relevant", "note": "Bought elsewhere on purpose"}
        assert client.post(url + "close/", body, JSON).status_code == 428
        etag = client.get(url)["ETag"]
        closed = client.post(url + "close/", body, JSON, HTTP_IF_MATCH=etag)
        assert closed.status_code == 200, closed.json()
        assert closed.json()["status"] == TaskStatus.DROPPED
        assert closed.json()["closed_by"] == "am1"
        stored = Task.objects.get(pk=tasks["own"].pk)
        assert (stored.outcome, stored.note) == ("not_relevant", "Bought elsewhere on purpose")
        stale = client.post(url + "close/", body, JSON, HTTP_IF_MATCH=etag)
        assert stale.status_code == 412
        again = client.post(url + "close/", body, JSON, HTTP_IF_MATCH=closed["ETag"])
        assert again.status_code == 409 and again.json()["code"] == "already_closed"

    def test_the_pages_form_names_a_missing_note_and_a_wrong_outcome(
        self, client, account_manager, tasks
    ):
        client.force_login(account_manager)
        url = self.url(tasks["own"])
        etag = client.get(url)["ETag"]
        response = client.post(url + "close/", {"outcome": "won"}, JSON, HTTP_IF_MATCH=etag)
        assert response.status_code == 400
        assert {e["field"] for e in response.json()["errors"]} == {"outcome", "note"}
        assert Task.objects.get(pk=tasks["own"].pk).is_open

    def test_a_reader_who_may_not_close_gets_a_403(
        self, client, account_manager, sales_manager, playbook, foreign_account
    ):
        """The sales manager sees the other team's account through am1 on its account team,
        but closes only where they may write, or what is assigned to them."""
        foreign_account.team_members.add(account_manager)
        theirs = task(playbook, foreign_account)
        client.force_login(sales_manager)
        url = self.url(theirs)
        etag = client.get(url)["ETag"]
        body = {"outcome": "reached", "note": "Called"}
        assert client.post(url + "close/", body, JSON, HTTP_IF_MATCH=etag).status_code == 403
        Task.objects.filter(pk=theirs.pk).update(assignee=sales_manager)
        assert client.post(url + "close/", body, JSON, HTTP_IF_MATCH=etag).status_code == 200


def test_playbooks_are_the_admins_to_read(client, admin_user, sales_manager, playbook):
    client.force_login(admin_user)
    rows = client.get("/api/v1/playbooks/").json()["results"]
    assert playbook.pk in [r["id"] for r in rows]
    one = client.get(f"/api/v1/playbooks/{playbook.pk}/").json()
    assert (one["title_he"], one["trigger_flag"]) == ("להתקשר לקניין", "overdue")
    client.force_login(sales_manager)
    assert client.get("/api/v1/playbooks/").status_code == 403


def test_the_list_costs_the_same_whatever_the_number_of_tasks(
    client, sales_manager, playbook, teammate, tasks
):
    client.force_login(sales_manager)

    def more() -> None:
        for n in range(6):
            account = AccountFactory(owner=teammate)
            at_stake(account, 100 * n)
            task(playbook, account, closed_by=sales_manager)

    assert_queries_do_not_grow(client, "/api/v1/tasks/", add_data=more)
