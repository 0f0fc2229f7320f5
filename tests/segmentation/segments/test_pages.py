"""Segment pages: who may open what, the decision model (preview writes nothing, versions, bad
settings), pins, capacity and the what-if, the account section, tables and home notices."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from segmentation.models import (
    DecisionModelVersion,
    ManagerCapacity,
    NightlyRun,
    SegmentAssignment,
    SegmentPin,
    SegmentSettings,
)
from segmentation.pipeline import nightly_run_start
from segmentation.segments.decision import MEASURES
from tests.factories import AccountFactory, AccountManagerFactory, OrderFactory, UserFactory
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db
MODEL_URL = "/segments/decision-model/"
SETTINGS_URL = "/segments/settings/"
CAPACITY_URL = "/segments/capacity/"
TODAY = timezone.localdate()
AS_OF = TODAY - dt.timedelta(days=1)


def precedence_first() -> None:
    """Rank candidates by precedence, then gross profit at stake (the rule before value)."""
    SegmentSettings.objects.update_or_create(pk=1, defaults={"admission_rule": "precedence"})


def model_data(action="preview", **changes):
    data = {f"weight_{m}": "0" for m in MEASURES} | {f"threshold_{m}": "" for m in MEASURES}
    data |= {"weight_gross_profit_12m": "1", "mode": "percentile", "percentile": "50"}
    return data | {"action": action} | changes


def buy(account, amount, months=12):
    for month in range(months):
        OrderFactory(
            account=account,
            ordered_on=AS_OF - dt.timedelta(days=30 * month),
            revenue=Decimal(amount),
            gross_profit=Decimal(amount) / 10,
        )


@pytest.fixture
def portfolio(account_manager, teammate, stranger):
    """Four customers of am1 (1..4 x 1,000 a month), one of am2 and one of a stranger."""
    own = [AccountFactory(owner=account_manager, name=f"Own {i}") for i in range(1, 5)]
    for i, account in enumerate(own, start=1):
        buy(account, i * 1000)
    mate = AccountFactory(owner=teammate, name="Mate")
    buy(mate, 500)
    far = AccountFactory(owner=stranger, name="Far")
    buy(far, 9000)
    nightly_run_start(as_of=AS_OF)
    return {"own": own, "mate": mate, "far": far}


class TestPermissions:
    @pytest.mark.parametrize("who", ["account_manager", "sales_manager"])
    @pytest.mark.parametrize("url", [MODEL_URL, SETTINGS_URL])
    def test_admin_pages_refuse_everyone_else(self, client, request, who, url):
        client.force_login(request.getfixturevalue(who))
        assert client.get(url).status_code == 403
        assert client.post(url, model_data(action="save")).status_code == 403
        assert not DecisionModelVersion.objects.exists()

    def test_anonymous_users_are_sent_to_log_in(self, client):
        for url in (MODEL_URL, SETTINGS_URL, CAPACITY_URL):
            assert client.get(url).status_code == 302

    @pytest.mark.parametrize("url", [MODEL_URL, SETTINGS_URL, CAPACITY_URL])
    def test_admins_open_every_page(self, client, admin_user, url):
        client.force_login(admin_user)
        assert client.get(url).status_code == 200

    def test_a_sales_manager_sees_only_their_teams_managers(self, client, sales_manager, portfolio):
        client.force_login(sales_manager)
        body = client.get(CAPACITY_URL).content.decode()
        assert 'data-manager="am1"' in body and 'data-manager="am2"' in body
        assert 'data-manager="am3"' not in body

    def test_an_account_manager_sees_only_themselves(self, client, account_manager, portfolio):
        client.force_login(account_manager)
        body = client.get(CAPACITY_URL).content.decode()
        assert 'data-manager="am1"' in body and 'data-manager="am2"' not in body

    def test_a_what_if_for_someone_else_is_refused(self, client, sales_manager, stranger):
        client.force_login(sales_manager)
        response = client.get(CAPACITY_URL, {"manager": stranger.pk, "capacity": 3})
        assert response.status_code == 403

    @pytest.mark.parametrize("who", ["account_manager", "sales_manager"])
    def test_only_admins_set_capacities(self, client, request, who, account_manager):
        client.force_login(request.getfixturevalue(who))
        response = client.post(
            "/segments/capacity/set/", {"manager": account_manager.pk, "capacity": 1}
        )
        assert response.status_code == 403
        assert not ManagerCapacity.objects.exists()


class TestDecisionModelPage:
    def test_preview_counts_who_enters_and_leaves_and_writes_nothing(
        self, client, admin_user, portfolio
    ):
        client.force_login(admin_user)
        before = list(SegmentAssignment.objects.values_list("account_id", "segment"))
        with CaptureQueriesContext(connection) as captured:
            response = client.post(MODEL_URL, model_data(percentile="50"))
        writes = [
            q["sql"]
            for q in captured
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "CREATE"))
        ]
        assert writes == []
        assert list(SegmentAssignment.objects.values_list("account_id", "segment")) == before
        assert not DecisionModelVersion.objects.filter(number__gt=1).exists()
        preview = response.context["preview"]
        strategic = next(c for c in preview.changes if c.segment == "strategic")
        # Six customers: at the default 90th percentile only the top one (Far) is strategic; at
        # the 50th, the four at or above it by gross profit: Far, Own 4, Own 3, Own 2.
        assert (strategic.before, strategic.after) == (1, 4)
        names = sorted(a.name for a in strategic.shown_entering)
        assert names == ["Own 2", "Own 3", "Own 4"]
        assert strategic.leaving == []
        assert "Own 4" in response.content.decode()

    def test_saving_adds_a_version_and_keeps_the_old_one(self, client, admin_user, portfolio):
        client.force_login(admin_user)
        response = client.post(MODEL_URL, model_data(action="save", percentile="75"))
        assert response.status_code == 302
        versions = list(DecisionModelVersion.objects.order_by("number"))
        assert [(v.number, v.percentile) for v in versions] == [(1, 90), (2, 75)]
        assert versions[1].created_by == admin_user
        assert versions[1].weights == {"gross_profit_12m": 1.0}
        run = nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))
        assert {a.decision_version.number for a in run.segment_assignments.all()} == {2}
        assert SegmentAssignment.objects.filter(decision_version__number=1).exists()

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"weight_gross_profit_12m": "0"}, "__all__", "sum to zero"),
            ({"percentile": "120"}, "percentile", "between 0 and 100"),
            ({"percentile": "-5"}, "percentile", "between 0 and 100"),
            ({"mode": "thresholds"}, "__all__", "at least one measure"),
            ({"weight_regularity": "abc"}, "weight_regularity", "number"),
        ],
    )
    def test_bad_settings_are_refused_with_a_clear_message(
        self, client, admin_user, changes, field, message
    ):
        client.force_login(admin_user)
        response = client.post(MODEL_URL, model_data(action="save", **changes))
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert message in " ".join(errors[field]), errors
        assert not DecisionModelVersion.objects.filter(number__gt=1).exists()

    def test_preview_before_any_run_says_so(self, client, admin_user):
        client.force_login(admin_user)
        response = client.post(MODEL_URL, model_data())
        assert response.context["preview"] is None
        assert "nothing to compare with" in response.content.decode()


class TestSettingsPage:
    def test_an_admin_changes_the_precedence_and_it_is_audited(self, client, admin_user):
        client.force_login(admin_user)
        data = {
            "precedence": "grow,strategic,defend",
            "admission_rule": "precedence",
            "default_capacity": 7,
            "poor_assessment_max": 50,
            "assessment_drop_min": 10,
            "potential_share_max_pct": 50,
            "rising_trend_pct": 20,
            "peer_share_pct": 50,
            "min_peers": 5,
        }
        assert client.post(SETTINGS_URL, data).status_code == 302
        from segmentation.models import SegmentSettings

        row = SegmentSettings.objects.get()
        assert (row.precedence, row.default_capacity) == ("grow,strategic,defend", 7)
        assert row.history.latest().history_user == admin_user


class TestPins:
    def pin(self, client, account, **changes):
        data = {"segment": "grow", "reason": "New plant", "expires_on": TODAY.isoformat()}
        return client.post(f"/segments/accounts/{account.pk}/pin/", data | changes)

    def test_a_sales_manager_pins_a_team_account(self, client, sales_manager, own_account):
        client.force_login(sales_manager)
        assert self.pin(client, own_account).status_code == 302
        pin = SegmentPin.objects.get()
        assert (pin.segment, pin.reason, pin.created_by) == ("grow", "New plant", sales_manager)
        body = client.get(f"/accounts/{own_account.pk}/").content.decode()
        assert 'data-testid="segment-pin"' in body and "New plant" in body

    def test_an_account_manager_may_not_pin_or_unpin(self, client, account_manager, own_account):
        SegmentPin.objects.create(account=own_account, segment="grow", reason="x", expires_on=TODAY)
        client.force_login(account_manager)
        assert self.pin(client, own_account, segment="defend").status_code == 403
        assert client.post(f"/segments/accounts/{own_account.pk}/unpin/").status_code == 403
        assert list(SegmentPin.objects.values_list("segment", "ended_at")) == [("grow", None)]
        body = client.get(f"/accounts/{own_account.pk}/").content.decode()
        assert 'data-testid="segment-pin"' in body and "Pin a segment by hand" not in body

    def test_an_admin_pins_any_account(self, client, admin_user, foreign_account):
        client.force_login(admin_user)
        assert self.pin(client, foreign_account).status_code == 302
        assert SegmentPin.objects.get().created_by == admin_user

    def test_pins_only_by_post(self, client, sales_manager, own_account):
        client.force_login(sales_manager)
        assert client.get(f"/segments/accounts/{own_account.pk}/pin/").status_code == 405

    def test_a_foreign_account_is_not_found(self, client, sales_manager, foreign_account):
        client.force_login(sales_manager)
        assert self.pin(client, foreign_account).status_code == 404

    def test_an_expiry_in_the_past_or_no_reason_is_refused(
        self, client, sales_manager, own_account
    ):
        client.force_login(sales_manager)
        yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
        self.pin(client, own_account, expires_on=yesterday)
        self.pin(client, own_account, reason="   ")
        response = self.pin(client, own_account, segment="nonsense")
        assert not SegmentPin.objects.exists()
        texts = [str(m) for m in response.wsgi_request._messages]
        assert any("cannot be in the past" in t for t in texts)
        assert any("Say why" in t for t in texts)

    def test_an_expired_pin_is_no_longer_shown(self, client, sales_manager, own_account):
        SegmentPin.objects.create(
            account=own_account, segment="grow", reason="Old", expires_on=AS_OF - dt.timedelta(1)
        )
        client.force_login(sales_manager)
        body = client.get(f"/accounts/{own_account.pk}/").content.decode()
        assert 'data-testid="segment-pin"' not in body

    def test_the_django_admin_refuses_a_past_expiry_and_records_who_pinned(
        self, client, own_account
    ):
        superuser = UserFactory(is_staff=True, is_superuser=True)
        client.force_login(superuser)
        add = reverse("admin:segmentation_segmentpin_add")
        data = {"account": own_account.pk, "segment": "grow", "reason": "Board decision"}
        past = client.post(add, data | {"expires_on": (TODAY - dt.timedelta(1)).isoformat()})
        assert past.status_code == 200 and "cannot be in the past" in past.text
        assert not SegmentPin.objects.exists()
        earlier = SegmentPin.objects.create(
            account=own_account, segment="defend", reason="Old", expires_on=TODAY
        )
        added = client.post(add, data | {"expires_on": TODAY.isoformat()})
        pin = SegmentPin.objects.exclude(pk=earlier.pk).get()
        assert added.status_code == 302  # saved by the service, logged and redirected
        assert (pin.created_by, pin.history.latest().history_user) == (superuser, superuser)
        earlier.refresh_from_db()
        assert earlier.ended_at is not None  # as on the page: the new pin replaces it

    def test_the_django_admin_sets_and_removes_a_capacity_through_the_service(
        self, client, account_manager
    ):
        superuser = UserFactory(is_staff=True, is_superuser=True)
        client.force_login(superuser)
        add = reverse("admin:segmentation_managercapacity_add")
        assert client.post(add, {"user": account_manager.pk, "capacity": 7}).status_code == 302
        row = ManagerCapacity.objects.get(user=account_manager)
        assert (row.capacity, row.history.latest().history_user) == (7, superuser)
        delete = reverse("admin:segmentation_managercapacity_delete", args=[row.pk])
        client.post(delete, {"post": "yes"})
        assert not ManagerCapacity.objects.exists()
        assert row.history.latest().history_type == "-"

    def test_the_django_admin_may_still_end_an_expired_pin(self, client, own_account):
        expired = SegmentPin.objects.create(
            account=own_account, segment="grow", reason="Old", expires_on=TODAY - dt.timedelta(9)
        )
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        change = reverse("admin:segmentation_segmentpin_change", args=[expired.pk])
        data = {
            "account": own_account.pk, "segment": "grow", "reason": "Old",
            "expires_on": expired.expires_on.isoformat(),
            "ended_at_0": TODAY.isoformat(), "ended_at_1": "09:00:00",
        }  # fmt: skip
        assert client.post(change, data).status_code == 302
        expired.refresh_from_db()
        assert expired.ended_at is not None

    def test_removing_a_pin_is_audited(self, client, sales_manager, own_account):
        client.force_login(sales_manager)
        self.pin(client, own_account)
        client.post(f"/segments/accounts/{own_account.pk}/unpin/")
        pin = SegmentPin.objects.get()
        assert pin.ended_at is not None
        assert pin.history.latest().history_user == sales_manager


class TestCapacityPage:
    def test_load_and_waitlist_per_manager(self, client, sales_manager, account_manager, portfolio):
        ManagerCapacity.objects.create(user=account_manager, capacity=1)
        for account in portfolio["own"]:
            SegmentPin.objects.create(account=account, segment="grow", reason="x", expires_on=TODAY)
        nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))
        client.force_login(sales_manager)
        response = client.get(CAPACITY_URL)
        load = next(x for x in response.context["loads"] if x.manager == account_manager)
        assert (load.capacity, load.admitted, load.waitlisted, load.overloaded) == (1, 1, 3, True)

    def test_the_what_if_names_the_accounts_that_would_change(
        self, client, sales_manager, account_manager, portfolio
    ):
        ManagerCapacity.objects.create(user=account_manager, capacity=1)
        precedence_first()  # the order by gross profit at stake, which these names follow
        for account in portfolio["own"]:
            SegmentPin.objects.create(account=account, segment="grow", reason="x", expires_on=TODAY)
        nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))
        client.force_login(sales_manager)
        response = client.get(CAPACITY_URL, {"manager": account_manager.pk, "capacity": 3})
        what_if = response.context["what_if"]
        assert [a.account.name for a in what_if.entering] == ["Own 3", "Own 2"]
        assert what_if.leaving == []
        response = client.get(CAPACITY_URL, {"manager": account_manager.pk, "capacity": 0})
        assert [a.account.name for a in response.context["what_if"].leaving] == ["Own 4"]

    def test_a_bad_what_if_is_named_not_a_500(self, client, sales_manager, account_manager):
        client.force_login(sales_manager)
        response = client.get(CAPACITY_URL, {"manager": account_manager.pk, "capacity": "-2"})
        assert response.status_code == 200
        assert response.context["what_if"] is None

    def test_an_admin_overrides_and_resets_a_capacity(self, client, admin_user, account_manager):
        client.force_login(admin_user)
        client.post("/segments/capacity/set/", {"manager": account_manager.pk, "capacity": 9})
        assert ManagerCapacity.objects.get().capacity == 9
        client.post("/segments/capacity/set/", {"manager": account_manager.pk, "capacity": ""})
        assert not ManagerCapacity.objects.exists()

    def test_the_query_count_does_not_grow_with_managers(self, client, admin_user, portfolio):
        client.force_login(admin_user)

        def more() -> None:
            for _ in range(3):
                manager = AccountManagerFactory()
                AccountFactory(owner=manager)
            nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))

        assert_queries_do_not_grow(client, CAPACITY_URL + "?detail=1", add_data=more)


class TestOverloadNotices:
    @pytest.fixture
    def overloaded(self, account_manager, portfolio):
        ManagerCapacity.objects.create(user=account_manager, capacity=0)
        SegmentPin.objects.create(
            account=portfolio["own"][0], segment="grow", reason="x", expires_on=TODAY
        )
        nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))

    def test_the_account_managers_home_says_so(self, client, account_manager, overloaded):
        client.force_login(account_manager)
        body = client.get("/").content.decode()
        assert 'data-testid="programme-overloaded"' in body

    def test_the_sales_managers_dashboard_says_so(self, client, sales_manager, overloaded):
        client.force_login(sales_manager)
        body = client.get("/").content.decode()
        assert 'data-testid="programme-overloaded"' in body and "am1" in body

    def test_no_notice_within_capacity(self, client, account_manager, portfolio):
        client.force_login(account_manager)
        assert 'data-testid="programme-overloaded"' not in client.get("/").content.decode()


class TestAccountPageAndTables:
    def test_the_section_shows_segment_reasons_and_programme(
        self, client, account_manager, portfolio
    ):
        client.force_login(account_manager)
        top = portfolio["own"][3]
        SegmentAssignment.objects.filter(account=top).update(segment="strategic")
        body = client.get(f"/accounts/{top.pk}/").content.decode()
        assert 'data-testid="primary-segment"' in body
        assert 'data-testid="programme-status"' in body

    def test_the_strategic_reason_reads_with_its_numbers(self, client, stranger, portfolio):
        client.force_login(stranger)
        body = client.get(f"/accounts/{portfolio['far'].pk}/").content.decode()
        assert "gross profit 12m ₪10,800, 100th percentile of active customers" in body
        assert "admitted (rank 1 of a capacity of 25)" in body

    def test_the_account_list_has_a_segment_column(self, client, stranger, portfolio):
        client.force_login(stranger)
        body = client.get("/accounts/").content.decode()
        assert '<th scope="col">Segment</th>' in body
        assert "Strategic</span>" in body

    def test_the_list_query_count_does_not_grow(self, client, admin_user, portfolio):
        client.force_login(admin_user)

        def more() -> None:
            for _ in range(5):
                buy(AccountFactory(), 100, months=1)
            nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))

        assert_queries_do_not_grow(client, "/accounts/", add_data=more)

    def test_the_account_page_query_count_does_not_grow(self, client, stranger, portfolio):
        client.force_login(stranger)
        url = f"/accounts/{portfolio['far'].pk}/"

        def more() -> None:
            NightlyRun.objects.update(as_of=AS_OF - dt.timedelta(days=5))
            nightly_run_start(as_of=AS_OF)

        assert_queries_do_not_grow(client, url, add_data=more)


def test_a_hebrew_user_reads_the_section_in_hebrew(client, stranger, portfolio):
    stranger.language = "he"
    stranger.save()
    client.force_login(stranger)
    body = client.get(f"/accounts/{portfolio['far'].pk}/").content.decode()
    assert "אסטרטגי" in body and "אחוזון 100 מבין הלקוחות הפעילים" in body
    assert "Strategic" not in body


def test_the_what_if_starts_from_the_capacity_the_run_used(
    client, sales_manager, account_manager, portfolio
):
    precedence_first()
    for account in portfolio["own"]:
        SegmentPin.objects.create(account=account, segment="grow", reason="x", expires_on=TODAY)
    nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))  # capacity 25: all four admitted
    ManagerCapacity.objects.create(user=account_manager, capacity=1)  # not yet applied
    client.force_login(sales_manager)
    response = client.get(CAPACITY_URL, {"manager": account_manager.pk, "capacity": 2})
    what_if = response.context["what_if"]
    assert what_if.current == 25
    assert [a.account.name for a in what_if.leaving] == ["Own 2", "Own 1"]
