"""A growth plan per account: goals measured against the real orders, and the actions that
should get there. Every change to a plan, a goal or an action keeps its history (who, when,
what) through simple_history; the progress the nightly run writes does not (it is not a change
anyone made)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account
from kam_portal.limits import validate_date_in_range
from plans.enums import AMOUNT_KINDS, ActionStatus, GoalKind, GoalState

if TYPE_CHECKING:
    from users.models import User

# What the nightly run writes on a goal (plans/nightly.py): measured, never edited by hand.
PROGRESS_FIELDS = [
    "amount_so_far",
    "share_pct",
    "expected_share_pct",
    "state",
    "met_on",
    "progress_as_of",
]
IN_RANGE = [validate_date_in_range]  # the dates the portal accepts anywhere (kam_portal/limits.py)
TARGET_DIGITS = 14  # as an order's revenue: up to 999,999,999,999.99


def _created_by() -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class GrowthPlan(models.Model):
    """One account's growth plan: its goals, its actions and when it is next reviewed."""

    account = models.OneToOneField(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="growth_plan"
    )
    review_on = models.DateField(
        _("review date"),
        validators=IN_RANGE,
        help_text=_("When the plan is next gone over with the sales manager."),
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Where this account can grow, in a few lines.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = _created_by()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    _history_user: "User"  # the author simple_history records, set by the services

    class Meta:
        verbose_name = _("growth plan")
        verbose_name_plural = _("growth plans")
        # The dashboard counts plans overdue for review across the portfolio.
        indexes = [models.Index(fields=["review_on"], name="plan_review_on_idx")]

    def __str__(self) -> str:
        return str(_("Growth plan of %(account)s") % {"account": self.account})


class Goal(models.Model):
    """A revenue or gross-profit target for a period, a product category to start buying by a
    date, or a goal in words. For a category goal the period is from the day it counts to the
    date it should be met by."""

    plan = models.ForeignKey(
        GrowthPlan, verbose_name=_("growth plan"), on_delete=models.CASCADE, related_name="goals"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=GoalKind.choices)
    target = models.DecimalField(
        _("target"), max_digits=TARGET_DIGITS, decimal_places=2, null=True, blank=True
    )
    starts_on = models.DateField(_("from"), null=True, blank=True, validators=IN_RANGE)
    ends_on = models.DateField(_("until"), null=True, blank=True, validators=IN_RANGE)
    category = models.CharField(_("product category"), max_length=100, blank=True)
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = _created_by()
    # Progress, written by the nightly run (plans/nightly.py) from the orders up to its date.
    amount_so_far = models.DecimalField(
        _("so far"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    share_pct = models.DecimalField(
        _("share of the target (%)"), max_digits=20, decimal_places=1, null=True, blank=True
    )
    expected_share_pct = models.DecimalField(
        _("expected share (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    state = models.CharField(_("progress"), max_length=12, choices=GoalState.choices, blank=True)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    progress_as_of = models.DateField(_("progress as of"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=[*PROGRESS_FIELDS, "updated_at"])
    _history_user: "User"

    class Meta:
        ordering = ["kind", "ends_on", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=GoalKind.values), name="goal_kind_valid"),
            models.CheckConstraint(
                condition=Q(state__in=[*GoalState.values, ""]), name="goal_state_valid"
            ),
            # An amount goal has a positive target and a period; no other kind has a target.
            # (target IS NOT NULL spelt out: a NULL comparison would let the check pass.)
            models.CheckConstraint(
                condition=(
                    Q(kind__in=AMOUNT_KINDS)
                    & Q(target__isnull=False, target__gte=1)
                    & Q(starts_on__isnull=False, ends_on__isnull=False)
                )
                | (~Q(kind__in=AMOUNT_KINDS) & Q(target__isnull=True)),
                name="goal_target_for_amounts_only",
            ),
            models.CheckConstraint(
                condition=~Q(kind=GoalKind.CATEGORY)
                | (~Q(category="") & Q(starts_on__isnull=False, ends_on__isnull=False)),
                name="goal_category_named_and_dated",
            ),
            models.CheckConstraint(
                condition=~Q(kind=GoalKind.FREE_TEXT) | ~Q(text=""),
                name="goal_free_text_has_text",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="goal_period_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(expected_share_pct__isnull=True)
                | Q(expected_share_pct__gte=0, expected_share_pct__lte=100),
                name="goal_expected_share_0_100",
            ),
        ]
        # The tasks' trigger "a growth goal falls behind" reads goals by state.
        indexes = [models.Index(fields=["state"], name="goal_state_idx")]

    def __str__(self) -> str:
        if self.kind in AMOUNT_KINDS:
            return f"{self.get_kind_display()} {self.target} {self.starts_on}–{self.ends_on}"
        if self.kind == GoalKind.CATEGORY:
            return f"{self.category} {self.ends_on}"
        return self.text[:80]

    @property
    def is_amount(self) -> bool:
        return self.kind in AMOUNT_KINDS


class Action(models.Model):
    """Something someone will do for the plan, by a date; closed as done or dropped, with what
    came of it."""

    plan = models.ForeignKey(
        GrowthPlan, verbose_name=_("growth plan"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="plan_actions",
    )
    due_on = models.DateField(_("due date"), validators=IN_RANGE)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = _created_by()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    _history_user: "User"

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="action_title_set"),
            # An open action has no closing date; a done or dropped one has one.
            models.CheckConstraint(
                condition=Q(status=ActionStatus.OPEN, closed_on__isnull=True)
                | (~Q(status=ActionStatus.OPEN) & Q(closed_on__isnull=False)),
                name="action_closed_on_when_closed",
            ),
        ]
        # Each owner's overdue actions, on their home page.
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_status_due_idx")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN
