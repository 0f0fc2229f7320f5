import datetime as dt
import hashlib
import io
import re
import time
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Account, AccountEvent, Channel, Contact, EventKind, Order
from assessments.evidence import order_evidence
from assessments.models import Answer, Assessment, AssessmentSettings, AssessmentStatus
from assessments.rules import perception_gap
from assessments.scoring import ScaledAnswer, relationship_score
from demo import Pattern, pattern_of
from demo.assessment import DRAFTS, order_evidence_from
from demo.catalog import PRODUCT_CATEGORIES
from demo.generate import History, order_rows, plan_account
from demo.patterns import pattern_for
from segmentation.churn.messages import flag_title
from segmentation.models import NightlyRun, RiskSnapshot

# Autouse: puts the questions back when a transactional test earlier in the run flushed them.
from tests.assessments.conftest import questions_from_the_data_migration  # noqa: F401
from tests.factories import AccountFactory
from users.models import Language, Role, Team, User

END = dt.date(2026, 11, 27)
HEBREW = re.compile(r"[\u0590-\u05FF]")


def seed(*args: str, **options) -> str:
    out = io.StringIO()
    options = {"accounts": 40, "orders_per_account": 40, "end_date": END, **options}
    call_command("seed_demo", *args, stdout=out, **options)
    return out.getvalue()


def digest() -> str:
    """Everything the demo writes, without ids or password hashes (salted)."""
    through = Account.team_members.through.objects
    queries = [
        User.objects.order_by("username").values_list(
            "username", "first_name", "last_name", "role", "language", "team__name"
        ),
        Account.objects.order_by("external_id").values_list(
            "external_id", "name", "industry", "owner__username", "status", "purchasing_potential"
        ),
        through.order_by("account__external_id", "user__username").values_list(
            "account__external_id", "user__username"
        ),
        Contact.objects.order_by("account__external_id", "name", "email", "started_on").values_list(
            "account__external_id",
            "name",
            "title",
            "email",
            "phone",
            "is_primary",
            "started_on",
            "ended_on",
        ),
        Order.objects.order_by("external_ref").values_list(
            "external_ref",
            "account__external_id",
            "ordered_on",
            "channel",
            "revenue",
            "gross_profit",
            "price_compared",
            "product_category",
        ),
        AccountEvent.objects.order_by(
            "account__external_id", "occurred_on", "kind", "text"
        ).values_list(
            "account__external_id",
            "kind",
            "occurred_on",
            "author__username",
            "score",
            "text",
            "created_at",
        ),
        Assessment.objects.order_by("account__external_id", "created_at").values_list(
            "account__external_id",
            "template_version__number",
            "author__username",
            "last_edited_by__username",
            "status",
            "lock_version",
            "score",
            "perception_gap",
            "created_at",
            "updated_at",
            "submitted_at",
        ),
        Answer.objects.order_by(
            "assessment__account__external_id", "assessment__created_at", "question__number"
        ).values_list(
            "assessment__account__external_id",
            "assessment__created_at",
            "question__number",
            "scale",
            "yes_no",
            "count",
            "months",
            "revenue_1y",
            "revenue_5y",
            "revenue_10y",
            "profit_1y",
            "profit_5y",
            "profit_10y",
            "note",
        ),
    ]
    return hashlib.sha256(repr([list(q) for q in queries]).encode()).hexdigest()


def accounts_with(pattern: Pattern) -> list[Account]:
    found = [
        a for a in Account.objects.order_by("external_id") if pattern_of(a.external_id) is pattern
    ]
    assert found, f"no {pattern} account generated"
    return found


def revenue(account: Account, after: dt.date, upto: dt.date) -> Decimal:
    orders = account.orders.filter(ordered_on__gt=after, ordered_on__lte=upto)
    return sum((o.revenue for o in orders), Decimal(0))


# --- pure: no database ------------------------------------------------------------------


def test_pattern_of_reads_the_pattern_from_a_demo_erp_id():
    assert pattern_of("DEMO-000001") is Pattern.STEADY
    assert pattern_of("DEMO-000003") is Pattern.DECLINING
    assert pattern_of("DEMO-000004") is Pattern.LAPSING
    assert pattern_of("DEMO-000021") is Pattern.STEADY  # the cycle repeats every 20


