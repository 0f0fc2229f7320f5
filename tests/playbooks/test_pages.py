"""/tasks/, one task and closing it, and /playbooks/: for every role, on own, account-team and
foreign accounts (the access matrix pins the status codes; these pin what each one shows)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from playbooks.enums import TaskStatus
from playbooks.models import Playbook, Task
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot
from tests.factories import AccountFactory, UserFactory
from tests.playbooks.conftest import AS_OF, CALL_THE_BUYER, MEET_ABOUT_COMPETITOR, playbook
from tests.querycount import assert_queries_do_not_grow
from tests.support import restore_question_template, stored_assessment

OVERDUE = {
    "trigger": "flag_raised",
    "flag": {"code": "overdue", "evidence": {"days_since_last_order": 60, "usual_gap_days": 7}},
}


def make_task(account, *, title=CALL_THE_BUYER, due=AS_OF + dt.timedelta(days=5), **fields):
    fields.setdefault("assignee", account.owner)
    return Task.objects.create(
        playbook=playbook(title),
        account=account,
        fired_on=AS_OF,
        due_on=due,
        evidence=OVERDUE,
        **fields,
    )


@pytest.fixture
def team_account(teammate, account_manager):
    account = AccountFactory(owner=teammate, name="Team Ltd")
    account.team_members.add(account_manager)
    return account


@pytest.fixture
def tasks(own_account, team_account, foreign_account):
    return {
        "own": make_task(own_account),
        "team": make_task(team_account, due=AS_OF + dt.timedelta(days=3)),
        "foreign": make_task(foreign_account),
    }


def listed(client, user, query: str = "") -> list[str]:
    client.force_login(user)
    response = client.get(reverse("tasks:list") + query)
    assert response.status_code == 200
    return [task.account.name for task in response.context["page"].object_list]


class TestTheList:
    def test_an_account_manager_sees_their_own_and_account_team_accounts_tasks(
        self, client, account_manager, tasks
    ):
        assert listed(client, account_manager) == ["Team Ltd", "Own Ltd"]  # by due date

    def test_assigned_to_me_narrows_to_their_own(self, client, account_manager, tasks):
        assert listed(client, account_manager, "?mine=on") == ["Own Ltd"]

    def test_a_sales_manager_sees_their_teams_and_filters_by_account_manager(
        self, client, sales_manager, teammate, tasks
    ):
        assert listed(client, sales_manager) == ["Team Ltd", "Own Ltd"]
        assert listed(client, sales_manager, f"?owner={teammate.pk}") == ["Team Ltd"]

    def test_an_account_manager_of_another_team_is_no_filter_for_a_sales_manager(
        self, client, sales_manager, stranger, tasks
    ):
        # Not a valid choice: the filter is dropped, the list stays theirs.
        assert listed(client, sales_manager, f"?owner={stranger.pk}") == ["Team Ltd", "Own Ltd"]

    def test_an_admin_sees_every_task_and_the_unassigned_ones(self, client, admin_user, tasks):
        orphan = AccountFactory(owner=None, name="Nobody Ltd")
        make_task(orphan, due=AS_OF + dt.timedelta(days=9))
        assert listed(client, admin_user) == ["Team Ltd", "Own Ltd", "Foreign Ltd", "Nobody Ltd"]

    def test_the_same_day_orders_by_value_at_stake(self, client, account_manager, own_account):
        small = AccountFactory(owner=account_manager, name="Small Ltd")
        big = AccountFactory(owner=account_manager, name="Big Ltd")
        run = NightlyRun.objects.create(as_of=AS_OF, status=RunStatus.COMPLETE)
        for account, profit in ((small, "1000"), (big, "90000"), (own_account, "5000")):
            RiskSnapshot.objects.create(
                run=run,
                account=account,
                score=10,
                level="low",
                revenue_12m=0,
                gross_profit_12m=Decimal(profit),
            )
        for account in (small, big, own_account):
            make_task(account)
        make_task(AccountFactory(owner=account_manager, name="Unscored Ltd"))
        assert listed(client, account_manager) == [
            "Big Ltd",
            "Own Ltd",
            "Small Ltd",
            "Unscored Ltd",
        ]

    def test_closed_tasks_show_with_their_outcome(self, client, account_manager, tasks):
        Task.objects.filter(pk=tasks["own"].pk).update(
            status=TaskStatus.DONE, outcome="kept", closed_at=timezone.now()
        )
        assert listed(client, account_manager) == ["Team Ltd"]
        client.force_login(account_manager)
        response = client.get(reverse("tasks:list") + "?status=closed")
        assert [t.account.name for t in response.context["page"].object_list] == ["Own Ltd"]
        assert "Kept the customer" in response.content.decode()

    def test_a_cleared_task_says_so(self, client, account_manager, tasks):
        Task.objects.filter(pk=tasks["own"].pk).update(cleared_on=AS_OF)
        client.force_login(account_manager)
        page = client.get(reverse("tasks:list")).content.decode()
        assert page.count('data-testid="cleared"') == 1

    def test_the_list_costs_the_same_queries_for_more_tasks(self, client, admin_user, tasks):
        client.force_login(admin_user)

        def more() -> None:
            for _ in range(5):
                make_task(AccountFactory())

        assert_queries_do_not_grow(client, reverse("tasks:list"), add_data=more)


class TestOneTask:
    def test_it_shows_the_evidence_in_the_readers_language(self, client, account_manager, tasks):
        client.force_login(account_manager)
        page = client.get(reverse("tasks:detail", args=[tasks["own"].pk])).content.decode()
        assert "No order for 60 days; this customer usually orders every 7 days." in page
        assert 'data-testid="close-form"' in page
        account_manager.language = "he"
        account_manager.save()
        page = client.get(reverse("tasks:detail", args=[tasks["own"].pk])).content.decode()
        assert "להתקשר לקניין" in page
        assert "Call the buyer" not in page and "No order for 60 days" not in page

    def test_the_owner_closes_it_as_done_with_the_outcome_and_note(
        self, client, account_manager, tasks
    ):
        client.force_login(account_manager)
        url = reverse("tasks:detail", args=[tasks["own"].pk])
        response = client.post(url, {"outcome": "reached", "note": "Spoke to the buyer."})
        assert response.status_code == 302 and response["Location"] == reverse("tasks:list")
        task = Task.objects.get(pk=tasks["own"].pk)
        assert (task.status, task.outcome, task.note) == ("done", "reached", "Spoke to the buyer.")
        assert task.closed_by == account_manager and task.closed_at is not None

    def test_not_relevant_drops_it(self, client, sales_manager, tasks):
        client.force_login(sales_manager)
        url = reverse("tasks:detail", args=[tasks["team"].pk])
        client.post(url, {"outcome": "not_relevant", "note": "Seasonal customer."})
        assert Task.objects.get(pk=tasks["team"].pk).status == TaskStatus.DROPPED

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"note": "x"}, "outcome"),
            ({"outcome": "kept"}, "note"),
            ({"outcome": "won"}, "outcome"),
        ],
    )
    def test_closing_asks_for_an_outcome_and_a_note(
        self, client, account_manager, tasks, data, field
    ):
        client.force_login(account_manager)
        response = client.post(reverse("tasks:detail", args=[tasks["own"].pk]), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert Task.objects.get(pk=tasks["own"].pk).status == TaskStatus.OPEN

    def test_a_closed_task_is_not_closed_again(self, client, account_manager, tasks):
        client.force_login(account_manager)
        url = reverse("tasks:detail", args=[tasks["own"].pk])
        client.post(url, {"outcome": "kept", "note": "First."})
        response = client.post(url, {"outcome": "lost", "note": "Second."}, follow=True)
        assert "already closed" in response.content.decode()
        assert Task.objects.get(pk=tasks["own"].pk).note == "First."

    def test_a_foreign_task_is_not_found(self, client, account_manager, tasks):
        client.force_login(account_manager)
        url = reverse("tasks:detail", args=[tasks["foreign"].pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"outcome": "kept", "note": "x"}).status_code == 404

    def test_who_only_reads_the_account_sees_the_task_but_may_not_close_it(
        self, client, sales_manager, teammate, foreign_account
    ):
        # Another team's account that a North member works on: the North sales manager sees it
        # (their member is on its account team) but is not the owner's sales manager.
        foreign_account.team_members.add(teammate)
        task = make_task(foreign_account)
        client.force_login(sales_manager)
        url = reverse("tasks:detail", args=[task.pk])
        page = client.get(url)
        assert page.status_code == 200 and 'data-testid="close-form"' not in page.content.decode()
        assert client.post(url, {"outcome": "kept", "note": "x"}).status_code == 403
        assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN

    def test_the_assignee_may_close_a_task_on_an_account_they_see(
        self, client, teammate, own_account
    ):
        task = make_task(own_account, assignee=teammate)
        own_account.team_members.add(teammate)
        client.force_login(teammate)
        client.post(reverse("tasks:detail", args=[task.pk]), {"outcome": "kept", "note": "x"})
        assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE

    def test_a_perception_gap_task_shows_the_gap_and_links_the_assessment(
        self, client, account_manager, own_account
    ):
        restore_question_template()
        assessment = stored_assessment(own_account, "60.0", timezone.now())
        gap = {
            "question": 4,
            "answer": 5,
            "claimed": "grow",
            "margin_pct": "10",
            "revenue_growth_pct": "-40.0",
            "revenue_last_12m": "60000",
            "revenue_prior_12m": "100000",
        }
        evidence = {
            "trigger": "perception_gap",
            "assessment_id": assessment.pk,
            "submitted_on": "2026-10-28",
            "gap": gap,
        }
        task = make_task(own_account, title="Go over the assessment answer with your sales manager")
        Task.objects.filter(pk=task.pk).update(evidence=evidence)
        client.force_login(account_manager)
        page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
        assert "records a perception gap" in page and "The answer says purchases grow" in page
        assert reverse("assessments:detail", args=[assessment.pk]) in page


class TestPlaybooks:
    def test_the_admin_sees_the_defaults(self, client, admin_user):
        client.force_login(admin_user)
        page = client.get(reverse("playbooks:list")).content.decode()
        assert page.count('data-testid="playbook-row"') == Playbook.objects.count() == 5
        assert CALL_THE_BUYER in page and MEET_ABOUT_COMPETITOR in page

    def test_the_admin_creates_one(self, client, admin_user):
        client.force_login(admin_user)
        data = {
            "trigger": "segment_entered",
            "trigger_segment": "defend",
            "trigger_flag": "overdue",  # not read by this trigger: dropped
            "title_en": "Plan the defence",
            "title_he": "לתכנן את ההגנה",
            "due_in_days": "10",
            "assignee": "owner",
            "priority": "normal",
            "active": "on",
        }
        response = client.post(reverse("playbooks:new"), data)
        assert response.status_code == 302
        made = Playbook.objects.get(title_en="Plan the defence")
        assert (made.trigger_segment, made.trigger_flag, made.due_in_days) == ("defend", "", 10)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"trigger": "flag_raised", "trigger_flag": ""}, "trigger_flag"),
            ({"trigger": "segment_left", "trigger_segment": ""}, "trigger_segment"),
            ({"trigger": "programme_left", "programme_only": "on"}, "programme_only"),
            ({"due_in_days": "0"}, "due_in_days"),
            ({"title_en": ""}, "title_en"),
        ],
    )
    def test_a_playbook_names_what_its_trigger_needs(self, client, admin_user, changes, field):
        client.force_login(admin_user)
        data = {
            "trigger": "level_high",
            "title_en": "T",
            "due_in_days": "7",
            "assignee": "owner",
            "priority": "normal",
            **changes,
        }
        response = client.post(reverse("playbooks:new"), data)
        assert response.status_code == 200 and field in response.context["form"].errors

    def test_the_admin_edits_a_default(self, client, admin_user):
        call = playbook(CALL_THE_BUYER)
        client.force_login(admin_user)
        data = {
            "trigger": "flag_raised",
            "trigger_flag": "overdue",
            "title_en": CALL_THE_BUYER,
            "title_he": call.title_he,
            "due_in_days": "3",
            "assignee": "sales_manager",
            "priority": "high",
        }
        assert client.post(reverse("playbooks:edit", args=[call.pk]), data).status_code == 302
        call.refresh_from_db()
        assert (call.due_in_days, call.assignee, call.active) == (3, "sales_manager", False)

    def test_a_playbook_with_tasks_is_kept_and_an_unused_one_deleted(
        self, client, admin_user, own_account
    ):
        make_task(own_account)
        client.force_login(admin_user)
        used, unused = playbook(CALL_THE_BUYER), playbook(MEET_ABOUT_COMPETITOR)
        response = client.post(reverse("playbooks:delete", args=[used.pk]), follow=True)
        assert "make it inactive instead" in response.content.decode()
        client.post(reverse("playbooks:delete", args=[unused.pk]))
        assert Playbook.objects.filter(pk=used.pk).exists()
        assert not Playbook.objects.filter(pk=unused.pk).exists()


def test_the_navigation_links_tasks_for_everyone_and_playbooks_for_admins(
    client, account_manager, admin_user
):
    client.force_login(account_manager)
    page = client.get(reverse("home")).content.decode()
    assert reverse("tasks:list") in page and reverse("playbooks:list") not in page
    assert reverse("digest:settings") in page
    client.force_login(admin_user)
    page = client.get(reverse("home")).content.decode()
    assert reverse("playbooks:list") in page


def test_a_user_with_no_tasks_sees_an_empty_list(client, db):
    client.force_login(UserFactory())
    assert "No tasks to show." in client.get(reverse("tasks:list")).content.decode()
