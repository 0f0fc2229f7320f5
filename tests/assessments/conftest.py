"""Helpers for the assessment tests: version 1 of the questions comes from the data migration."""

import datetime as dt

import pytest
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus, TemplateVersion
from assessments.rules import AnswerValues
from assessments.services import assessment_save, assessment_start
from tests.support import restore_question_template

# A complete set of answers, as a form POST: every scale question at 4, Q1 yes/3, Q9 18 months.
ALL_FOURS = dict.fromkeys((3, 4, 5, 6, 7, 8, 10), 4)


def post_data(*, lock_version: int, scales: dict[int, int] | None = None, **extra) -> dict:
    data = {"lock_version": lock_version, "q1_yes_no": "yes", "q1_count": "3", "q9_months": "18"}
    for number, value in (ALL_FOURS if scales is None else scales).items():
        data[f"q{number}_scale"] = str(value)
    data.update({key: str(value) for key, value in extra.items()})
    return data


def submit_assessment(
    *, account, by, scales: dict[int, int], on: dt.date | None = None, gap: dict | None = None
) -> Assessment:
    """A submitted assessment with the given 1-5 answers, dated `on` (noon, local time)."""
    assessment = assessment_start(account=account, by=by)
    questions = {q.number: q for q in assessment.template_version.questions.all()}
    answers = {questions[n].pk: AnswerValues(scale=v) for n, v in scales.items()}
    assessment = assessment_save(
        assessment=assessment,
        answers=answers,
        expected_lock_version=assessment.lock_version,
        by=by,
        submit=True,
    )
    if on is not None:
        noon = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=noon)
    if gap is not None:
        Assessment.objects.filter(pk=assessment.pk).update(perception_gap=gap)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    return assessment


@pytest.fixture(autouse=True)
def questions_from_the_data_migration(request: pytest.FixtureRequest) -> None:
    """Version 1 comes from a data migration; a transactional test elsewhere in the run flushes
    the tables, so put it back the same way when it is missing (database tests only)."""
    if not request.node.get_closest_marker("django_db") and "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    restore_question_template()


@pytest.fixture
def version_1(db) -> TemplateVersion:
    return TemplateVersion.objects.get(number=1)