@pytest.mark.parametrize("external_id", ["C000001", "DEMO-", "DEMO-000000", "DEMO-12a", ""])
def test_pattern_of_answers_none_for_other_ids(external_id):
    assert pattern_of(external_id) is None


def test_the_first_eight_accounts_show_every_pattern():
    assert {pattern_for(n) for n in range(1, 9)} == set(Pattern)


def test_an_accounts_orders_depend_only_on_seed_number_and_end_date():
    history = History(end=END)
    rows = [list(order_rows(plan_account(seed=7, number=5, orders_per_account=30), history, 1))]
    rows.append(list(order_rows(plan_account(seed=7, number=5, orders_per_account=30), history, 1)))
    other = list(order_rows(plan_account(seed=8, number=5, orders_per_account=30), history, 1))
    assert rows[0] == rows[1] != other


def test_gross_profit_stays_between_15_and_40_percent_of_revenue():
    history = History(end=END)
    for number in range(1, 41):
        plan = plan_account(seed=3, number=number, orders_per_account=40)
        for row in order_rows(plan, history, number):
            margin = Decimal(row[5]) / Decimal(row[4])
            assert Decimal("0.149") <= margin <= Decimal("0.401"), row


# --- the command, on the database --------------------------------------------------------


@pytest.mark.django_db
def test_same_seed_and_end_date_give_identical_data():
    seed(seed=5)
    first = digest()
    Account.objects.all().delete()
    seed(seed=5)
    assert digest() == first


@pytest.mark.django_db
def test_the_digest_covers_assessments_and_answers():
    seed(seed=5)
    first = digest()
    Answer.objects.filter(question__number=5).update(note="changed")
    assert digest() != first


@pytest.mark.django_db
def test_another_seed_gives_different_data():
    seed(seed=5)
    first = digest()
    Account.objects.all().delete()
    seed(seed=6)
    assert digest() != first


@pytest.mark.django_db
def test_it_creates_the_demo_logins_teams_roles_and_languages():
    seed(password="s3cret-demo")
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {"admin", "manager", "manager2", "am1", "am2", "am3"}
    assert users["admin"].role == Role.ADMIN
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert {users[n].role for n in ("manager", "manager2")} == {Role.SALES_MANAGER}
    assert {users[n].role for n in ("am1", "am2", "am3")} == {Role.ACCOUNT_MANAGER}
    north, south = (
        Team.objects.get(manager=users["manager"]),
        Team.objects.get(manager=users["manager2"]),
    )
    assert {u.username for u in north.members.all()} == {"am1", "am2"}
    assert {u.username for u in south.members.all()} == {"am3"}
    hebrew = {n for n, u in users.items() if u.language == Language.HEBREW}
    assert hebrew == {"manager", "am1"}
    assert all(u.check_password("s3cret-demo") and u.get_full_name() for u in users.values())
    assert not users["am1"].is_staff


@pytest.mark.django_db
def test_it_prints_the_logins_with_a_demo_only_warning():
    out = seed(accounts=8)
    for username in ("admin", "manager", "manager2", "am1", "am2", "am3", "kam-demo"):
        assert username in out
    assert "Demo use only" in out


@pytest.mark.django_db
def test_customers_are_spread_over_account_managers_with_some_account_teams():
    seed()
    accounts = list(Account.objects.select_related("owner__team"))
    assert {a.owner.username for a in accounts} == {"am1", "am2", "am3"}
    pairs = Account.team_members.through.objects.select_related("account__owner", "user")
    assert pairs.exists()
    for pair in pairs:
        assert pair.user.team_id == pair.account.owner.team_id != None  # noqa: E711
        assert pair.user != pair.account.owner
    assert any(HEBREW.search(a.name) for a in accounts)
    assert any(not HEBREW.search(a.name) for a in accounts)
    assert all(a.industry for a in accounts)
    assert any(a.purchasing_potential for a in accounts)
    assert any(a.purchasing_potential is None for a in accounts)


@pytest.mark.django_db
def test_every_account_has_one_current_primary_contact():
    seed()
    current = Contact.objects.current().filter(is_primary=True)
    assert sorted(current.values_list("account__external_id", flat=True)) == sorted(
        Account.objects.values_list("external_id", flat=True)
    )


