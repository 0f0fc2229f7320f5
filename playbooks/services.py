"""Writes of tasks and playbooks: closing a task with its outcome, deleting an unused playbook.
The nightly run's writes are in nightly.py."""

from django.db.models import ProtectedError
from django.utils import timezone

from playbooks.enums import TaskStatus, status_for
from playbooks.models import Playbook, Task
from users.models import User


class TaskAlreadyClosed(Exception):
    """Someone closed the task meanwhile."""


def task_close(*, task: Task, outcome: str, note: str, by: User) -> Task:
    """Close an open task: "not relevant" drops it, any other outcome marks it done. One
    conditional UPDATE, so two people closing at once cannot both record an outcome."""
    closed = Task.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
        status=status_for(outcome),
        outcome=outcome,
        note=note,
        closed_at=timezone.now(),
        closed_by=by,
    )
    if not closed:
        raise TaskAlreadyClosed
    task.refresh_from_db()
    return task


def playbook_delete(*, playbook: Playbook) -> bool:
    """Delete a playbook that created no task; one with tasks is kept (deactivate it instead),
    so that its tasks and their results stay. Returns whether it was deleted."""
    try:
        playbook.delete()
    except ProtectedError:
        return False
    return True
