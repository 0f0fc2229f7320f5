"""The home pages' "At risk" panel and the account list's churn-risk filter, sort and column."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from segmentation.churn.selectors import at_risk_visible_to
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot
from tests.factories import AccountFactory, AccountManagerFactory
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

OVERDUE = {"code": "overdue", "evidence": {"days_since_last_order": 94, "usual_gap_days": 21}}
COMPLAINTS = {
    "code": "complaints",
    "evidence": {"count": 3, "lookback_days": 180, "last_on": "2026-10-02"},
}


def complete_run(as_of=dt.date(2026, 10, 31)) -> NightlyRun:
    return NightlyRun.objects.create(as_of=as_of, status=RunStatus.COMPLETE)


def snapshot(run, account, *, level="high", gp="1000.00", score="70.0", flags=None):
    """A hand-weights snapshot: probability score / 100, expected loss probability x gp."""
    probability = Decimal(score) / 100
    return RiskSnapshot.objects.create(
        run=run,
        account=account,
        score=score,
        probability=probability,
        expected_loss=max(probability * Decimal(gp), Decimal(0)).quantize(Decimal("0.01")),
        level=level,
        flags=[OVERDUE] if flags is None else flags,
        revenue_12m="5000.00",
        gross_profit_12m=gp,
    )


def panel_ids(client, user) -> list[int]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.text
    start = html.index('data-testid="at-risk"')
    section = html[start : html.index("</section>", start)]
    ids = [int(p.split('"')[0]) for p in section.split('data-account-id="')[1:]]
    return ids


@pytest.fixture
def at_risk(account_manager, teammate, stranger, own_account, foreign_account):
    """High-risk accounts of the owner, a team-mate (shared with the owner), and a stranger."""
    run = complete_run()
    team_account = AccountFactory(owner=teammate, name="Team Ltd")
    shared = AccountFactory(owner=teammate, name="Shared Ltd")
    shared.team_members.add(account_manager)
    for account, gp in ((own_account, "300"), (team_account, "900"), (shared, "600")):
        snapshot(run, account, gp=gp)
    snapshot(run, foreign_account, gp="99999")
    return {"own": own_account, "team": team_account, "shared": shared, "foreign": foreign_account}


class TestWhoSeesWhat:
    def test_the_owner_sees_own_and_shared_accounts_only(self, client, account_manager, at_risk):
        ids = panel_ids(client, account_manager)
        assert ids == [at_risk["shared"].pk, at_risk["own"].pk]

    def test_a_team_mate_sees_their_own_only(self, client, teammate, at_risk):
        assert panel_ids(client, teammate) == [at_risk["team"].pk, at_risk["shared"].pk]

    def test_the_sales_manager_sees_the_team_but_not_the_stranger(
        self, client, sales_manager, at_risk
    ):
        ids = panel_ids(client, sales_manager)
        assert ids == [at_risk["team"].pk, at_risk["shared"].pk, at_risk["own"].pk]

    def test_the_admin_sees_every_account(self, client, admin_user, at_risk):
        ids = panel_ids(client, admin_user)
        assert ids[0] == at_risk["foreign"].pk and len(ids) == 4

    def test_the_stranger_sees_only_theirs(self, client, stranger, at_risk):
        assert panel_ids(client, stranger) == [at_risk["foreign"].pk]

    def test_totals_count_only_visible_accounts(self, sales_manager, at_risk):
        summary = at_risk_visible_to(user=sales_manager)
        assert (summary.high, summary.medium) == (3, 0)
        assert summary.high_gross_profit_12m == Decimal("1800.00")


class TestRanking:
    def test_by_expected_loss_then_the_likelier_loss(self, account_manager):
        """Until the probability, high risk came before medium, then gross profit; now the
        expected loss (probability x gross profit 12 months) ranks both levels together."""
        run = complete_run()
        make = lambda name: AccountFactory(owner=account_manager, name=name)  # noqa: E731
        medium_rich = snapshot(run, make("Medium rich"), level="medium", gp="50000", score="40.0")
        high_small = snapshot(run, make("High small"), gp="100", score="90.0")  # 90
        high_big = snapshot(run, make("High big"), gp="8000", score="61.0")  # 4,880
        likely = snapshot(run, make("Likely"), gp="500", score="80.0")  # 400
        unlikely = snapshot(run, make("Unlikely"), gp="1000", score="40.0", level="medium")  # 400
        snapshot(run, make("Low"), level="low", gp="90000", score="10.0")
        summary = at_risk_visible_to(user=account_manager)
        assert summary.rows == [medium_rich, high_big, likely, unlikely, high_small]
        assert (summary.high, summary.medium) == (3, 2)
        assert summary.high_gross_profit_12m == Decimal("8600.00")
        assert summary.expected_loss == Decimal("25770.00")  # 20,000 + 4,880 + 400 + 400 + 90

    def test_only_the_latest_complete_run_counts(self, account_manager, own_account):
        snapshot(complete_run(dt.date(2026, 10, 30)), own_account, gp="1")
        NightlyRun.objects.create(as_of=dt.date(2026, 11, 2), status=RunStatus.FAILED)
        latest = snapshot(complete_run(dt.date(2026, 11, 1)), own_account, level="medium")
        summary = at_risk_visible_to(user=account_manager)
        assert summary.rows == [latest] and summary.as_of == dt.date(2026, 11, 1)

    def test_it_keeps_the_top_ten(self, account_manager):
        run = complete_run()
        for i in range(12):
            snapshot(run, AccountFactory(owner=account_manager), gp=str(100 + i))
        summary = at_risk_visible_to(user=account_manager)
        assert len(summary.rows) == 10 and summary.high == 12
        assert summary.rows[0].gross_profit_12m == Decimal("111.00")  # the most to lose


class TestPanel:
    def test_before_any_run_it_says_so(self, client, account_manager, own_account):
        NightlyRun.objects.create(as_of=dt.date(2026, 11, 1), status=RunStatus.RUNNING)
        client.force_login(account_manager)
        html = client.get(reverse("home")).text
        assert "the first nightly run has not completed" in html

    def test_a_row_shows_probability_level_flags_evidence_and_losses(
        self, client, sales_manager, own_account
    ):
        overdue, complaints = OVERDUE | {"points": 40.2}, COMPLAINTS | {"points": 12.0}
        snapshot(complete_run(), own_account, gp="98765", score="81.3", flags=[complaints, overdue])
        client.force_login(sales_manager)
        html = client.get(reverse("home")).text
        assert f'href="{reverse("accounts:detail", args=[own_account.pk])}">Own Ltd' in html
        assert "<bdi>am1</bdi>" in html  # the owner, for managers
        assert ">81%</bdi>" in html and "High" in html
        assert "Overdue order" in html and "Complaints" in html
        # The evidence of the flag that adds the most, with its points.
        assert "No order for 94 days; this customer usually orders every 21 days." in html
        assert "+40.2 percentage points" in html
        assert "3 complaints in the last" not in html
        assert "₪80,296" in html  # expected loss: 0.813 x 98,765
        assert "98,765" in html and "1 high-risk account</a>," in html
        assert "Chance of no order in the next 90 days" in html
        assert "/accounts/?risk=high&amp;sort=-at_stake" in html

    def test_an_account_manager_gets_no_owner_column(self, client, account_manager, own_account):
        snapshot(complete_run(), own_account)
        client.force_login(account_manager)
        html = client.get(reverse("home")).text
        assert "<bdi>am1</bdi>" not in html

    def test_nothing_at_risk_says_so(self, client, account_manager, own_account):
        snapshot(complete_run(), own_account, level="low")
        client.force_login(account_manager)
        assert "No account at high or medium risk." in client.get(reverse("home")).text

    def test_it_reads_in_hebrew(self, client, own_account):
        manager = own_account.owner.team.manager
        manager.language = "he"
        manager.save()
        snapshot(complete_run(), own_account, gp="98765")
        client.force_login(manager)
        html = client.get(reverse("home")).text
        with translation.override("he"):
            expected = [
                translation.gettext("At risk"),
                translation.gettext("Overdue order"),
                translation.gettext(
                    "No order for %(days_since_last_order)s days; this customer usually orders "
                    "every %(usual_gap_days)s days."
                )
                % OVERDUE["evidence"],
                translation.gettext("High"),
            ]
        assert "At risk" not in html and "Overdue order" not in html
        assert all(text in html for text in expected), expected
        assert "לקוחות בסיכון" in html


class TestQueryBounds:
    @pytest.mark.parametrize("who", ["account_manager", "sales_manager", "admin_user"])
    def test_the_home_page_does_not_grow_with_the_portfolio(self, client, request, who, at_risk):
        user = request.getfixturevalue(who)
        client.force_login(user)
        run = NightlyRun.objects.get()

        def more():
            for _ in range(15):
                owner = AccountManagerFactory(team=at_risk["own"].owner.team)
                account = AccountFactory(owner=owner)
                account.team_members.add(at_risk["own"].owner)
                snapshot(run, account, flags=[OVERDUE, COMPLAINTS])

        assert_queries_do_not_grow(client, reverse("home"), add_data=more)

    def test_the_panel_itself_takes_two_queries(
        self, sales_manager, at_risk, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(2):
            at_risk_visible_to(user=sales_manager)


class TestAccountList:
    @pytest.fixture
    def scored(self, account_manager):
        run = complete_run()
        make = lambda name: AccountFactory(owner=account_manager, name=name)  # noqa: E731
        accounts = {n: make(n) for n in ("A high", "B medium", "C low", "D high", "E unscored")}
        snapshot(run, accounts["A high"], gp="100", score="80.0")
        snapshot(run, accounts["B medium"], level="medium", gp="5000", score="40.0")
        snapshot(run, accounts["C low"], level="low", gp="300", score="5.0")
        snapshot(run, accounts["D high"], gp="700", score="65.0")
        return accounts

    def names(self, client, user, query: str) -> list[str]:
        client.force_login(user)
        response = client.get("/accounts/" + query)
        assert response.status_code == 200
        return [a.name for a in response.context["page"].object_list]

    def test_the_risk_filter(self, client, account_manager, scored, foreign_account):
        snapshot(NightlyRun.objects.get(), foreign_account)
        assert self.names(client, account_manager, "?risk=high") == ["A high", "D high"]
        assert self.names(client, account_manager, "?risk=medium") == ["B medium"]
        assert self.names(client, account_manager, "?risk=low") == ["C low"]

    def test_an_unknown_level_is_ignored_with_a_message(self, client, account_manager, scored):
        client.force_login(account_manager)
        response = client.get("/accounts/?risk=severe")
        assert len(response.context["page"].object_list) == 5
        assert "Filter “Churn risk” ignored" in response.text

    def test_the_sort_by_expected_loss_puts_unscored_last(self, client, account_manager, scored):
        # Expected loss: B 2,000, D 455, A 80, C 15 (A's 80% chance of 100 before C's 5% of 300).
        names = self.names(client, account_manager, "?sort=-at_stake")
        assert names == ["B medium", "D high", "A high", "C low", "E unscored"]

    def test_the_sort_by_gross_profit_at_stake_stays(self, client, account_manager, scored):
        names = self.names(client, account_manager, "?sort=-gross_profit_at_stake")
        assert names == ["B medium", "D high", "C low", "A high", "E unscored"]

    def test_filter_and_sort_combine(self, client, account_manager, scored):
        assert self.names(client, account_manager, "?risk=high&sort=-at_stake") == [
            "D high",
            "A high",
        ]

    def test_the_row_shows_probability_level_and_expected_loss(
        self, client, account_manager, scored
    ):
        client.force_login(account_manager)
        html = client.get("/accounts/?risk=high").text
        assert 'data-risk="high"' in html and ">80%</bdi>" in html
        assert "expected loss ₪455" in html

    def test_the_list_does_not_grow_with_the_portfolio(self, client, sales_manager, scored):
        client.force_login(sales_manager)
        run = NightlyRun.objects.get()
        owner = next(iter(scored.values())).owner

        def more():
            for _ in range(15):
                snapshot(run, AccountFactory(owner=owner))

        assert_queries_do_not_grow(client, "/accounts/?risk=high&sort=-at_stake", add_data=more)
