"""/api/v1/accounts/: exactly the accounts a user may see, with their owner, team, segment,
programme, churn score, level and flags with evidence and 12-month figures; filters and
ordering as the pages'; reassignment refused without the current ETag."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account, AccountEvent, EventKind
from accounts.selectors import account_list_visible_to
from segmentation.models import RiskSnapshot
from segmentation.pipeline import nightly_run_start
from tests.factories import AccountFactory, AccountManagerFactory, OrderFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/accounts/"


def detail(account: Account) -> str:
    return f"/api/v1/accounts/{account.pk}/"


def reassign(account: Account) -> str:
    return f"/api/v1/accounts/{account.pk}/reassign/"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def portfolio(account_manager, teammate, stranger, own_account, foreign_account):
    mate = AccountFactory(owner=teammate, name="Mate Ltd")
    shared = AccountFactory(owner=teammate, name="Shared Ltd")
    shared.team_members.add(account_manager)
    AccountFactory(owner=None, name="Nobody's Ltd")
    return {"own": own_account, "mate": mate, "shared": shared, "foreign": foreign_account}


@pytest.mark.parametrize(
    "who", ["account_manager", "teammate", "stranger", "sales_manager", "admin_user"]
)
def test_every_list_is_exactly_the_visible_set(client, request, portfolio, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    visible = set(account_list_visible_to(user=user).values_list("pk", flat=True))
    assert ids(client.get(LIST)) == visible
    for account in Account.objects.all():
        expected = 200 if account.pk in visible else 404
        assert client.get(detail(account)).status_code == expected


def test_it_gives_owner_team_segment_churn_flags_and_figures(client, account_manager, team):
    today = timezone.localdate()
    account = AccountFactory(owner=account_manager, name="Scored Ltd")
    for days in (400, 300, 200, 100):
        OrderFactory(account=account, ordered_on=today - dt.timedelta(days=days))
    AccountEvent.objects.create(
        account=account, kind=EventKind.COMPETITOR, occurred_on=today - dt.timedelta(days=3)
    )
    run = nightly_run_start(as_of=today - dt.timedelta(days=1))
    client.force_login(account_manager)
    body = client.get(detail(account)).json()
    assert body["owner"]["username"] == "am1"
    assert body["team"] == {"id": team.pk, "name": "North"}
    assert body["as_of"] == run.as_of.isoformat()
    churn = body["churn"]
    assert churn["level"] in ("low", "medium", "high")
    codes = [flag["code"] for flag in churn["flags"]]
    assert "competitor" in codes
    assert all(isinstance(flag["evidence"], dict) for flag in churn["flags"])
    assert body["revenue_12m"] == "3000.00"  # three orders within the run's 12 months
    assert body["gross_profit_12m"] == "750.00"
    snapshot = RiskSnapshot.objects.get(run=run, account=account)
    assert (churn["probability"], churn["expected_loss"], churn["score"]) == (
        str(snapshot.probability),
        str(snapshot.expected_loss),
        str(snapshot.score),
    )
    assert Decimal(churn["expected_loss"]) == (snapshot.probability * 750).quantize(Decimal("0.01"))


def test_before_any_run_the_scores_are_null(client, account_manager, own_account):
    client.force_login(account_manager)
    body = client.get(detail(own_account)).json()
    assert body["churn"] is None and body["segment"] is None and body["revenue_12m"] is None


def test_the_pages_filters_apply_and_a_bad_one_names_itself(client, admin_user, portfolio):
    client.force_login(admin_user)
    assert ids(client.get(LIST, {"q": "Mate"})) == {portfolio["mate"].pk}
    response = client.get(LIST, {"risk": "catastrophic"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "risk"


def test_ordering_is_strict(client, admin_user, portfolio):
    client.force_login(admin_user)
    names = [r["name"] for r in client.get(LIST, {"ordering": "-name"}).json()["results"]]
    assert names == sorted(names, reverse=True)
    response = client.get(LIST, {"ordering": "owner__password"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ordering"


def test_pages_are_bounded(client, admin_user, portfolio):
    client.force_login(admin_user)
    page = client.get(LIST, {"limit": 10**30}).json()
    assert page["count"] == 5 and len(page["results"]) == 5
    assert len(client.get(LIST, {"limit": 2}).json()["results"]) == 2


def test_a_foreign_account_is_a_404_that_names_nothing(client, account_manager, foreign_account):
    client.force_login(account_manager)
    response = client.get(detail(foreign_account))
    assert response.status_code == 404
    assert "Foreign" not in response.content.decode()


class TestReassign:
    def etag(self, client, account: Account) -> str:
        return client.get(detail(account))["ETag"]

    def test_a_sales_manager_reassigns_with_the_current_etag(
        self, client, sales_manager, own_account, teammate
    ):
        client.force_login(sales_manager)
        etag = self.etag(client, own_account)
        body = {"to": teammate.pk, "reason": "Holiday cover"}
        response = client.post(
            reassign(own_account), body, content_type="application/json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 200, response.json()
        assert response.json()["owner"]["username"] == "am2"
        assert response["ETag"] != etag
        own_account.refresh_from_db()
        assert own_account.owner == teammate

    def test_a_stale_etag_is_refused_and_changes_nothing(
        self, client, sales_manager, own_account, teammate, team
    ):
        client.force_login(sales_manager)
        etag = self.etag(client, own_account)
        other = AccountManagerFactory(team=team)
        first = {"to": other.pk, "reason": "First"}
        assert client.post(reassign(own_account), first, content_type="application/json",
                           HTTP_IF_MATCH=etag).status_code == 200  # fmt: skip
        second = {"to": teammate.pk, "reason": "Second, from an old read"}
        response = client.post(
            reassign(own_account), second, content_type="application/json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 412
        own_account.refresh_from_db()
        assert own_account.owner == other

    def test_without_if_match_it_is_a_428(self, client, sales_manager, own_account, teammate):
        client.force_login(sales_manager)
        body = {"to": teammate.pk, "reason": "x"}
        response = client.post(reassign(own_account), body, content_type="application/json")
        assert response.status_code == 428
        assert response.json()["errors"][0]["field"] == "If-Match"

    def test_a_target_outside_the_teams_names_the_field(
        self, client, sales_manager, own_account, stranger
    ):
        client.force_login(sales_manager)
        etag = self.etag(client, own_account)
        body = {"to": stranger.pk, "reason": "x"}
        response = client.post(
            reassign(own_account), body, content_type="application/json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == ["to"]

    def test_an_account_manager_may_not(self, client, account_manager, own_account, teammate):
        client.force_login(account_manager)
        body = {"to": teammate.pk, "reason": "x"}
        response = client.post(reassign(own_account), body, content_type="application/json")
        assert response.status_code == 403

    def test_the_owner_is_read_only_on_the_account_itself(
        self, client, admin_user, own_account, stranger
    ):
        client.force_login(admin_user)
        response = client.patch(
            detail(own_account), {"owner": stranger.pk}, content_type="application/json"
        )
        assert response.status_code == 405


def test_the_old_endpoint_keeps_answering(client, account_manager, own_account):
    client.force_login(account_manager)
    response = client.get("/api/accounts/")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Own Ltd"]


def test_a_page_costs_the_same_queries_for_2_accounts_or_20(client, sales_manager, team):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    client.force_login(sales_manager)
    owners = [AccountManagerFactory(team=team) for _ in range(4)]
    for n in range(2):
        AccountFactory(owner=owners[n])
    few = queries()
    for n in range(18):
        AccountFactory(owner=owners[n % 4]).team_members.add(owners[(n + 1) % 4])
    assert queries() == few
    # session, user, the data version, the filter form's owners, teams and industries (read
    # once per version of the data: the accounts made above gave it a new one), count, page,
    # account teams
    assert few == 9
