"""The evidence sentences a sales manager reads, in English and Hebrew catalogues alike."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from segmentation.churn.messages import flag_sentence
from segmentation.churn.models import WEIGHT_FIELDS, RiskSettings
from segmentation.churn.rules import SIGNALS, Features, RiskConfig, evaluate
from segmentation.churn.selectors import risk_config_from
from segmentation.enums import FlagCode

AS_OF = dt.date(2026, 10, 31)


@pytest.mark.parametrize(
    ("flag", "sentence"),
    [
        (
            {"code": "overdue", "evidence": {"days_since_last_order": 94, "usual_gap_days": 21}},
            "No order for 94 days; this customer usually orders every 21 days.",
        ),
        (
            {"code": "single_order", "evidence": {"days_since_last_order": 40, "orders": 1}},
            "Only one order so far, 40 days ago.",
        ),
        (
            {
                "code": "price_comparison",
                "evidence": {"compared": 7, "orders": 10, "days": 180, "earlier_pct": 20},
            },
            "Price comparison on 7 of the 10 orders in the last 180 days. "
            "Before that: 20% of orders.",
        ),
        (
            {"code": "competitor", "evidence": {"last_on": "2026-10-02", "count": 2}},
            "Competitor activity logged on 02/10/2026 (2 records recently).",
        ),
        (
            {"code": "org_change", "evidence": {"on": "2026-09-01", "source": "contact"}},
            "The primary contact was replaced on 01/09/2026.",
        ),
        (
            {
                "code": "volume_drop",
                "evidence": {
                    "drop_pct": 61,
                    "recent_days": 90,
                    "baseline_days": 270,
                    "recent_revenue": 22874,
                    "baseline_revenue": 58196,
                },
            },
            "Revenue in the last 90 days (₪22,874) is 61% below its average for 90 days over "
            "the 270 days before (₪58,196).",
        ),
        (
            {
                "code": "order_size",
                "evidence": {"shrink_pct": 40, "recent_avg": 1200, "baseline_avg": 2000},
            },
            "Average order in the recent period is ₪1,200, 40% below the ₪2,000 of the period "
            "before.",
        ),
    ],
)
def test_sentences(flag, sentence):
    with translation.override("en"):
        assert flag_sentence(flag) == sentence


def test_every_flag_a_rule_can_raise_has_a_title_and_a_sentence():
    worst = Features(
        account_id=1,
        orders_total=30,
        last_order_on=AS_OF - dt.timedelta(days=300),
        orders_365d=2,
        occasions_365d=2,
        recent_orders=1,
        recent_revenue=100,
        baseline_orders=5,
        baseline_revenue=50_000,
        gap_count=29,
        gap_sum=400.0,
        gap_sq_sum=29 * 200.0,
        recent_gap_count=3,
        recent_gap_sum=200.0,
        price_window_orders=5,
        price_window_compared=5,
        last_competitor_on=AS_OF,
        competitor_events=1,
        complaints=1,
        last_complaint_on=AS_OF,
        satisfaction_score=2,
        satisfaction_on=AS_OF,
        org_change_on=AS_OF,
        assessment_score=Decimal("20"),
        assessment_on=AS_OF,
        previous_assessment_score=Decimal("60.5"),
        previous_assessment_on=AS_OF - dt.timedelta(days=90),
    )
    flags = evaluate(worst, as_of=AS_OF, c=RiskConfig()).flags
    assert len(flags) >= 12
    for flag in flags:
        assert flag.code in FlagCode.values
        sentence = flag_sentence(flag.as_json())
        assert sentence and "%(" not in sentence and not sentence.startswith(flag.code)


def test_evidence_from_an_older_rule_is_shown_not_crashed_on():
    assert flag_sentence({"code": "overdue", "evidence": {}}).startswith("overdue")


def test_the_admin_settings_become_the_rules_configuration(db):
    settings = RiskSettings.load()
    settings.high_level = 75
    settings.weight_org_change = "0.55"
    config = risk_config_from(settings)
    assert config.high_level == 75 and config.weights["org_change"] == 0.55
    assert set(config.weights) == set(WEIGHT_FIELDS) == set(SIGNALS)
    # The settings' defaults and the pure rules' defaults are the same numbers.
    assert risk_config_from(type(settings)()) == RiskConfig()


def test_sentences_are_in_the_users_language():
    flag = {"code": "overdue", "evidence": {"days_since_last_order": 94, "usual_gap_days": 21}}
    with translation.override("he"):
        assert flag_sentence(flag) == (
            "אין הזמנה כבר 94 ימים; הלקוח הזה מזמין בדרך כלל כל 21 ימים."
        )


COMPLAINTS = {
    "code": "complaints",
    "evidence": {"count": 3, "lookback_days": 180, "last_on": "2026-11-28"},
}
VOLUME = {
    "code": "volume_drop",
    "evidence": {
        "drop_pct": 61,
        "recent_days": 90,
        "baseline_days": 270,
        "recent_revenue": 22874,
        "baseline_revenue": 58196,
    },
}


@pytest.mark.parametrize(
    ("language", "amount", "date"),
    [("en", "₪58,196", "28/11/2026"), ("he", "58,196\u00a0₪", "28/11/2026")],
)
def test_amounts_and_dates_read_as_on_the_pages_in_each_language(language, amount, date):
    """The evidence stores 58196 and "2026-11-28"; the reader sees the sign, the separators and
    their language's date, never the ISO date."""
    with translation.override(language):
        assert amount in flag_sentence(VOLUME) and "(58196)" not in flag_sentence(VOLUME)
        sentence = flag_sentence(COMPLAINTS)
        assert date in sentence and "2026-11-28" not in sentence