@pytest.mark.django_db
def test_orders_use_every_channel_a_subset_of_categories_and_include_returns():
    seed()
    assert set(Order.objects.values_list("channel", flat=True)) == set(Channel.values)
    bought = defaultdict(set)
    for external_id, category in Order.objects.values_list(
        "account__external_id", "product_category"
    ):
        bought[external_id].add(category)
    assert set().union(*bought.values()) <= set(PRODUCT_CATEGORIES)
    assert all(len(categories) < len(PRODUCT_CATEGORIES) for categories in bought.values())
    assert Order.objects.filter(revenue__lt=0, gross_profit__lt=0).exists()
    dates = Order.objects.values_list("ordered_on", flat=True)
    assert END - dt.timedelta(days=3 * 365) < min(dates) and max(dates) <= END


@pytest.mark.django_db
def test_declining_customers_buy_well_below_the_same_months_a_year_earlier():
    seed()
    half_year, year = dt.timedelta(days=182), dt.timedelta(days=365)
    for account in accounts_with(Pattern.DECLINING):
        recent = revenue(account, END - half_year, END)
        before = revenue(account, END - year - half_year, END - year)
        assert recent < Decimal("0.7") * before, account.external_id


@pytest.mark.django_db
def test_steady_customers_keep_buying_as_before():
    seed()
    half_year, year = dt.timedelta(days=182), dt.timedelta(days=365)
    for account in accounts_with(Pattern.STEADY):
        recent = revenue(account, END - half_year, END)
        before = revenue(account, END - year - half_year, END - year)
        assert Decimal("0.6") * before < recent < Decimal("1.6") * before, account.external_id
        assert account.orders.filter(ordered_on__gt=END - dt.timedelta(days=60)).exists()


@pytest.mark.django_db
def test_lapsing_customers_have_not_ordered_for_over_90_days():
    seed()
    for account in accounts_with(Pattern.LAPSING):
        assert account.orders.exists()
        assert not account.orders.filter(ordered_on__gt=END - dt.timedelta(days=90)).exists()


@pytest.mark.django_db
def test_reorganised_customers_have_a_recently_replaced_primary_contact_and_an_org_change():
    seed()
    reorganised = {a.external_id for a in accounts_with(Pattern.REORGANISED)}
    newcomers = Contact.objects.primary_replacements().select_related("account")
    assert {c.account.external_id for c in newcomers} == reorganised
    for contact in newcomers:
        assert END - dt.timedelta(days=120) <= contact.started_on <= END
        assert contact.account.contacts.filter(is_primary=True, ended_on__isnull=False).exists()
        assert contact.account.events.filter(
            kind=EventKind.ORG_CHANGE, occurred_on=contact.started_on
        ).exists()


@pytest.mark.django_db
def test_price_sensitive_customers_compare_prices_on_a_growing_share_of_orders():
    seed()
    for account in accounts_with(Pattern.PRICE_SENSITIVE):
        first = account.orders.filter(ordered_on__lte=END - dt.timedelta(days=730))
        last = account.orders.filter(ordered_on__gt=END - dt.timedelta(days=365))
        share_first = first.filter(price_compared=True).count() / first.count()
        share_last = last.filter(price_compared=True).count() / last.count()
        assert share_last > share_first + 0.25, account.external_id


@pytest.mark.django_db
def test_competitor_threatened_customers_have_recent_competitor_events_and_falling_volume():
    seed()
    half_year, year = dt.timedelta(days=182), dt.timedelta(days=365)
    for account in accounts_with(Pattern.COMPETITOR_THREATENED):
        recent_events = account.events.filter(kind=EventKind.COMPETITOR, occurred_on__gt=END - year)
        assert recent_events.count() >= 2
        recent = revenue(account, END - half_year, END)
        assert recent < Decimal("0.85") * revenue(account, END - year - half_year, END - year)


@pytest.mark.django_db
def test_unhappy_customers_score_low_and_steady_ones_high():
    seed()

    def latest_score(account: Account) -> int:
        return account.events.filter(kind=EventKind.SATISFACTION).latest("occurred_on").score

    for pattern in (Pattern.DECLINING, Pattern.LAPSING, Pattern.COMPETITOR_THREATENED):
        assert all(latest_score(a) <= 5 for a in accounts_with(pattern)), pattern
    assert all(latest_score(a) >= 8 for a in accounts_with(Pattern.STEADY))
    assert all(
        a.events.filter(kind=EventKind.COMPLAINT).exists() for a in accounts_with(Pattern.DECLINING)
    )


