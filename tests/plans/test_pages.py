"""The growth plan's pages for every role on own, team and foreign accounts (the access matrix
pins the status codes; these pin what each person sees and can do), the card on the account
page, overdue actions on the home page, and bounded queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.enums import ActionStatus, GoalKind, GoalState
from plans.models import Action, Goal, GrowthPlan
from plans.services import GoalData
from tests.factories import AccountFactory, OrderFactory
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def plan_url(account) -> str:
    return reverse("plans:plan", args=[account.pk])


@pytest.fixture
def plan(own_account, account_manager):
    return services.plan_get_or_create(account=own_account, by=account_manager, today=today())


@pytest.fixture
def goal(plan, account_manager):
    data = GoalData(kind=GoalKind.FREE_TEXT, text="Meet the new owner")
    return services.goal_add(plan=plan, data=data, by=account_manager, as_of=today())


@pytest.fixture
def action(plan, account_manager):
    return services.action_add(
        plan=plan, title="Call the buyer", owner=account_manager, due_on=today(), by=account_manager
    )


@pytest.fixture
def reader(sales_manager, account_manager, stranger):
    """The sales manager on an account of another team worked by one of theirs (am1): they may
    see it, but the owner is not in their team, so they only read."""
    account = AccountFactory(owner=stranger, name="Across Ltd")
    account.team_members.add(account_manager)
    services.plan_get_or_create(account=account, by=stranger, today=today())
    return account


def write_urls(account, goal, action) -> list[tuple[str, str]]:
    pk = account.pk
    return [
        ("post", reverse("plans:plan", args=[pk])),
        ("get", reverse("plans:goal_new", args=[pk])),
        ("post", reverse("plans:goal_new", args=[pk])),
        ("get", reverse("plans:goal_edit", args=[pk, goal.pk])),
        ("post", reverse("plans:goal_edit", args=[pk, goal.pk])),
        ("post", reverse("plans:goal_remove", args=[pk, goal.pk])),
        ("get", reverse("plans:action_new", args=[pk])),
        ("post", reverse("plans:action_new", args=[pk])),
        ("get", reverse("plans:action_edit", args=[pk, action.pk])),
        ("post", reverse("plans:action_edit", args=[pk, action.pk])),
        ("post", reverse("plans:action_status", args=[pk, action.pk])),
    ]


class TestAReaderWhoMayNotWrite:
    def test_reads_the_plan_without_a_button_to_change_it(self, client, sales_manager, reader):
        client.force_login(sales_manager)
        html = client.get(plan_url(reader)).text
        assert 'data-testid="goals"' in html
        assert 'data-testid="goal-add"' not in html and 'data-testid="plan-form"' not in html

    def test_gets_a_403_on_every_form_and_write(self, client, sales_manager, stranger, reader):
        plan = reader.growth_plan
        goal = Goal.objects.create(plan=plan, kind=GoalKind.FREE_TEXT, text="x")
        action = Action.objects.create(plan=plan, title="x", owner=stranger, due_on=today())
        client.force_login(sales_manager)
        for method, url in write_urls(reader, goal, action):
            assert getattr(client, method)(url, {"status": "done"}).status_code == 403, url
        assert Goal.objects.filter(pk=goal.pk).exists()
        assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN


def test_a_goal_or_action_of_another_account_is_not_found_under_this_one(
    client, account_manager, own_account, foreign_account, stranger
):
    other = services.plan_get_or_create(account=foreign_account, by=stranger, today=today())
    goal = Goal.objects.create(plan=other, kind=GoalKind.FREE_TEXT, text="theirs")
    action = Action.objects.create(plan=other, title="theirs", owner=stranger, due_on=today())
    client.force_login(account_manager)
    for method, url in write_urls(own_account, goal, action):
        if "goals/new" in url or "actions/new" in url or url.endswith("/plan/"):
            continue  # no goal or action in these URLs
        assert getattr(client, method)(url).status_code == 404, url
    assert Goal.objects.filter(pk=goal.pk).exists()


class TestAddingARevenueGoal:
    def test_the_owner_adds_one_and_sees_its_progress(self, client, account_manager, own_account):
        year = today().year
        OrderFactory(account=own_account, ordered_on=dt.date(year, 1, 1), revenue=Decimal(50_000))
        client.force_login(account_manager)
        response = client.post(
            reverse("plans:goal_new", args=[own_account.pk]),
            {"kind": GoalKind.REVENUE, "target": "500000", "year": str(year)},
        )
        assert response.status_code == 302 and response["Location"] == plan_url(own_account)
        goal = Goal.objects.get()
        assert (goal.starts_on, goal.ends_on) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
        html = client.get(plan_url(own_account)).text
        shown = re.search(r'data-testid="goal-progress" data-state="(\w+)"', html)
        assert shown and shown.group(1) == goal.state != ""
        assert "₪50,000 of ₪500,000 (10.0%)" in html
        assert re.search(r'<meter class="goal-meter"[^>]* value="10.0"', html)
        assert GrowthPlan.objects.get().account == own_account  # the first goal started the plan

    def test_the_sales_manager_of_the_owner_adds_one_too(self, client, sales_manager, own_account):
        client.force_login(sales_manager)
        client.post(
            reverse("plans:goal_new", args=[own_account.pk]),
            {
                "kind": GoalKind.GROSS_PROFIT,
                "target": "1000",
                "starts_on": "2027-01-01",
                "ends_on": "2027-06-30",
            },
        )
        assert Goal.objects.get().history.get().history_user == sales_manager

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"kind": GoalKind.REVENUE, "year": "2027"}, "target"),
            ({"kind": GoalKind.REVENUE, "target": "0", "year": "2027"}, "target"),
            ({"kind": GoalKind.REVENUE, "target": "1" + "0" * 20, "year": "2027"}, "target"),
            ({"kind": GoalKind.REVENUE, "target": "5"}, "starts_on"),
            (
                {
                    "kind": GoalKind.REVENUE,
                    "target": "5",
                    "starts_on": "2027-02-01",
                    "ends_on": "2027-01-01",
                },
                "ends_on",
            ),
            ({"kind": GoalKind.CATEGORY, "ends_on": "2027-01-01"}, "category"),
            ({"kind": GoalKind.CATEGORY, "category": "Pumps"}, "ends_on"),
            ({"kind": GoalKind.FREE_TEXT, "text": "  "}, "text"),
            (
                {
                    "kind": GoalKind.REVENUE,
                    "target": "5",
                    "starts_on": "1900-01-01",
                    "ends_on": "2027-01-01",
                },
                "starts_on",
            ),
            ({"kind": "dream"}, "kind"),
        ],
    )
    def test_a_goal_missing_what_its_kind_needs_is_an_error_on_that_field(
        self, client, account_manager, own_account, data, field
    ):
        client.force_login(account_manager)
        response = client.post(reverse("plans:goal_new", args=[own_account.pk]), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors, response.context["form"].errors
        assert not Goal.objects.exists()


def test_editing_and_removing_a_goal(client, account_manager, own_account, goal):
    client.force_login(account_manager)
    url = reverse("plans:goal_edit", args=[own_account.pk, goal.pk])
    assert "Meet the new owner" in client.get(url).text
    client.post(
        url,
        {"kind": GoalKind.CATEGORY, "category": "Pumps", "ends_on": "2099-01-01", "text": "note"},
    )
    goal.refresh_from_db()
    # It counts from today, and progress is measured up to the last complete day: not started.
    assert (goal.kind, goal.category, goal.starts_on) == (GoalKind.CATEGORY, "Pumps", today())
    assert goal.state == GoalState.NOT_STARTED
    client.post(reverse("plans:goal_remove", args=[own_account.pk, goal.pk]))
    assert not Goal.objects.exists()
    html = client.get(plan_url(own_account)).text
    assert 'data-testid="plan-history"' in html and "removed" in html


class TestActions:
    def test_the_owner_choices_are_the_people_who_may_see_the_account(
        self, client, account_manager, own_account, sales_manager, stranger
    ):
        client.force_login(account_manager)
        form = client.get(reverse("plans:action_new", args=[own_account.pk])).context["form"]
        choices = set(form.fields["owner"].queryset)
        assert {account_manager, sales_manager} <= choices and stranger not in choices
        response = client.post(
            reverse("plans:action_new", args=[own_account.pk]),
            {"title": "Visit", "owner": stranger.pk, "due_on": "2027-01-01"},
        )
        assert "owner" in response.context["form"].errors and not Action.objects.exists()

    def test_adding_one(self, client, account_manager, own_account, sales_manager):
        client.force_login(account_manager)
        client.post(
            reverse("plans:action_new", args=[own_account.pk]),
            {"title": "Visit the plant", "owner": sales_manager.pk, "due_on": "2027-01-01"},
        )
        action = Action.objects.get()
        assert (action.title, action.owner, action.status) == (
            "Visit the plant",
            sales_manager,
            "open",
        )

    def test_htmx_closes_one_and_gets_its_row_back(
        self, client, account_manager, own_account, action
    ):
        client.force_login(account_manager)
        url = reverse("plans:action_status", args=[own_account.pk, action.pk])
        response = client.post(
            url, {"status": "done", "outcome": "Ordered 40 units"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert response.text.lstrip().startswith(f'<tr id="action-{action.pk}"')
        assert 'data-status="done"' in response.text and "Ordered 40 units" in response.text
        action.refresh_from_db()
        assert (action.status, action.closed_on, action.outcome) == (
            "done",
            today(),
            "Ordered 40 units",
        )

    def test_without_htmx_a_status_change_returns_to_the_plan(
        self, client, account_manager, own_account, action
    ):
        client.force_login(account_manager)
        url = reverse("plans:action_status", args=[own_account.pk, action.pk])
        response = client.post(url, {"status": "dropped"})
        assert response.status_code == 302 and response["Location"] == plan_url(own_account)
        action.refresh_from_db()
        assert action.status == "dropped" and action.outcome == ""  # no outcome field: kept

    def test_a_bad_status_is_refused(self, client, account_manager, own_account, action):
        client.force_login(account_manager)
        url = reverse("plans:action_status", args=[own_account.pk, action.pk])
        assert client.post(url, {"status": "later"}).status_code == 400


def test_the_plan_form_sets_the_review_date(client, account_manager, own_account):
    client.force_login(account_manager)
    response = client.post(
        plan_url(own_account), {"review_on": "2027-05-01", "summary": " Grow pumps "}
    )
    assert response.status_code == 302
    plan = GrowthPlan.objects.get()
    assert (plan.review_on, plan.summary) == (dt.date(2027, 5, 1), "Grow pumps")
    assert "Review date" in client.get(plan_url(own_account)).text


def test_an_account_without_a_plan_says_so(client, account_manager, own_account):
    client.force_login(account_manager)
    html = client.get(plan_url(own_account)).text
    assert 'data-testid="no-plan"' in html and 'data-testid="plan-form"' in html
    assert not GrowthPlan.objects.exists()  # reading creates nothing


def test_the_plan_page_queries_do_not_grow(client, account_manager, own_account, plan, action):
    client.force_login(account_manager)

    def add_more() -> None:
        for i in range(5):
            data = GoalData(
                kind=GoalKind.REVENUE,
                target=Decimal(1000 + i),
                starts_on=dt.date(2027, 1, 1),
                ends_on=dt.date(2027, 12, 31),
            )
            g = services.goal_add(plan=plan, data=data, by=account_manager, as_of=today())
            services.goal_edit(goal=g, data=data, by=account_manager, as_of=today())
            a = services.action_add(
                plan=plan, title=f"a{i}", owner=account_manager, due_on=today(), by=account_manager
            )
            services.action_set_status(
                action=a, status="done", outcome="ok", by=account_manager, today=today()
            )

    assert_queries_do_not_grow(client, plan_url(own_account), add_data=add_more)


class TestTheAccountPageCard:
    def test_it_shows_the_goals_with_their_progress(
        self, client, account_manager, own_account, plan
    ):
        year = today().year
        OrderFactory(account=own_account, ordered_on=dt.date(year, 1, 1), revenue=Decimal(50_000))
        data = GoalData(
            kind=GoalKind.REVENUE,
            target=Decimal(100_000),
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
        )
        services.goal_add(plan=plan, data=data, by=account_manager, as_of=today())
        client.force_login(account_manager)
        html = client.get(reverse("accounts:detail", args=[own_account.pk])).text
        assert 'data-testid="plan-card"' in html and 'data-testid="plan-card-goal"' in html
        assert "₪50,000 of ₪100,000 (50.0%)" in html

    def test_without_a_plan_it_says_so(self, client, account_manager, own_account):
        client.force_login(account_manager)
        html = client.get(reverse("accounts:detail", args=[own_account.pk])).text
        assert "This account has no growth plan yet." in html and plan_url(own_account) in html

    def test_it_counts_the_open_and_overdue_actions(
        self, client, account_manager, own_account, plan
    ):
        def add(title: str, days: int):
            due = today() + dt.timedelta(days=days)
            return services.action_add(
                plan=plan, title=title, owner=account_manager, due_on=due, by=account_manager
            )

        for days in (-3, -1, 0, 5):
            add(f"in {days}", days)
        closed = add("closed", -9)
        services.action_set_status(
            action=closed, status="done", outcome=None, by=account_manager, today=today()
        )
        client.force_login(account_manager)
        html = client.get(reverse("accounts:detail", args=[own_account.pk])).text
        assert "4 open actions" in html and "2 overdue" in html

    def test_the_account_page_stays_within_its_query_ceiling(
        self, client, account_manager, own_account, plan, goal, action
    ):
        client.force_login(account_manager)
        assert_queries_do_not_grow(
            client,
            reverse("accounts:detail", args=[own_account.pk]),
            add_data=lambda: [
                Goal.objects.create(plan=plan, kind=GoalKind.FREE_TEXT, text=str(i))
                for i in range(5)
            ],
        )


class TestOverdueActionsOnTheHomePage:
    def test_the_owner_sees_their_overdue_actions(self, client, account_manager, own_account, plan):
        late = services.action_add(
            plan=plan,
            title="Send the offer",
            owner=account_manager,
            due_on=today() - dt.timedelta(days=2),
            by=account_manager,
        )
        services.action_add(
            plan=plan, title="Due today", owner=account_manager, due_on=today(), by=account_manager
        )
        client.force_login(account_manager)
        html = client.get("/").text
        assert 'data-testid="actions-overdue"' in html and late.title in html
        assert "Due today" not in html
        assert re.search(r'data-testid="actions-overdue-count">1<', html)

    @pytest.mark.parametrize("who", ["sales_manager", "admin_user"])
    def test_a_sales_manager_or_admin_owning_one_sees_it_too(
        self, client, request, plan, account_manager, who
    ):
        user = request.getfixturevalue(who)
        services.action_add(
            plan=plan,
            title="Review with me",
            owner=user,
            due_on=today() - dt.timedelta(days=1),
            by=account_manager,
        )
        client.force_login(user)
        assert "Review with me" in client.get("/").text

    def test_closed_actions_and_other_peoples_do_not_show(
        self, client, account_manager, sales_manager, plan
    ):
        closed = services.action_add(
            plan=plan,
            title="Closed one",
            owner=account_manager,
            due_on=today() - dt.timedelta(days=9),
            by=account_manager,
        )
        services.action_set_status(
            action=closed, status="done", outcome=None, by=account_manager, today=today()
        )
        services.action_add(
            plan=plan,
            title="The managers",
            owner=sales_manager,
            due_on=today() - dt.timedelta(days=9),
            by=account_manager,
        )
        client.force_login(account_manager)
        html = client.get("/").text
        assert "Closed one" not in html and "The managers" not in html
        assert 'data-testid="actions-overdue"' not in html

    def test_an_action_on_an_account_they_no_longer_see_does_not_show(
        self, client, account_manager, own_account, stranger, plan
    ):
        services.action_add(
            plan=plan,
            title="Old account",
            owner=account_manager,
            due_on=today() - dt.timedelta(days=1),
            by=account_manager,
        )
        own_account.owner = stranger
        own_account.save()
        client.force_login(account_manager)
        assert "Old account" not in client.get("/").text


def test_the_plan_page_is_in_hebrew(client, account_manager, own_account, goal):
    account_manager.language = "he"
    account_manager.save(update_fields=["language"])
    client.force_login(account_manager)
    html = client.get(plan_url(own_account)).text
    assert 'dir="rtl"' in html and "תוכנית צמיחה" in html


@pytest.mark.parametrize(
    ("language", "symbol", "text"),
    [("en", "$", "in the portal's currency ($)"), ("he", "₪", "במטבע הפורטל (₪)")],
)
def test_the_goal_target_names_the_portal_s_currency(
    client, settings, account_manager, own_account, language, symbol, text
):
    settings.CURRENCY_SYMBOL = symbol
    account_manager.language = language
    account_manager.save(update_fields=["language"])
    client.force_login(account_manager)
    html = client.get(reverse("plans:goal_new", args=[own_account.pk])).text
    assert text in html.replace("&#x27;", "'") and "shekels" not in html
