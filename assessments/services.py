"""Writes: start an assessment, save a draft, submit. Every save is an optimistic-lock check."""

import dataclasses
import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Account
from accounts.versions import version_changed
from assessments.evidence import order_evidence
from assessments.models import (
    Answer,
    AnswerKind,
    Assessment,
    AssessmentSettings,
    AssessmentStatus,
    Question,
    TemplateVersion,
)
from assessments.rules import ANSWER_FIELDS, GAP_QUESTION_NUMBER, AnswerValues, perception_gap
from assessments.scoring import ScaledAnswer, relationship_score
from users.models import User


class AssessmentConflict(Exception):
    """Someone saved the draft after this user opened it."""

    def __init__(self, current: Assessment) -> None:
        super().__init__("The assessment changed since it was opened.")
        self.current = current


class AssessmentReadOnly(Exception):
    """The assessment was submitted; it cannot change any more."""


class NoQuestions(Exception):
    """No question template version exists yet (an admin creates one)."""


def template_version_current() -> TemplateVersion | None:
    return TemplateVersion.objects.order_by("-number").first()


def assessment_start(*, account: Account, by: User) -> Assessment:
    """The account's open draft, or a new one on the current questions seeded from the last
    submitted assessment's answers (matched by question number and answer kind)."""
    draft = Assessment.objects.filter(account=account, status=AssessmentStatus.DRAFT).first()
    if draft is not None:
        return draft
    version = template_version_current()
    if version is None:
        raise NoQuestions
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                account=account, template_version=version, author=by, last_edited_by=by
            )
            answers = _answers_carried_over(assessment, account)
            answers += _answers_from_orders(assessment, answered=[a.question_id for a in answers])
            Answer.objects.bulk_create(answers)
    except IntegrityError:
        # Someone else started a draft for this account at the same moment: continue theirs.
        return Assessment.objects.get(account=account, status=AssessmentStatus.DRAFT)
    return assessment


def _answers_carried_over(assessment: Assessment, account: Account) -> list[Answer]:
    previous = (
        Assessment.objects.filter(account=account, status=AssessmentStatus.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .first()
    )
    if previous is None:
        return []
    new_questions = {
        (q.number, q.kind): q for q in Question.objects.filter(version=assessment.template_version)
    }
    carried = []
    for old in previous.answers.select_related("question"):
        question = new_questions.get((old.question.number, old.question.kind))
        if question is not None:
            values = {name: getattr(old, name) for name in ANSWER_FIELDS}
            carried.append(Answer(assessment=assessment, question=question, **values))
    return carried


def _answers_from_orders(assessment: Assessment, *, answered: list[int]) -> list[Answer]:
    """Pre-fill the 1- and 5-year revenue and profit of the money question from the orders,
    unless the previous assessment's answer was carried over."""
    question = (
        Question.objects.filter(version=assessment.template_version, kind=AnswerKind.MONEY)
        .exclude(pk__in=answered)
        .first()
    )
    if question is None:
        return []
    evidence = order_evidence(account_id=assessment.account_id, as_of=timezone.localdate())
    return [
        Answer(
            assessment=assessment,
            question=question,
            revenue_1y=evidence.revenue_1y,
            revenue_5y=evidence.revenue_5y,
            profit_1y=evidence.profit_1y,
            profit_5y=evidence.profit_5y,
        )
    ]


def assessment_save(
    *,
    assessment: Assessment,
    answers: Mapping[int, AnswerValues],
    expected_lock_version: int,
    by: User,
    submit: bool = False,
    today: dt.date | None = None,
) -> Assessment:
    """Save the answers (keyed by question id) of a draft, and submit it if asked.

    Refuses with AssessmentConflict when the draft was saved by anyone since `expected_lock_version`
    was read, and with AssessmentReadOnly once it is submitted.
    """
    with transaction.atomic():
        claimed = Assessment.objects.filter(
            pk=assessment.pk, status=AssessmentStatus.DRAFT, lock_version=expected_lock_version
        ).update(lock_version=F("lock_version") + 1, last_edited_by=by, updated_at=timezone.now())
        if not claimed:
            _refuse(assessment)
        _write_answers(assessment, answers)
        if submit:
            _submit(assessment, today=today or timezone.localdate())
    assessment.refresh_from_db()
    return assessment


def _refuse(assessment: Assessment) -> None:
    current = Assessment.objects.select_related("last_edited_by").get(pk=assessment.pk)
    if current.status != AssessmentStatus.DRAFT:
        raise AssessmentReadOnly
    raise AssessmentConflict(current)


def _write_answers(assessment: Assessment, answers: Mapping[int, AnswerValues]) -> None:
    rows = [
        Answer(assessment=assessment, question_id=question_id, **dataclasses.asdict(values))
        for question_id, values in answers.items()
    ]
    Answer.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["assessment", "question"],
        update_fields=list(ANSWER_FIELDS),
    )


def _submit(assessment: Assessment, *, today: dt.date) -> None:
    answers = list(assessment.answers.select_related("question"))
    score = relationship_score(
        ScaledAnswer(value=a.scale, weight=a.question.weight)
        for a in answers
        if a.question.is_scale
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        status=AssessmentStatus.SUBMITTED,
        submitted_at=timezone.now(),
        score=score,
        perception_gap=_gap(assessment, answers, today=today),
    )
    version_changed()  # update() sends no signal; coverage and scores on cached pages change


def _gap(assessment: Assessment, answers: list[Answer], *, today: dt.date) -> dict | None:
    q4 = next(
        (
            a.scale
            for a in answers
            if a.question.number == GAP_QUESTION_NUMBER and a.question.is_scale
        ),
        None,
    )
    if q4 is None:
        return None
    evidence = order_evidence(account_id=assessment.account_id, as_of=today)
    gap = perception_gap(
        q4_answer=q4,
        yoy_growth_pct=evidence.revenue_growth_pct,
        margin_pct=AssessmentSettings.load().perception_gap_margin_pct,
    )
    return None if gap is None else {**gap, **evidence.as_json()}
