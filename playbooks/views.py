"""The task list and one task (everyone, scoped by the visibility rule), "did it work" (admins
and sales managers), and the admins' playbooks. Each view calls one selector or service."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from playbooks.access import (
    require_admin,
    require_results_reader,
    task_for_user,
    user_may_close,
)
from playbooks.forms import PlaybookForm, TaskCloseForm, TaskFilterForm
from playbooks.models import Playbook
from playbooks.results import REORDER_DAYS, playbook_results
from playbooks.selectors import tasks_visible_to
from playbooks.services import TaskAlreadyClosed, playbook_delete, task_close
from segmentation.churn.selectors import risk_snapshot_for_account
from users.requests import AuthenticatedHttpRequest

PAGE_SIZE = 50


@require_safe
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TaskFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    tasks = tasks_visible_to(user=request.user, filters=filters)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "filters": filters, "page": page, "today": timezone.localdate()}
    return render(request, "playbooks/task_list.html", context)


def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The task with its evidence; a POST closes it with an outcome and a note."""
    closing = request.method == "POST"
    task = task_for_user(user=request.user, pk=pk, write=closing)
    form = TaskCloseForm(request.POST if closing else None)
    if closing and not task.is_open:
        messages.info(request, _("This task was already closed."))
        return redirect("tasks:detail", pk=task.pk)
    if closing and form.is_valid():
        try:
            task_close(task=task, by=request.user, **form.cleaned_data)
        except TaskAlreadyClosed:
            messages.warning(request, _("Someone closed this task meanwhile: nothing changed."))
            return redirect("tasks:detail", pk=task.pk)
        messages.success(
            request, _("Task closed: %(outcome)s.") % {"outcome": task.get_outcome_display()}
        )
        return redirect("tasks:list")
    snapshot = risk_snapshot_for_account(account=task.account)
    context = {
        "task": task,
        "form": form,
        "may_close": task.is_open and user_may_close(user=request.user, task=task),
        "value_at_stake": snapshot.gross_profit_12m if snapshot else None,
        "today": timezone.localdate(),
    }
    return render(request, "playbooks/task_detail.html", context)


@require_safe
def results(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_results_reader(request.user)
    rows = playbook_results(user=request.user, today=timezone.localdate())
    context = {"rows": rows, "days": REORDER_DAYS}
    return render(request, "playbooks/results.html", context)


@require_safe
def playbook_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_admin(request.user)
    return render(request, "playbooks/playbook_list.html", {"playbooks": Playbook.objects.all()})


def playbook_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """A new playbook (no `pk`) or an existing one."""
    require_admin(request.user)
    playbook = get_object_or_404(Playbook, pk=pk) if pk is not None else None
    form = PlaybookForm(request.POST if request.method == "POST" else None, instance=playbook)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(
            request,
            _("Playbook “%(title)s” saved. The next nightly run follows it.")
            % {"title": saved.title},
        )
        return redirect("playbooks:list")
    return render(request, "playbooks/playbook_form.html", {"form": form, "playbook": playbook})


@require_POST
def playbook_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_admin(request.user)
    playbook = get_object_or_404(Playbook, pk=pk)
    title = playbook.title
    if playbook_delete(playbook=playbook):
        messages.success(request, _("Playbook “%(title)s” deleted.") % {"title": title})
    else:
        messages.warning(
            request,
            _("Playbook “%(title)s” has tasks, so it is kept: make it inactive instead.")
            % {"title": title},
        )
    return redirect("playbooks:list")