@pytest.mark.django_db
def test_if_empty_seeds_an_empty_database():
    seed("--if-empty", accounts=8)
    assert Account.objects.count() == 8


@pytest.mark.django_db
def test_if_empty_writes_nothing_when_accounts_exist():
    seed(accounts=8)
    before = digest()
    out = seed("--if-empty", accounts=20, seed=99)
    assert digest() == before
    assert "am1" in out and "Demo use only" in out


@pytest.mark.django_db
def test_it_refuses_a_database_that_already_has_accounts():
    AccountFactory()
    with pytest.raises(CommandError, match="flush"):
        seed()
    assert Account.objects.count() == 1
    assert not User.objects.filter(username="manager2").exists()
    assert not Order.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--end-date", "2026-13-01"], "--end-date"),
        (["--accounts", "0"], "--accounts"),
        (["--orders-per-account", "many"], "--orders-per-account"),
        (["--password", ""], "--password"),
    ],
)
def test_bad_options_are_clear_errors(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", *args, stdout=io.StringIO())
    assert not Account.objects.exists()


@pytest.mark.django_db
def test_the_default_size_builds_in_seconds():
    started = time.perf_counter()
    out = seed(accounts=300)
    assert time.perf_counter() - started < 15
    assert Account.objects.count() == 300
    assert 300 * 40 * 0.9 < Order.objects.count() < 300 * 40 * 1.1
    assert "300 accounts" in out


# --- relationship assessments ------------------------------------------------------------


def submitted_scores() -> dict[str, list[Decimal]]:
    """Submitted scores per demo account, oldest first."""
    scores: dict[str, list[Decimal]] = defaultdict(list)
    rows = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED).order_by(
        "account__external_id", "submitted_at"
    )
    for external_id, score in rows.values_list("account__external_id", "score"):
        scores[external_id].append(score)
    return scores


def numbers(gap: dict | None) -> dict | None:
    """Amounts compared as numbers: SQLite's SUM gives '19706.6700000000' for '19706.67'."""
    if gap is None:
        return None
    return {k: Decimal(v) if k.startswith("revenue_") else v for k, v in gap.items()}


def test_order_evidence_from_generated_orders_matches_the_query(db):
    seed(accounts=8)
    account = Account.objects.get(external_id="DEMO-000003")
    sales = [(o.ordered_on.isoformat(), o.revenue, o.gross_profit) for o in account.orders.all()]
    for as_of in (END, END - dt.timedelta(days=200), dt.date(2024, 2, 29)):
        assert order_evidence_from(sales, as_of=as_of) == order_evidence(
            account_id=account.pk, as_of=as_of
        )


@pytest.mark.django_db
def test_two_accounts_in_five_have_one_to_four_assessments_by_their_owner():
    seed(accounts=300)
    scores = submitted_scores()
    assert 0.35 * 300 < len(scores) < 0.55 * 300
    assert all(1 <= len(s) <= 4 for s in scores.values())
    submitted = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED)
    assert not submitted.exclude(author=models.F("account__owner")).exists()
    days = [timezone.localdate(d) for d in submitted.values_list("submitted_at", flat=True)]
    assert END - dt.timedelta(days=550) <= min(days) and max(days) <= END
    # The newest: within every cadence (60 days) for some, overdue at the default 90 for others.
    newest = submitted.values("account").annotate(last=models.Max("submitted_at"))
    ages = [(END - timezone.localdate(row["last"])).days for row in newest]
    assert any(age < 60 for age in ages) and any(age > 90 for age in ages)
    # The at-risk customers, whom the nightly run admits to the programme first, most often.
    share = {p: sum(pattern_of(e) is p for e in scores) / len(accounts_with(p)) for p in Pattern}
    assert share[Pattern.DECLINING] > 0.6 and share[Pattern.PRICE_SENSITIVE] > 0.4
    assert share[Pattern.STEADY] < 0.4


