"""The account page: the assessment trend chart is drawn and the churn-risk flags explain
themselves with their evidence."""

import pytest
from playwright.sync_api import Page, expect

from segmentation.churn.messages import flag_sentence
from segmentation.models import RiskSnapshot
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_trend_chart_is_drawn_and_the_risk_flags_show_their_evidence(
    page: Page, sign_in, account_manager, account_at_risk
):
    snapshot = RiskSnapshot.objects.get(account=account_at_risk)
    overdue = next(f for f in snapshot.flags if f["code"] == "overdue")
    sign_in(account_manager)

    page.goto(f"/accounts/{account_at_risk.pk}/")
    screenshot(page, "account-page-en")

    canvas = page.locator("#assessment-chart")
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    page.wait_for_function("() => window.Chart && Chart.getChart('assessment-chart')")
    points = page.evaluate("Chart.getChart('assessment-chart').data.datasets[0].data")
    assert len(points) == 2  # one point per submitted assessment

    risk = page.locator("#churn-risk")
    expect(risk.get_by_role("heading", name="Churn risk")).to_be_visible()
    sentence = flag_sentence(overdue)
    assert "60" in sentence  # the sentence quotes the evidence: 60 days without an order
    assert "every 7 days" in sentence  # its weekly rhythm, as the customer really buys
    expect(risk.locator("li", has_text=sentence)).to_be_visible()
