"""The assessment form, built from a template version's questions (one set of fields per kind)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Answer, AnswerKind, Assessment, Question
from assessments.rules import ANSWER_FIELDS, AnswerValues
from kam_portal.limits import column_bounds

if TYPE_CHECKING:  # django-stubs-ext is a dev requirement: for annotations only
    pass

MAX_MONTHS = 1200
YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]
MONEY_LABELS = {
    "revenue_1y": _("Revenue, 1 year"),
    "revenue_5y": _("Revenue, 5 years"),
    "revenue_10y": _("Revenue, 10 years"),
    "profit_1y": _("Profit, 1 year"),
    "profit_5y": _("Profit, 5 years"),
    "profit_10y": _("Profit, 10 years"),
}
# What a question must have before the assessment can be submitted.
REQUIRED_TO_SUBMIT: dict[str, tuple[str, ...]] = {
    AnswerKind.SCALE: ("scale",),
    AnswerKind.MONTHS: ("months",),
    AnswerKind.YES_NO_COUNT: ("yes_no",),
    AnswerKind.MONEY: (),
}


def _scale_field(question: Question) -> forms.Field:
    return forms.TypedChoiceField(
        label=_("Answer"),
        choices=[(point, f"{point} · {label}") for point, label in question.scale_labels()],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a point from 1 to 5.")},
    )


def _money_field(part: str) -> forms.Field:
    # Each money part is stored in the Answer column of the same name.
    return forms.DecimalField(
        label=MONEY_LABELS[part], required=False, **column_bounds(Answer, part)
    )


def _fields_for(question: Question) -> dict[str, forms.Field]:
    if question.kind == AnswerKind.SCALE:
        return {"scale": _scale_field(question)}
    if question.kind == AnswerKind.MONEY:
        return {part: _money_field(part) for part in MONEY_LABELS}
    if question.kind == AnswerKind.MONTHS:
        return {
            "months": forms.IntegerField(
                label=_("Months"), min_value=0, max_value=MAX_MONTHS, required=False
            )
        }
    return {
        "count": forms.IntegerField(
            label=_("How many"), required=False, **column_bounds(Answer, "count")
        ),
        "yes_no": forms.TypedChoiceField(
            label=_("Is this customer one of them?"),
            choices=YES_NO_CHOICES,
            coerce=lambda value: value == "yes",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
        ),
    }


@dataclass
class QuestionBlock:
    question: Question
    fields: list[forms.BoundField]
    note: forms.BoundField


class AssessmentForm(forms.Form):
    lock_version = forms.IntegerField(
        widget=forms.HiddenInput, **column_bounds(Assessment, "lock_version")
    )

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            for part, field in _fields_for(question).items():
                self.fields[self._name(question, part)] = field
            self.fields[self._name(question, "note")] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def _name(question: Question, part: str) -> str:
        return f"q{question.number}_{part}"

    @classmethod
    def initial_for(cls, *, lock_version: int, answers: Iterable[Answer]) -> dict:
        """Initial data from stored answers (a scale of 3 shows as 3; yes/no as 'yes'/'no')."""
        initial: dict = {"lock_version": lock_version}
        for answer in answers:
            for part in ANSWER_FIELDS:
                value = getattr(answer, part)
                if part == "yes_no" and value is not None:
                    value = "yes" if value else "no"
                initial[cls._name(answer.question, part)] = value
        return initial

    def blocks(self) -> list[QuestionBlock]:
        """Each question with its bound fields, for the template to lay out beside the evidence."""
        blocks = []
        for question in self.questions:
            parts = _fields_for(question)
            blocks.append(
                QuestionBlock(
                    question=question,
                    fields=[self[self._name(question, part)] for part in parts],
                    note=self[self._name(question, "note")],
                )
            )
        return blocks

    def answers(self) -> dict[int, AnswerValues]:
        """Cleaned answers keyed by question id."""
        result = {}
        for question in self.questions:
            values: dict[str, Any] = {
                part: self.cleaned_data.get(self._name(question, part))
                for part in ANSWER_FIELDS
                if self._name(question, part) in self.fields
            }
            values["note"] = values.get("note") or ""
            result[question.pk] = AnswerValues(**values)
        return result

    def check_complete(self) -> bool:
        """Before submitting: every question has its main answer. Adds a field error where not."""
        for question in self.questions:
            for part in REQUIRED_TO_SUBMIT[question.kind]:
                name = self._name(question, part)
                if self.cleaned_data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Answer this question before submitting."))
        return not self.errors