@pytest.mark.django_db
def test_stored_scores_and_gaps_are_what_the_assessment_rules_give():
    seed()
    margin = AssessmentSettings.load().perception_gap_margin_pct
    submitted = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED)
    for assessment in submitted.prefetch_related("answers__question"):
        answers = list(assessment.answers.all())
        assert len(answers) == 10, assessment
        scale = {a.question.number: a.scale for a in answers if a.question.is_scale}
        assert all(1 <= v <= 5 for v in scale.values())
        weighted = (
            ScaledAnswer(value=a.scale, weight=a.question.weight)
            for a in answers
            if a.question.is_scale
        )
        assert assessment.score == relationship_score(weighted)
        as_of = timezone.localdate(assessment.submitted_at)
        evidence = order_evidence(account_id=assessment.account_id, as_of=as_of)
        gap = perception_gap(
            q4_answer=scale[4], yoy_growth_pct=evidence.revenue_growth_pct, margin_pct=margin
        )
        expected = None if gap is None else {**gap, **evidence.as_json()}
        assert numbers(assessment.perception_gap) == numbers(expected), assessment.account


@pytest.mark.django_db
def test_steady_and_growing_score_high_declining_and_competitor_threatened_fall():
    seed(accounts=300)
    scores = submitted_scores()
    for external_id, history in scores.items():
        pattern = pattern_of(external_id)
        if pattern in (Pattern.STEADY, Pattern.GROWING):
            assert all(s >= 60 for s in history), (external_id, history)
        if pattern in (Pattern.DECLINING, Pattern.COMPETITOR_THREATENED):
            assert len(history) >= 2 and history[-1] < history[0] - 10, (external_id, history)
        if pattern is Pattern.GROWING:
            # Rising, or level near the top of the scale: never a fall the churn engine flags.
            assert history[-1] >= history[0] - 5, (external_id, history)
    growing = [h for e, h in scores.items() if pattern_of(e) is Pattern.GROWING and len(h) > 1]
    assert sum(h[-1] > h[0] for h in growing) > len(growing) / 2
    falling = (Pattern.DECLINING, Pattern.COMPETITOR_THREATENED)
    assert any(h[-1] <= 40 for e, h in scores.items() if pattern_of(e) in falling)


@pytest.mark.django_db
def test_a_few_falling_accounts_claim_growth_and_get_a_perception_gap():
    seed()
    gaps = Assessment.objects.filter(perception_gap__isnull=False)
    claimed = {a.account.external_id: a.perception_gap for a in gaps.select_related("account")}
    assert {"DEMO-000003", "DEMO-000007"} <= set(claimed)
    assert len(claimed) < 10
    for external_id, gap in claimed.items():
        assert pattern_of(external_id) in (Pattern.DECLINING, Pattern.COMPETITOR_THREATENED)
        assert gap["claimed"] == "grow" and Decimal(gap["yoy_growth_pct"]) < -10


@pytest.mark.django_db
def test_two_accounts_have_a_draft_in_progress_without_score():
    seed()
    drafts = Assessment.objects.filter(status=AssessmentStatus.DRAFT).select_related("account")
    assert sorted(d.account.external_id for d in drafts) == [f"DEMO-{n:06d}" for n in DRAFTS]
    for draft in drafts:
        assert draft.score is None and draft.submitted_at is None
        assert draft.perception_gap is None and draft.answers.exists()
        assert draft.author == draft.account.owner


@pytest.mark.django_db
def test_the_nightly_run_flags_poor_and_falling_relationships_shown_on_the_account_page(client):
    seed()
    call_command("run_nightly", "--as-of", END.isoformat(), stdout=io.StringIO())
    snapshots = RiskSnapshot.objects.filter(run=NightlyRun.objects.latest_complete())
    codes = defaultdict(set)
    for snapshot in snapshots.select_related("account"):
        for code in snapshot.flag_codes:
            codes[code].add(snapshot.account)
    assert codes["poor_relationship"] and codes["relationship_falling"]
    happy = (Pattern.STEADY, Pattern.GROWING)
    flagged = codes["poor_relationship"] | codes["relationship_falling"]
    assert not [a for a in flagged if pattern_of(a.external_id) in happy]
    account = min(codes["relationship_falling"], key=lambda a: a.pk)
    client.force_login(account.owner)
    response = client.get(reverse("accounts:detail", args=[account.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="assessments-section"' in page and 'id="assessment-chart-data"' in page
    assert str(account.assessments.latest("submitted_at").score) in page
    with translation.override(account.owner.language):
        assert flag_title("relationship_falling") in page
