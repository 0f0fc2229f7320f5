"""Thin views: fetch through assessments.access, call one service or selector, render."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import account_for_user, assessment_for_user, user_may_fill
from assessments.evidence import order_evidence, strategic_account_count
from assessments.forms import AssessmentForm
from assessments.models import Assessment
from assessments.selectors import account_assessment_summary
from assessments.services import (
    AssessmentConflict,
    AssessmentReadOnly,
    NoQuestions,
    assessment_save,
    assessment_start,
)
from users.requests import AuthenticatedHttpRequest


def account_assessments(request: AuthenticatedHttpRequest, account_pk: int) -> HttpResponse:
    account = account_for_user(user=request.user, pk=account_pk)
    summary = account_assessment_summary(account=account, user=request.user)
    return render(
        request, "assessments/account_assessments.html", {"account": account, "summary": summary}
    )


@require_POST
def assessment_new(request: AuthenticatedHttpRequest, account_pk: int) -> HttpResponse:
    account = account_for_user(user=request.user, pk=account_pk, write=True)
    try:
        assessment = assessment_start(account=account, by=request.user)
    except NoQuestions:
        messages.error(request, _("There are no assessment questions yet: ask an admin."))
        return redirect("assessments:account", account_pk=account.pk)
    return redirect("assessments:edit", pk=assessment.pk)


def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for_user(user=request.user, pk=pk)
    answers = assessment.answers.select_related("question").order_by("question__number")
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "answers": answers,
            "may_fill": user_may_fill(user=request.user, account=assessment.account),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for_user(user=request.user, pk=pk, write=True)
    if not assessment.is_draft:
        messages.info(request, _("This assessment was submitted and is read-only."))
        return redirect("assessments:detail", pk=assessment.pk)
    questions = list(assessment.template_version.questions.all())
    if request.method == "GET":
        initial = AssessmentForm.initial_for(
            lock_version=assessment.lock_version,
            answers=assessment.answers.select_related("question"),
        )
        form = AssessmentForm(initial=initial, questions=questions)
        return _render_edit(request, assessment, form)
    return _save(request, assessment, questions)


def _save(
    request: AuthenticatedHttpRequest, assessment: Assessment, questions: list
) -> HttpResponse:
    form = AssessmentForm(request.POST, questions=questions)
    submit = "submit" in request.POST
    if not form.is_valid() or (submit and not form.check_complete()):
        return _render_edit(request, assessment, form, status=400)
    try:
        assessment = assessment_save(
            assessment=assessment,
            answers=form.answers(),
            expected_lock_version=form.cleaned_data["lock_version"],
            by=request.user,
            submit=submit,
        )
    except AssessmentConflict as conflict:
        return _render_conflict(request, assessment, questions, conflict.current)
    except AssessmentReadOnly:
        messages.error(request, _("This assessment was submitted meanwhile; it is read-only."))
        return redirect("assessments:detail", pk=assessment.pk)
    if submit:
        messages.success(request, _("Assessment submitted."))
        return redirect("assessments:detail", pk=assessment.pk)
    messages.success(request, _("Draft saved."))
    return redirect("assessments:edit", pk=assessment.pk)


def _render_conflict(
    request: HttpRequest, assessment: Assessment, questions: list, current: Assessment
) -> HttpResponse:
    """Refuse the save but keep what the user typed; the next save, if they insist, wins."""
    data = request.POST.copy()
    data["lock_version"] = str(current.lock_version)
    form = AssessmentForm(data, questions=questions)
    form.is_valid()
    form.add_error(
        None,
        _(
            "%(who)s saved this draft at %(when)s, after you opened it. Your answers were not "
            "saved: they are shown below. Compare with the saved version, then save again."
        )
        % {
            "who": current.last_edited_by or _("Someone"),
            "when": timezone.localtime(current.updated_at).strftime("%H:%M"),
        },
    )
    return _render_edit(request, assessment, form, status=409)


def _strategic_count(assessment: Assessment) -> int | None:
    owner = assessment.account.owner
    return None if owner is None else strategic_account_count(user=owner)


def _render_edit(
    request: HttpRequest, assessment: Assessment, form: AssessmentForm, status: int = 200
) -> HttpResponse:
    context = {
        "assessment": assessment,
        "account": assessment.account,
        "form": form,
        "evidence": order_evidence(account_id=assessment.account_id, as_of=timezone.localdate()),
        "strategic_count": _strategic_count(assessment),
    }
    return render(request, "assessments/assessment_form.html", context, status=status)
