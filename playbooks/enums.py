"""Every code playbooks, tasks and the digest store: triggers, assignees, priorities, task
states and outcomes, digest frequencies. Declared once; models, rules and templates read them
from here."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TriggerKind(models.TextChoices):
    """What makes the nightly run create a task (triggers.py: when each fires, when it holds)."""

    FLAG_RAISED = "flag_raised", _("A churn flag is raised")
    LEVEL_HIGH = "level_high", _("Churn risk becomes high")
    SEGMENT_ENTERED = "segment_entered", _("The account enters a segment")
    SEGMENT_LEFT = "segment_left", _("The account leaves a segment")
    PROGRAMME_ENTERED = "programme_entered", _("The account enters the programme")
    PROGRAMME_LEFT = "programme_left", _("The account leaves the programme")
    ASSESSMENT_OVERDUE = "assessment_overdue", _("An assessment falls overdue")
    PERCEPTION_GAP = "perception_gap", _("An assessment records a perception gap")
    GOAL_BEHIND = "goal_behind", _("A growth goal falls behind")


# The triggers that say a customer may be drifting away: "did it work" measures them by
# whether the customer ordered again.
CHURN_TRIGGERS = frozenset({TriggerKind.FLAG_RAISED, TriggerKind.LEVEL_HIGH})


class Assignee(models.TextChoices):
    OWNER = "owner", _("The account manager")
    SALES_MANAGER = "sales_manager", _("The account manager's sales manager")


class Priority(models.TextChoices):
    HIGH = "high", pgettext_lazy("task priority", "High")
    NORMAL = "normal", pgettext_lazy("task priority", "Normal")
    LOW = "low", pgettext_lazy("task priority", "Low")


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task status", "Open")
    DONE = "done", pgettext_lazy("task status", "Done")
    DROPPED = "dropped", pgettext_lazy("task status", "Dropped")


class Outcome(models.TextChoices):
    """What closing a task records; "not relevant" drops it, the others mark it done."""

    REACHED = "reached", _("Reached the customer")
    KEPT = "kept", _("Kept the customer")
    LOST = "lost", _("Lost the customer")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


def status_for(outcome: str) -> TaskStatus:
    """A task closed as "not relevant" was dropped; any other outcome means it was done."""
    return TaskStatus.DROPPED if outcome == Outcome.NOT_RELEVANT else TaskStatus.DONE


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly, on Sunday morning")
    DAILY = "daily", _("Daily, every morning")
    OFF = "off", _("Off")
