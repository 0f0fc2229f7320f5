"""The growth plan's codes: goal kinds, the state the nightly run gives a goal, action states.
Declared once; the models' choices, the pure progress rule, the SQL and the templates read
them from here (as segmentation/enums.py does for segments and risk)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GoalKind(models.TextChoices):
    REVENUE = "revenue", _("Revenue")
    GROSS_PROFIT = "gross_profit", _("Gross profit")
    CATEGORY = "category", _("Start buying a product category")
    FREE_TEXT = "free_text", _("Other goal")


# Goals whose progress is an amount summed from the orders of a period.
AMOUNT_KINDS = (GoalKind.REVENUE, GoalKind.GROSS_PROFIT)
# Goals the nightly run measures (a free-text goal has no figure to measure).
MEASURED_KINDS = (*AMOUNT_KINDS, GoalKind.CATEGORY)


class GoalState(models.TextChoices):
    """Where a measured goal stands as of the nightly run's date ("" until first measured)."""

    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    PENDING = "pending", _("No order yet")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")


class ActionStatus(models.TextChoices):
    # A context: "Open" is also a button elsewhere, an imperative in Hebrew.
    OPEN = "open", pgettext_lazy("action status", "Open")
    DONE = "done", pgettext_lazy("action status", "Done")
    DROPPED = "dropped", pgettext_lazy("action status", "Dropped")


class PlanFilter(models.TextChoices):
    """The account list's growth-plan filter (`?plan=`)."""

    NONE = "none", _("No growth plan")
    HAS = "has", _("Has a growth plan")
    REVIEW_OVERDUE = "review_overdue", _("Plan overdue for review")
    GOAL_BEHIND = "goal_behind", _("A goal behind")
