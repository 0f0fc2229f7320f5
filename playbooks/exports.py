"""The task list as CSV or XLSX at /tasks/export/: exactly the rows of /tasks/ with the same
filters (the same form, the same selector, the same order), every page at once."""

from collections.abc import Callable, Iterable

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kam_portal.export import DATE, MONEY, NUMBER, Column, ListExport
from playbooks.enums import Outcome, Priority, TaskStatus, TriggerKind
from playbooks.forms import TaskFilterForm
from playbooks.messages import evidence_sentences
from playbooks.models import Task
from playbooks.selectors import tasks_visible_to
from users.models import User
from users.requests import AuthenticatedHttpRequest


def _label(choices: type[TextChoices]) -> Callable[[str], str]:
    labels = dict(choices.choices)
    return lambda code: str(labels.get(code, code))


def task_export_rows(request: AuthenticatedHttpRequest) -> Iterable[Task]:
    """The task list's rows: invalid filters are left out, as the list leaves them out."""
    form = TaskFilterForm(request.GET or None, user=request.user)
    tasks = tasks_visible_to(user=request.user, filters=form.filters())
    return tasks.select_related("closed_by").iterator(chunk_size=2000)


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _closed_on(task: Task) -> object:
    return timezone.localdate(task.closed_at) if task.closed_at else None


TASKS = ListExport(
    name="tasks",
    columns=(
        Column("task_id", _("Task number"), lambda t: t.pk, NUMBER),
        Column("due_on", _("Due"), lambda t: t.due_on, DATE),
        Column("account_external_id", _("ERP id"), lambda t: t.account.external_id),
        Column("account_name", _("Account"), lambda t: t.account.name),
        Column("title", _("Task"), lambda t: t.playbook.title),
        Column("trigger", _("Trigger"), lambda t: t.playbook.trigger, display=_label(TriggerKind)),
        Column("priority", _("Priority"), lambda t: t.priority, display=_label(Priority)),
        Column("evidence", _("Evidence"), lambda t: " ".join(evidence_sentences(t.evidence))),
        Column("value_at_stake", _("Value at stake"), lambda t: t.value_at_stake, MONEY),
        Column(
            "assignee_username",
            _("Assigned to (username)"),
            lambda t: t.assignee and t.assignee.username,
        ),
        Column("assignee_name", _("Assigned to"), lambda t: _name(t.assignee)),
        Column("fired_on", _("From the run of"), lambda t: t.fired_on, DATE),
        Column("cleared_on", _("Cleared by the data on"), lambda t: t.cleared_on, DATE),
        Column("status", _("Status"), lambda t: t.status, display=_label(TaskStatus)),
        Column("outcome", _("Outcome"), lambda t: t.outcome, display=_label(Outcome)),
        Column("note", _("Note"), lambda t: t.note),
        Column("closed_on", _("Closed on"), _closed_on, DATE),
        Column("closed_by", _("Closed by"), lambda t: t.closed_by and t.closed_by.username),
    ),
    rows=task_export_rows,
)
