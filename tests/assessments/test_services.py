import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Answer, Assessment, AssessmentSettings, AssessmentStatus
from assessments.rules import AnswerValues
from assessments.services import (
    AssessmentConflict,
    AssessmentReadOnly,
    assessment_save,
    assessment_start,
)
from tests.assessments.conftest import ALL_FOURS, submit_assessment
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def q(assessment, number):
    return assessment.template_version.questions.get(number=number)


def test_starting_twice_continues_the_open_draft(own_account, account_manager, teammate):
    first = assessment_start(account=own_account, by=account_manager)
    assert assessment_start(account=own_account, by=teammate) == first
    assert Assessment.objects.filter(account=own_account).count() == 1


def test_a_new_assessment_starts_from_the_last_ones_answers(own_account, account_manager):
    old = submit_assessment(account=own_account, by=account_manager, scales={5: 2, 6: 3})
    Answer.objects.filter(assessment=old, question__number=5).update(note="Buyer changed")
    new = assessment_start(account=own_account, by=account_manager)
    assert new.pk != old.pk and new.is_draft
    carried = {a.question.number: (a.scale, a.note) for a in new.answers.select_related("question")}
    assert carried == {2: (None, ""), 5: (2, "Buyer changed"), 6: (3, "")}


def test_save_bumps_the_lock_version_and_writes_answers(own_account, account_manager):
    draft = assessment_start(account=own_account, by=account_manager)
    answers = {
        q(draft, 5).pk: AnswerValues(scale=4, note="Good"),
        q(draft, 9).pk: AnswerValues(months=6),
    }
    saved = assessment_save(
        assessment=draft, answers=answers, expected_lock_version=1, by=account_manager
    )
    assert saved.lock_version == 2 and saved.is_draft
    assert saved.answers.get(question__number=5).note == "Good"
    # Saving again overwrites the same rows rather than adding any.
    answers = {q(draft, 5).pk: AnswerValues(scale=2)}
    assessment_save(assessment=draft, answers=answers, expected_lock_version=2, by=account_manager)
    assert list(saved.answers.values_list("question__number", "scale")) == [
        (2, None),
        (5, 2),
        (9, None),
    ]


def test_the_second_of_two_concurrent_saves_is_refused(own_account, account_manager, teammate):
    draft = assessment_start(account=own_account, by=account_manager)
    five = q(draft, 5).pk
    assessment_save(
        assessment=draft,
        answers={five: AnswerValues(scale=5)},
        expected_lock_version=1,
        by=teammate,
    )
    with pytest.raises(AssessmentConflict) as refused:
        assessment_save(
            assessment=draft,
            answers={five: AnswerValues(scale=1)},
            expected_lock_version=1,
            by=account_manager,
        )
    assert refused.value.current.last_edited_by == teammate
    assert draft.answers.get(question_id=five).scale == 5  # the first save stands


def test_submit_scores_and_freezes(own_account, account_manager):
    submitted = submit_assessment(account=own_account, by=account_manager, scales=ALL_FOURS)
    assert submitted.status == AssessmentStatus.SUBMITTED and submitted.submitted_at
    assert submitted.score == Decimal("75.0")
    with pytest.raises(AssessmentReadOnly):
        assessment_save(
            assessment=submitted,
            answers={},
            expected_lock_version=submitted.lock_version,
            by=account_manager,
        )


def revenue_fell_by_40_pct(account):
    """1000 in the year before last, 600 in the last 12 months."""
    today = timezone.localdate()
    OrderFactory(account=account, ordered_on=today - dt.timedelta(days=400), revenue=Decimal(1000))
    OrderFactory(account=account, ordered_on=today - dt.timedelta(days=30), revenue=Decimal(600))


def test_submit_records_a_perception_gap_with_its_numbers(own_account, account_manager):
    revenue_fell_by_40_pct(own_account)
    submitted = submit_assessment(
        account=own_account, by=account_manager, scales={**ALL_FOURS, 4: 5}
    )
    gap = submitted.perception_gap
    assert gap["claimed"] == "grow" and gap["answer"] == 5
    assert gap["revenue_growth_pct"] == "-40.0"
    assert (gap["revenue_last_12m"], gap["revenue_prior_12m"]) == ("600.00", "1000.00")


def test_the_gap_margin_is_a_setting(own_account, account_manager):
    AssessmentSettings.objects.filter(pk=1).update(perception_gap_margin_pct=50)
    revenue_fell_by_40_pct(own_account)
    submitted = submit_assessment(
        account=own_account, by=account_manager, scales={**ALL_FOURS, 4: 5}
    )
    assert submitted.perception_gap is None


def test_a_first_assessment_prefills_question_2_from_the_orders(own_account, account_manager):
    today = timezone.localdate()
    OrderFactory(
        account=own_account, ordered_on=today - dt.timedelta(days=10), revenue=Decimal(700)
    )
    OrderFactory(
        account=own_account, ordered_on=today - dt.timedelta(days=800), revenue=Decimal(300)
    )
    draft = assessment_start(account=own_account, by=account_manager)
    q2 = draft.answers.get(question__number=2)
    assert (q2.revenue_1y, q2.revenue_5y, q2.profit_1y, q2.profit_5y) == (700, 1000, 250, 500)
    assert q2.revenue_10y is None and q2.profit_10y is None
