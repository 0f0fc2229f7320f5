"""Relationship assessments: an account's assessments, starting a draft, saving answers and
submitting, and the questions of each version. Answers are checked by the pages' own form
(assessments.forms.AssessmentForm), so the API accepts exactly what the page accepts; saving
goes through assessments.services, whose lock_version check refuses a concurrent save."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1 import access
from api.v1.base import V1ViewSet
from api.v1.concurrency import etag_of, require_if_match, with_etag
from api.v1.errors import ApiError, form_errors
from assessments.access import assessment_for_user
from assessments.forms import AssessmentForm
from assessments.models import Answer, Assessment, Question, TemplateVersion
from assessments.rules import ANSWER_FIELDS
from assessments.selectors import assessment_draft
from assessments.services import (
    AssessmentConflict,
    AssessmentReadOnly,
    NoQuestions,
    assessment_save,
    assessment_start,
)


def money() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, required=False
    )


class AnswerSerializer(serializers.Serializer):
    """One answer; which parts apply depends on the question's kind (scale: `scale`; money: the
    six amounts; months: `months`; yes/no and a count: `yes_no`, `count`)."""

    question = serializers.IntegerField(source="question.number", help_text="Question number.")
    scale = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False)
    yes_no = serializers.BooleanField(allow_null=True, required=False)
    count = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    months = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    revenue_1y = money()
    revenue_5y = money()
    revenue_10y = money()
    profit_1y = money()
    profit_5y = money()
    profit_10y = money()
    note = serializers.CharField(allow_blank=True, required=False, max_length=2000)


class AssessmentSerializer(serializers.ModelSerializer):
    template_version = serializers.IntegerField(source="template_version.number")
    author = serializers.CharField(source="author.username", allow_null=True)
    last_edited_by = serializers.CharField(source="last_edited_by.username", allow_null=True)
    perception_gap = serializers.DictField(allow_null=True)
    answers = AnswerSerializer(many=True)

    class Meta:
        model = Assessment
        fields = [
            "id", "account", "template_version", "status", "lock_version", "score",
            "perception_gap", "author", "last_edited_by", "created_at", "updated_at",
            "submitted_at", "answers",
        ]  # fmt: skip
        read_only_fields = fields


class AnswersSerializer(serializers.Serializer):
    answers = AnswerSerializer(many=True, required=False)


def assessment_etag(assessment: Assessment) -> str:
    return etag_of("assessment", assessment.pk, assessment.lock_version, assessment.status)


def _with_answers(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    answers = Answer.objects.select_related("question").order_by("question__number")
    return assessments.select_related(
        "template_version", "author", "last_edited_by"
    ).prefetch_related(_prefetch(answers))


def _prefetch(answers: QuerySet[Answer]) -> Any:
    from django.db.models import Prefetch

    return Prefetch("answers", queryset=answers)


@extend_schema(tags=["assessments"])
class AccountAssessmentViewSet(mixins.ListModelMixin, V1ViewSet):
    """/api/v1/accounts/{account_pk}/assessments/: the list, and POST to start (or continue)
    the account's draft (the account team only)."""

    queryset = Assessment.objects.none()  # for the schema; get_queryset is the rule
    serializer_class = AssessmentSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        account = access.account_for(self.request, self.kwargs["account_pk"])
        return _with_answers(Assessment.objects.filter(account=account))

    @extend_schema(request=None, responses={200: AssessmentSerializer, 201: AssessmentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = access.account_for(request, kwargs["account_pk"], write=access.fills)
        open_draft = assessment_draft(account=account)
        try:
            draft = assessment_start(account=account, by=access.user_of(request))
        except NoQuestions:
            raise ApiError(
                status_code=409,
                detail=_("There are no assessment questions yet: ask an admin."),
                code="no_questions",
            ) from None
        code = status.HTTP_200_OK if open_draft else status.HTTP_201_CREATED
        draft = _with_answers(Assessment.objects.filter(pk=draft.pk)).get()
        response = Response(AssessmentSerializer(draft).data, status=code)
        return with_etag(response, assessment_etag(draft))


@extend_schema(tags=["assessments"])
class AssessmentViewSet(mixins.RetrieveModelMixin, V1ViewSet):
    """/api/v1/assessments/{id}/: read; PATCH a draft's answers; POST …/submit/."""

    serializer_class = AssessmentSerializer
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_object(self) -> Assessment:
        found = assessment_for_user(user=access.user_of(self.request), pk=self.kwargs["pk"])
        return _with_answers(Assessment.objects.filter(pk=found.pk)).get()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assessment = self.get_object()
        return with_etag(
            Response(self.get_serializer(assessment).data), assessment_etag(assessment)
        )

    @extend_schema(request=AnswersSerializer, responses=AssessmentSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Save some answers of a draft (the others keep their values). If-Match required."""
        return self._save(request, kwargs["pk"], submit=False)

    @extend_schema(request=AnswersSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: int) -> Response:
        """Save the answers given and submit: every question must then have its main answer."""
        return self._save(request, pk, submit=True)

    def _save(self, request: Request, pk: int, *, submit: bool) -> Response:
        user = access.user_of(request)
        assessment = assessment_for_user(user=user, pk=pk, write=True)
        require_if_match(request, assessment_etag(assessment))
        if not assessment.is_draft:
            raise ApiError(
                status_code=409,
                detail=_("The assessment was submitted; it is read-only."),
                code="read_only",
            )
        form = answers_form(assessment, request.data)
        if not form.is_valid() or (submit and not form.check_complete()):
            raise serializers.ValidationError(form_errors(form, _body_name))
        try:
            saved = assessment_save(
                assessment=assessment,
                answers=form.answers(),
                expected_lock_version=assessment.lock_version,
                by=user,
                submit=submit,
            )
        except (AssessmentConflict, AssessmentReadOnly):
            raise ApiError(
                status_code=412,
                detail=_("Someone changed this since you read it: read it again, then retry."),
                code="precondition_failed",
            ) from None
        fresh = _with_answers(Assessment.objects.filter(pk=saved.pk)).get()
        return with_etag(Response(AssessmentSerializer(fresh).data), assessment_etag(fresh))


def answers_form(assessment: Assessment, body: Any) -> AssessmentForm:
    """The page's form, bound to the stored answers with the body's answers laid over them."""
    questions = list(assessment.template_version.questions.all())
    stored = AssessmentForm.initial_for(
        lock_version=assessment.lock_version,
        answers=assessment.answers.select_related("question"),
    )
    data = {name: _text(value) for name, value in stored.items()}
    data.update(_given(questions, body))
    return AssessmentForm(data, questions=questions)


def _given(questions: list[Question], body: Any) -> dict[str, str]:
    answers = body.get("answers", []) if isinstance(body, dict) else None
    if not isinstance(answers, list):
        raise serializers.ValidationError({"answers": [_("Send a list of answers.")]})
    numbers = {q.number for q in questions}
    data: dict[str, str] = {}
    for index, answer in enumerate(answers):
        if not isinstance(answer, dict) or answer.get("question") not in numbers:
            raise serializers.ValidationError(
                {f"answers.{index}.question": [_("Name a question of this assessment.")]}
            )
        for part, value in answer.items():
            if part == "question":
                continue
            if part not in ANSWER_FIELDS:
                raise serializers.ValidationError(
                    {f"answers.{index}.{part}": [_("Not a part of an answer.")]}
                )
            data[f"q{answer['question']}_{part}"] = _text(value, yes_no=part == "yes_no")
    return data


def _text(value: Any, *, yes_no: bool = False) -> str:
    if value is None:
        return ""
    if yes_no and isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _body_name(name: str) -> str:
    """q4_scale -> answers.4.scale: the question's number and the answer's part."""
    number, _sep, part = name.removeprefix("q").partition("_")
    return f"answers.{number}.{part}"


class QuestionSerializer(serializers.ModelSerializer):
    labels = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = ["number", "kind", "text_en", "text_he", "help_en", "help_he", "weight", "labels"]
        read_only_fields = fields

    def get_labels(self, question: Question) -> dict[str, dict[str, str]]:
        """1-5 scale labels in both languages: {"1": {"en": ..., "he": ...}, ...}."""
        return {
            str(p): {
                "en": getattr(question, f"label_{p}_en"),
                "he": getattr(question, f"label_{p}_he"),
            }
            for p in range(1, 6)
        }


class TemplateVersionSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True)

    class Meta:
        model = TemplateVersion
        fields = ["number", "note", "created_at", "questions"]
        read_only_fields = fields


@extend_schema(tags=["assessments"])
class QuestionVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, V1ViewSet):
    """/api/v1/question-versions/{number}/: the questions of each version (every role)."""

    serializer_class = TemplateVersionSerializer
    lookup_field = "number"
    queryset = TemplateVersion.objects.prefetch_related("questions").order_by("-number")
