"""The admin's risk-settings page and the churn-risk section of the account page."""

import datetime as dt

import pytest
from django.urls import reverse

from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskModelVersion, RiskSettings, RiskSnapshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SETTINGS_URL = "/risk/settings/"


def form_data(**changes):
    settings = RiskSettings.load()
    data = {f.name: getattr(settings, f.name) for f in RiskSettings._meta.fields if f.name != "id"}
    return {**data, **changes}


class TestSettingsPage:
    def test_the_url(self):
        assert reverse("risk:settings") == SETTINGS_URL

    @pytest.mark.parametrize("who", ["account_manager", "sales_manager"])
    def test_only_admins_may_open_it(self, client, request, who):
        client.force_login(request.getfixturevalue(who))
        assert client.get(SETTINGS_URL).status_code == 403
        assert client.post(SETTINGS_URL, form_data(high_level=90)).status_code == 403
        assert RiskSettings.load().high_level == 60

    def test_an_admin_changes_a_threshold_and_the_change_is_audited(self, client, admin_user):
        client.force_login(admin_user)
        assert client.get(SETTINGS_URL).status_code == 200
        response = client.post(SETTINGS_URL, form_data(high_level=70, weight_competitor="0.5"))
        assert response.status_code == 302
        settings = RiskSettings.load()
        assert (settings.high_level, str(settings.weight_competitor)) == (70, "0.50")
        latest = settings.history.latest()
        assert latest.history_user == admin_user and latest.high_level == 70

    def test_levels_out_of_order_are_refused(self, client, admin_user):
        client.force_login(admin_user)
        response = client.post(SETTINGS_URL, form_data(medium_level=60, high_level=50))
        assert "The high level must be above the medium level." in response.text
        assert RiskSettings.load().high_level == 60

    def test_all_weights_zero_is_refused(self, client, admin_user):
        client.force_login(admin_user)
        zero = {f: "0" for f in form_data() if f.startswith("weight_")}
        response = client.post(SETTINGS_URL, form_data(**zero))
        assert "At least one weight must be above zero." in response.text

    def test_the_django_admin_refuses_what_the_page_refuses(self, client):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        RiskSettings.load().save()  # the admin edits the row once it exists
        url = reverse("admin:segmentation_risksettings_change", args=[1])
        zero = {f: "0" for f in form_data() if f.startswith("weight_")}
        response = client.post(url, form_data(**zero))
        assert response.status_code == 200
        assert "At least one weight must be above zero." in response.text
        assert RiskSettings.load().weight_overdue > 0

    def test_a_weight_above_one_is_refused(self, client, admin_user):
        client.force_login(admin_user)
        response = client.post(SETTINGS_URL, form_data(weight_overdue="1.5"))
        assert response.status_code == 200
        assert "weight_overdue" in response.context["form"].errors


class TestAccountPageSection:
    def test_it_shows_probability_level_evidence_points_and_losses(
        self, client, account_manager, own_account
    ):
        run = NightlyRun.objects.create(
            as_of=dt.date(2026, 10, 31),
            status=RunStatus.COMPLETE,
            settings_used={"horizon_days": 60},
        )
        RiskModelVersion.objects.create(
            run=run, as_of=run.as_of, lookback_as_of=dt.date(2026, 9, 1), horizon_days=60,
            pin="auto", minimum_lost=200, scorer="learned", reason="learned_better",
        )  # fmt: skip
        overdue = {"days_since_last_order": 94, "usual_gap_days": 21}
        complaints = {"count": 3, "lookback_days": 180, "last_on": "2026-10-02"}
        satisfaction = {"score": 3, "on": "2026-10-20"}
        RiskSnapshot.objects.create(
            run=run,
            account=own_account,
            score="81.3",
            probability="0.623",
            expected_loss="61530.60",
            expected_occasions="0.42",
            usual_occasions="2.31",
            level="high",
            flags=[
                {"code": "overdue", "evidence": overdue, "points": 41.25},
                {"code": "complaints", "evidence": complaints, "points": -1.0},
                {"code": "low_satisfaction", "evidence": satisfaction, "points": -1.0},
            ],
            revenue_12m="412300.00",
            gross_profit_12m="98765.00",
        )
        client.force_login(account_manager)
        page = client.get(reverse("accounts:detail", args=[own_account.pk])).text
        assert ">62%</bdi>" in page and "High" in page
        assert "62% chance of no order in the next 60 days." in page
        assert "Scored by: Learned model." in page
        assert "No order for 94 days; this customer usually orders every 21 days." in page
        assert "+41.3 percentage points" in page and "-1.0 percentage points" in page
        assert page.count("percentage points") == 2  # dissatisfaction's points shown once
        assert "(counted with “Complaints”)" in page
        assert "Expected 0.4 buying occasions in the next 60 days; usually 2.3." in page
        assert "₪61,531" in page  # the expected loss
        assert "412,300" in page and "98,765" in page

    def test_before_any_run_it_says_so(self, client, account_manager, own_account):
        client.force_login(account_manager)
        page = client.get(reverse("accounts:detail", args=[own_account.pk])).text
        assert "Not scored yet" in page


def test_the_probability_and_the_points_read_in_hebrew(client, account_manager, own_account):
    account_manager.language = "he"
    account_manager.save()
    run = NightlyRun.objects.create(as_of=dt.date(2026, 10, 31), status=RunStatus.COMPLETE)
    RiskSnapshot.objects.create(
        run=run, account=own_account, score="62.0", probability="0.620", level="high",
        expected_occasions="0.40", usual_occasions="2.30", revenue_12m="1.00",
        gross_profit_12m="1.00",
        flags=[{"code": "few_orders", "evidence": {"orders_12m": 2}, "points": 12.5}],
    )  # fmt: skip
    client.force_login(account_manager)
    page = client.get(reverse("accounts:detail", args=[own_account.pk])).text
    assert "סיכוי של 62% שלא תהיה הזמנה ב-90 הימים הבאים" in page
    assert "\u2066+12.5\u2069 נקודות אחוז" in page  # its sign on the left: isolated LTR
    assert "צפויות 0.4 הזדמנויות קנייה ב-90 הימים הבאים; בדרך כלל 2.3." in page
    assert "chance of no order" not in page
