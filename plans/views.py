"""The growth plan's pages, under /accounts/<pk>/plan/. Thin: every view fetches the account
through the one read rule (404 for a foreign account) or the one write rule (403 for a reader),
then calls one service or selector."""

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import account_get_for_writer, user_may_write
from accounts.models import Account
from accounts.selectors import account_get_for_user
from kam_portal.refusals import saved
from plans import services
from plans.forms import ActionForm, ActionStatusForm, GoalForm, PlanForm
from plans.history import plan_history
from plans.models import Action, Goal
from plans.selectors import plan_view, progress_as_of
from users.requests import AuthenticatedHttpRequest


def _is_htmx(request: AuthenticatedHttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _to_plan(account: Account) -> HttpResponse:
    return redirect("plans:plan", pk=account.pk)


@require_http_methods(["GET", "POST"])
def plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The plan: goals with their progress, actions, history. A POST starts the plan or
    changes its review date and summary (writers only)."""
    if request.method == "POST":
        account = account_get_for_writer(user=request.user, pk=pk)
    else:
        account = account_get_for_user(user=request.user, pk=pk)
    view = plan_view(account=account)
    form = PlanForm(request.POST or None, instance=view.plan)
    if request.method == "POST" and form.is_valid():
        services.plan_save(account=account, by=request.user, **form.cleaned_data)
        messages.success(request, _("The growth plan is saved."))
        return _to_plan(account)
    context = {
        "account": account,
        "view": view,
        "form": form,
        "may_write": user_may_write(user=request.user, account=account),
        "history": plan_history(plan=view.plan) if view.plan else [],
        "today": timezone.localdate(),
    }
    return render(request, "plans/plan.html", context)


def _goal_of(account: Account, goal_pk: int) -> Goal:
    return get_object_or_404(Goal, pk=goal_pk, plan__account=account)


def _action_of(account: Account, action_pk: int) -> Action:
    actions: QuerySet[Action] = Action.objects.select_related("plan", "owner")
    return get_object_or_404(actions, pk=action_pk, plan__account=account)


@require_http_methods(["GET", "POST"])
def goal_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = account_get_for_writer(user=request.user, pk=pk)
    today = timezone.localdate()
    form = GoalForm(request.POST or None, today=today, initial={"year": today.year})

    def write() -> None:
        plan = services.plan_get_or_create(account=account, by=request.user, today=today)
        as_of = progress_as_of(today=today)
        services.goal_add(plan=plan, data=form.goal_data(), by=request.user, as_of=as_of)

    if request.method == "POST" and saved(form, write):
        messages.success(request, _("Goal added."))
        return _to_plan(account)
    context = {"account": account, "form": form, "title": _("New goal")}
    return render(request, "plans/goal_form.html", context)


@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    account = account_get_for_writer(user=request.user, pk=pk)
    goal = _goal_of(account, goal_pk)
    today = timezone.localdate()
    form = GoalForm.for_goal(goal, today=today, data=request.POST or None)

    def write() -> None:
        as_of = progress_as_of(today=today)
        services.goal_edit(goal=goal, data=form.goal_data(), by=request.user, as_of=as_of)

    if request.method == "POST" and saved(form, write):
        messages.success(request, _("Goal saved."))
        return _to_plan(account)
    context = {"account": account, "form": form, "goal": goal, "title": _("Edit the goal")}
    return render(request, "plans/goal_form.html", context)


@require_POST
def goal_remove(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    account = account_get_for_writer(user=request.user, pk=pk)
    services.goal_remove(goal=_goal_of(account, goal_pk), by=request.user)
    messages.success(request, _("Goal removed. The history keeps it."))
    return _to_plan(account)


@require_http_methods(["GET", "POST"])
def action_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = account_get_for_writer(user=request.user, pk=pk)
    form = ActionForm(request.POST or None, account=account, initial={"owner": request.user})

    def write() -> None:
        today = timezone.localdate()
        plan = services.plan_get_or_create(account=account, by=request.user, today=today)
        services.action_add(plan=plan, by=request.user, **form.cleaned_data)

    if request.method == "POST" and saved(form, write):
        messages.success(request, _("Action added."))
        return _to_plan(account)
    context = {"account": account, "form": form, "title": _("New action")}
    return render(request, "plans/action_form.html", context)


@require_http_methods(["GET", "POST"])
def action_edit(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    account = account_get_for_writer(user=request.user, pk=pk)
    action = _action_of(account, action_pk)
    form = ActionForm(request.POST or None, account=account, instance=action)

    def write() -> None:
        services.action_edit(action=action, by=request.user, **form.cleaned_data)

    if request.method == "POST" and saved(form, write):
        messages.success(request, _("Action saved."))
        return _to_plan(account)
    context = {"account": account, "form": form, "action": action, "title": _("Edit the action")}
    return render(request, "plans/action_form.html", context)


@require_POST
def action_status(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Done, dropped or open again, with an outcome note. htmx gets the action's row back."""
    account = account_get_for_writer(user=request.user, pk=pk)
    action = _action_of(account, action_pk)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose open, done or dropped."), status=400)
    outcome = form.cleaned_data["outcome"] if "outcome" in request.POST else None
    services.action_set_status(
        action=action,
        status=form.cleaned_data["status"],
        outcome=outcome,
        by=request.user,
        today=timezone.localdate(),
    )
    if _is_htmx(request):
        today = timezone.localdate()
        context = {"account": account, "action": action, "may_write": True, "today": today}
        return render(request, "plans/_action_row.html", context)
    messages.success(request, _("Action saved."))
    return _to_plan(account)
