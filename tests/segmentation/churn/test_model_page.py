"""/risk/settings/: the current model version against the hand weights, the reliability chart
and its table, the scorer pin, the horizon and the minimum of lost customers."""

import json
import re

import pytest

from segmentation import pipeline
from segmentation.churn.models import RiskModelVersion, RiskSettings

pytestmark = pytest.mark.django_db
SETTINGS_URL = "/risk/settings/"


def form_data(**changes):
    settings = RiskSettings.load()
    data = {f.name: getattr(settings, f.name) for f in RiskSettings._meta.fields if f.name != "id"}
    return {**data, **changes}


@pytest.fixture
def fitted(lookback_portfolio):
    run = pipeline.nightly_run_start(as_of=lookback_portfolio["as_of"])
    return RiskModelVersion.objects.get(run=run)


def test_the_current_version_is_shown_against_the_hand_weights(client, admin_user, fitted):
    client.force_login(admin_user)
    response = client.get(SETTINGS_URL)
    html = response.text
    assert response.context["version"] == fitted
    assert "Scored with: <strong>Hand weights</strong>." in html
    assert "Too few lost customers to trust the learned model" in html
    assert "Learned from the 30 customers active on 02/08/2026, of whom 10 placed no order" in html
    figures = re.search(r'data-testid="model-figures">(.*?)</table>', html, re.S).group(1)
    assert f"{fitted.learned_auc:.3f}" in figures and f"{fitted.hand_brier:.4f}" in figures
    assert 'data-testid="model-repeat-buying"' in html


def test_the_reliability_chart_and_its_table_are_the_versions_deciles(client, admin_user, fitted):
    client.force_login(admin_user)
    html = client.get(SETTINGS_URL).text
    data = re.search(r'<script id="reliability-data" type="application/json">(.*?)</script>', html)
    chart = json.loads(data.group(1))
    learned, hand, diagonal = chart["datasets"]
    stored = fitted.comparison["learned"]["deciles"]
    assert [p["x"] for p in learned["data"]] == [d["mean_predicted"] for d in stored]
    assert [p["y"] for p in learned["data"]] == [d["observed"] for d in stored]
    assert len(hand["data"]) == len(fitted.comparison["hand"]["deciles"])
    assert diagonal["data"] == [{"x": 0, "y": 0}, {"x": 1, "y": 1}]
    table = re.search(r'data-testid="reliability-table">(.*?)</table>', html, re.S).group(1)
    assert table.count("<tr>") == 1 + len(stored)
    assert "js/reliability.js" in html and "vendor/chart.umd.min.js" in html


def test_before_any_run_it_says_so_and_draws_nothing(client, admin_user):
    client.force_login(admin_user)
    html = client.get(SETTINGS_URL).text
    assert "No model yet: the first nightly run has not completed." in html
    assert "reliability.js" not in html


def test_the_admin_pins_a_scorer_and_sets_the_horizon_and_minimum(client, admin_user):
    client.force_login(admin_user)
    changes = {"scorer_pin": "learned", "horizon_days": 60, "minimum_lost": 50}
    assert client.post(SETTINGS_URL, form_data(**changes)).status_code == 302
    settings = RiskSettings.load()
    assert (settings.scorer_pin, settings.horizon_days, settings.minimum_lost) == (
        "learned",
        60,
        50,
    )
    assert settings.history.latest().history_user == admin_user


@pytest.mark.parametrize(
    ("field", "value"), [("scorer_pin", "always"), ("horizon_days", 3), ("minimum_lost", 0)]
)
def test_bad_learning_settings_are_named(client, admin_user, field, value):
    client.force_login(admin_user)
    response = client.post(SETTINGS_URL, form_data(**{field: value}))
    assert response.status_code == 200 and field in response.context["form"].errors


def test_the_recent_versions_are_listed(client, admin_user, fitted):
    client.force_login(admin_user)
    html = client.get(SETTINGS_URL).text
    versions = re.search(r'data-testid="model-versions"[^>]*>(.*?)</table>', html, re.S).group(1)
    assert "Hand weights" in versions and "Too few lost customers" in versions


def test_the_run_page_times_the_look_back_and_the_fit(client, admin_user, fitted):
    client.force_login(admin_user)
    html = client.get(f"/risk/runs/{fitted.run_id}/").text
    assert "<code>lookback_s</code>" in html and "<code>fit_s</code>" in html
