"""The relationship assessment as a churn-risk signal: the rule, its SQL, the run."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import AssessmentStatus
from segmentation.churn.features import customer_features
from segmentation.churn.messages import flag_sentence, flag_title
from segmentation.churn.rules import Features, RiskConfig, assessment_signal, evaluate
from segmentation.churn.selectors import risk_config_from
from segmentation.models import NightlyRun, RiskSettings, RiskSnapshot
from tests.factories import AccountFactory, OrderFactory
from tests.support import stored_assessment

AS_OF = dt.date(2026, 10, 31)
C = RiskConfig()
SETTINGS_URL = "/risk/settings/"


def scored(latest, previous=None) -> Features:
    return Features(
        account_id=1,
        assessment_score=None if latest is None else Decimal(latest),
        assessment_on=None if latest is None else dt.date(2026, 10, 1),
        previous_assessment_score=None if previous is None else Decimal(previous),
        previous_assessment_on=None if previous is None else dt.date(2026, 7, 1),
    )


def codes(f: Features, c: RiskConfig = C) -> list[str]:
    return [flag.code for flag in assessment_signal(f, as_of=AS_OF, c=c).flags]


class TestRule:
    def test_no_assessment_no_signal(self):
        assert assessment_signal(scored(None), as_of=AS_OF, c=C) == (0.0, ())

    @pytest.mark.parametrize(
        ("latest", "expected"),
        [("40", ["poor_relationship"]), ("40.1", []), ("0", ["poor_relationship"])],
    )
    def test_poor_at_the_threshold_and_below(self, latest, expected):
        assert codes(scored(latest)) == expected

    @pytest.mark.parametrize(
        ("previous", "expected"),
        [
            ("85", ["relationship_falling"]),
            ("84.9", []),
            ("60", []),
            ("100", ["relationship_falling"]),
        ],
    )
    def test_falling_by_the_threshold_or_more(self, previous, expected):
        assert codes(scored("70", previous)) == expected

    def test_a_rise_is_no_signal(self):
        assert assessment_signal(scored("70", "50"), as_of=AS_OF, c=C).strength == 0.0

    def test_poor_and_falling_both_raise_with_their_evidence(self):
        strength, flags = assessment_signal(scored("30", "55.5"), as_of=AS_OF, c=C)
        assert [f.code for f in flags] == ["poor_relationship", "relationship_falling"]
        assert flags[0].evidence == {"score": 30, "on": "2026-10-01", "max": 40}
        assert flags[1].evidence == {
            "score": 30,
            "on": "2026-10-01",
            "previous_score": 55.5,
            "previous_on": "2026-07-01",
            "drop": 25.5,
        }
        # Poor: 1 - 30/80 = 0.625; falling: 25.5/30 = 0.85; the stronger one counts.
        assert strength == pytest.approx(0.85)

    @pytest.mark.parametrize(
        ("latest", "previous", "strength"),
        [
            ("40", None, 0.5),
            ("20", None, 0.75),
            ("0", None, 1.0),
            ("70", "85", 0.5),
            ("40", "100", 1.0),
        ],
    )
    def test_strength_is_half_at_a_threshold_and_grows_with_the_case(
        self, latest, previous, strength
    ):
        assert assessment_signal(scored(latest, previous), as_of=AS_OF, c=C).strength == (
            pytest.approx(strength)
        )

    def test_the_thresholds_come_from_the_configuration(self):
        strict = dataclasses.replace(C, poor_relationship_max=60, relationship_drop_points=5)
        assert codes(scored("60", "65"), strict) == ["poor_relationship", "relationship_falling"]
        assert codes(scored("60", "65")) == []

    def test_a_poor_score_with_a_zero_threshold_is_still_full_strength(self):
        zero = dataclasses.replace(C, poor_relationship_max=0)
        assert assessment_signal(scored("0"), as_of=AS_OF, c=zero).strength == 1.0

    def test_the_weight_moves_the_score(self):
        alone = evaluate(scored("0"), as_of=AS_OF, c=C)
        assert alone.strengths["assessment"] == 1.0
        assert float(alone.score) == pytest.approx(100 * C.weights["assessment"], abs=0.05)


def test_sentences_in_both_languages():
    poor = {"code": "poor_relationship", "evidence": {"score": 35, "on": "2026-10-01", "max": 40}}
    falling = {
        "code": "relationship_falling",
        "evidence": {
            "score": 35,
            "on": "2026-10-01",
            "previous_score": 62.5,
            "previous_on": "2026-07-01",
            "drop": 27.5,
        },
    }
    with translation.override("en"):
        assert flag_title("poor_relationship") == "Poor relationship assessment"
        assert flag_sentence(poor) == (
            "The latest relationship assessment scored 35.0 out of 100, on 01/10/2026."
        )
        assert flag_sentence(falling) == (
            "The relationship score fell 27.5 points, from 62.5 on 01/07/2026 to 35.0 on "
            "01/10/2026."
        )
    with translation.override("he"):
        assert flag_title("relationship_falling") == "הערכת קשר יורדת"
        assert flag_sentence(poor) == "הערכת הקשר האחרונה קיבלה 35.0 מתוך 100, ב-01/10/2026."
        assert flag_sentence(falling).startswith("ציון הקשר ירד ב-27.5 נקודות")


# The SQL source, on fixtures whose answer is known.


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in TIME_ZONE (Asia/Jerusalem: two or three hours ahead of UTC)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def features_of(account, as_of=AS_OF) -> Features:
    (f,) = customer_features(as_of=as_of, lo=account.pk, hi=account.pk, c=C)
    return f


def latest_two(f: Features) -> tuple:
    return (
        f.assessment_score,
        f.assessment_on,
        f.previous_assessment_score,
        f.previous_assessment_on,
    )


@pytest.mark.django_db
class TestSource:
    def test_the_latest_and_the_one_before_it(self):
        account = AccountFactory()
        stored_assessment(account, "80", at(dt.date(2026, 1, 10), 9))
        stored_assessment(account, "72.5", at(dt.date(2026, 5, 3), 9))
        stored_assessment(account, "35", at(dt.date(2026, 9, 20), 9))
        expected = (Decimal("35"), dt.date(2026, 9, 20), Decimal("72.5"), dt.date(2026, 5, 3))
        assert latest_two(features_of(account)) == expected

    def test_the_day_after_changes_nothing_and_drafts_are_ignored(self):
        account = AccountFactory()
        stored_assessment(account, "70", at(dt.date(2026, 8, 1), 9))
        # 23:30 on the as-of day counts; 00:30 the day after (still the 30th in UTC) does not.
        stored_assessment(account, "30", at(AS_OF, 23, 30))
        before = features_of(account)
        stored_assessment(account, "10", at(AS_OF + dt.timedelta(days=1), 0, 30))
        stored_assessment(account, "5", None, status=AssessmentStatus.DRAFT)
        assert features_of(account) == before
        assert latest_two(before) == (Decimal("30"), AS_OF, Decimal("70"), dt.date(2026, 8, 1))

    def test_an_earlier_as_of_date_sees_only_what_was_submitted_by_then(self):
        account = AccountFactory()
        stored_assessment(account, "80", at(dt.date(2026, 1, 10), 9))
        stored_assessment(account, "35", at(dt.date(2026, 9, 20), 9))
        f = features_of(account, as_of=dt.date(2026, 9, 19))
        assert latest_two(f) == (Decimal("80"), dt.date(2026, 1, 10), None, None)

    def test_a_submission_without_a_score_says_nothing(self):
        account = AccountFactory()
        stored_assessment(account, "45", at(dt.date(2026, 6, 1), 9))
        stored_assessment(account, None, at(dt.date(2026, 9, 1), 9))
        assert latest_two(features_of(account)) == (Decimal("45"), dt.date(2026, 6, 1), None, None)

    def test_a_customer_never_assessed_has_no_scores(self):
        account = AccountFactory()
        other = AccountFactory()
        stored_assessment(other, "20", at(dt.date(2026, 6, 1), 9))
        assert latest_two(features_of(account)) == (None, None, None, None)


@pytest.mark.django_db
def test_the_nightly_run_flags_a_poor_assessment_on_the_account_page(
    client, account_manager, own_account
):
    for week in range(10):
        OrderFactory(account=own_account, ordered_on=AS_OF - dt.timedelta(weeks=week))
    stored_assessment(own_account, "75", at(dt.date(2026, 6, 15), 10))
    stored_assessment(own_account, "32.5", at(dt.date(2026, 10, 20), 10))
    call_command("run_nightly", "--as-of", AS_OF.isoformat())
    snapshot = RiskSnapshot.objects.get(
        run=NightlyRun.objects.latest_complete(), account=own_account
    )
    assert snapshot.flag_codes == ["poor_relationship", "relationship_falling"]
    client.force_login(account_manager)
    page = client.get(reverse("accounts:detail", args=[own_account.pk])).text
    assert "Poor relationship assessment" in page
    assert "The latest relationship assessment scored 32.5 out of 100, on 20/10/2026." in page
    assert "The relationship score fell 42.5 points, from 75.0 on 15/06/2026" in page


@pytest.mark.django_db
def test_the_settings_page_saves_the_new_thresholds_and_weight(client, admin_user):
    settings = RiskSettings.load()
    data = {f.name: getattr(settings, f.name) for f in RiskSettings._meta.fields if f.name != "id"}
    data |= {"poor_relationship_max": 50, "relationship_drop_points": 10}
    data |= {"weight_assessment": "0.45"}
    client.force_login(admin_user)
    page = client.get(SETTINGS_URL).text
    assert 'name="poor_relationship_max"' in page and 'name="weight_assessment"' in page
    assert client.post(SETTINGS_URL, data).status_code == 302
    config = risk_config_from(RiskSettings.load())
    assert (config.poor_relationship_max, config.relationship_drop_points) == (50, 10)
    assert config.weights["assessment"] == 0.45
    assert RiskSettings.load().history.latest().history_user == admin_user


@pytest.mark.django_db
def test_the_settings_page_refuses_a_fall_of_zero_points(client, admin_user):
    settings = RiskSettings.load()
    data = {f.name: getattr(settings, f.name) for f in RiskSettings._meta.fields if f.name != "id"}
    client.force_login(admin_user)
    response = client.post(SETTINGS_URL, {**data, "relationship_drop_points": 0})
    assert "relationship_drop_points" in response.context["form"].errors
    assert RiskSettings.load().relationship_drop_points == 15
