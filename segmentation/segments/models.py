"""Segments: the admin's settings and decision-model versions, pins, capacities, and the
assignment each nightly run writes per active customer (imported by segmentation.models)."""

import datetime as dt
from itertools import permutations
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account
from kam_portal.singleton import SingletonSettings
from segmentation.enums import AdmissionRule, Programme, QualifyMode, Segment
from segmentation.segments.rules import SegmentConfig

if TYPE_CHECKING:  # django-stubs-ext is a dev requirement: for annotations only
    from django_stubs_ext import StrOrPromise

    from users.models import User

DEFAULTS = SegmentConfig()


def _precedence_choices() -> list[tuple[str, "StrOrPromise"]]:
    labels = dict(Segment.choices)
    return [
        (",".join(order), format_lazy("{} > {} > {}", *(labels[s] for s in order)))
        for order in permutations(Segment.values)
    ]


def _bounded(
    label: "StrOrPromise", default: int, low: int, high: int, help_text: "StrOrPromise" = ""
) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
        help_text=help_text,
    )


class SegmentSettings(SingletonSettings):
    """Precedence, the default capacity and the grow thresholds (one row, audited). The defaults
    are the rules' own (`SegmentConfig`)."""

    # Every label is a sentence a person reads on the settings page, in English and Hebrew.
    precedence = models.CharField(
        _("order in which the segments win"),
        max_length=40,
        choices=_precedence_choices(),
        default=",".join(DEFAULTS.precedence),
        help_text=_("A customer matching several segments gets the first one in this order."),
    )
    admission_rule = models.CharField(
        _("admission"),
        max_length=10,
        choices=AdmissionRule.choices,
        default=AdmissionRule.VALUE,
        help_text=_(
            "Value first: each account manager's candidates are ranked by the money the "
            "programme protects or creates. Precedence first: by segment precedence, then gross "
            "profit at stake."
        ),
    )
    default_capacity = _bounded(
        _("key accounts an account manager can serve, unless set per person"),
        25,
        0,
        10_000,
        _("A capacity set for a person on the capacity page takes the place of this one."),
    )
    potential_share_max_pct = _bounded(
        _("grow: revenue at most this share of the recorded potential (%)"),
        DEFAULTS.potential_share_max_pct,
        1,
        100,
        _("Revenue over the last 12 months against the annual purchasing potential recorded."),
    )
    rising_trend_pct = _bounded(
        _("grow: year-on-year revenue growth of at least (%)"),
        DEFAULTS.rising_trend_pct,
        1,
        10_000,
        _("Revenue over the last 12 months against the 12 months before."),
    )
    peer_share_pct = _bounded(
        _("grow: a category counts when at least this share of industry peers buy it (%)"),
        DEFAULTS.peer_share_pct,
        1,
        100,
        _("A category the customer does not buy, bought by this share of its industry."),
    )
    min_peers = _bounded(
        _("grow: compare only industries with at least this many customers"),
        DEFAULTS.min_peers,
        2,
        10_000,
        _("Industries with fewer customers are not compared."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("segment settings")
        verbose_name_plural = _("segment settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="segment_settings_singleton")]

    def __str__(self) -> str:
        return str(_("Segment settings"))


class DecisionModelVersion(models.Model):
    """One saved version of the strategic decision model; never changed, never deleted."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    weights = models.JSONField(_("weights"), default=dict)
    mode = models.CharField(
        _("qualifies by"),
        max_length=10,
        choices=QualifyMode.choices,
        default=QualifyMode.PERCENTILE,
    )
    percentile = models.DecimalField(
        _("percentile"), max_digits=5, decimal_places=2, default=90,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    thresholds = models.JSONField(_("thresholds"), default=dict, blank=True)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("decision model version")
        verbose_name_plural = _("decision model versions")
        constraints = [
            models.CheckConstraint(
                condition=Q(percentile__gte=0) & Q(percentile__lte=100),
                name="decision_percentile_0_100",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Decision model version %(number)s") % {"number": self.number})


class ManagerCapacity(models.Model):
    """A per-person override of the default capacity (audited)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.CASCADE,
        related_name="programme_capacity",
    )
    capacity = _bounded(_("capacity"), 25, 0, 10_000)
    history = HistoricalRecords()
    _history_user: "User"  # the author simple_history records, set by the services

    class Meta:
        verbose_name = _("account manager capacity")
        verbose_name_plural = _("account manager capacities")

    def __str__(self) -> str:
        return f"{self.user}: {self.capacity}"


class SegmentPinQuerySet(models.QuerySet["SegmentPin"]):
    def in_force(self, *, on: dt.date) -> "SegmentPinQuerySet":
        """Pins not removed and not expired by `on` (the newest one per account applies)."""
        return self.filter(ended_at__isnull=True, expires_on__gte=on)


class SegmentPin(models.Model):
    """A sales manager's hand-set segment for one customer, until it expires (audited)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="segment_pins")
    segment = models.CharField(_("segment"), max_length=10, choices=Segment.choices)
    reason = models.TextField(_("reason"))
    expires_on = models.DateField(_("expires on"), help_text=_("The last day the pin applies."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pinned by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("pinned"), auto_now_add=True)
    ended_at = models.DateTimeField(_("removed"), null=True, blank=True)
    history = HistoricalRecords()
    _history_user: "User"  # the author simple_history records, set by the services

    objects = SegmentPinQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("segment pin")
        verbose_name_plural = _("segment pins")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="pin_reason_set"),
            models.CheckConstraint(
                condition=Q(segment__in=Segment.values), name="pin_segment_valid"
            ),
        ]
        indexes = [models.Index(fields=["account", "expires_on"], name="pin_account_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.segment} until {self.expires_on}"


class SegmentAssignment(models.Model):
    """One active customer's segment in one run: every rule matched with its numbers, the
    decision-model version used, the pin applied, and its place in the programme."""

    # No database constraint and no single-column index on the references (the ORM still
    # applies on_delete; the indexes in Meta lead with account and with run): the nightly
    # run writes 100,000 rows at once, and each constraint costs 100,000 deferred checks when it
    # commits, each index 100,000 insertions.
    run = models.ForeignKey(
        "segmentation.NightlyRun",
        on_delete=models.CASCADE,
        related_name="segment_assignments",
        db_constraint=False,
        db_index=False,
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="segment_assignments",
        db_constraint=False,
        db_index=False,
    )
    # The account manager at the time of the run: capacity is counted per person.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    segment = models.CharField(_("segment"), max_length=10, choices=Segment.choices, blank=True)
    precedence_rank = models.PositiveSmallIntegerField()
    # [{"segment": "grow", "code": "rising_trend", "evidence": {...}}, ...]
    reasons = models.JSONField(_("rules matched"), default=list, blank=True)
    decision_version = models.ForeignKey(
        DecisionModelVersion,
        on_delete=models.PROTECT,
        related_name="assignments",
        db_constraint=False,
        db_index=False,  # versions are never deleted: nothing looks assignments up by version
    )
    pin = models.ForeignKey(
        SegmentPin,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
        db_index=False,  # pins are ended, not deleted
    )
    value_at_stake = models.DecimalField(
        _("gross profit, last 12 months"), max_digits=16, decimal_places=2
    )
    # The money the programme protects or creates (segments.value): the largest of the values
    # of the segments it matched; None outside any segment.
    programme_value = models.DecimalField(
        _("programme value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    # The segment whose value that is ("" outside any segment).
    value_segment = models.CharField(
        _("valued as"), max_length=10, choices=Segment.choices, blank=True
    )
    programme = models.CharField(
        _("programme"), max_length=10, choices=Programme.choices, default=Programme.NO
    )
    programme_rank = models.PositiveIntegerField(_("rank among candidates"), null=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True)
    # The rule the run ranked the candidates by, stored like the capacity ("" : no candidate).
    admission_rule = models.CharField(
        _("admission"), max_length=10, choices=AdmissionRule.choices, blank=True
    )

    class Meta:
        verbose_name = _("segment assignment")
        verbose_name_plural = _("segment assignments")
        constraints = [
            # Account first: the same index serves the account's history and the ORM's
            # cascade when an account is deleted; reads by run use the run-owner index.
            models.UniqueConstraint(fields=["account", "run"], name="assignment_one_per_run"),
            models.CheckConstraint(
                condition=Q(programme__in=Programme.values), name="assignment_programme_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["run", "owner", "programme_rank"], name="assignment_run_owner_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.segment or '-'} ({self.programme})"


class SegmentMeasureStage(models.Model):
    """Scratch rows of a running nightly run: one customer's order measures, relationship
    score and churn result, from the churn pass over the chunk's orders (`risk_chunk_step`),
    so that the final step reads 100,000 small rows instead of two years of orders and the
    snapshots. The final step deletes them; pages never read them. One row per customer of
    the chunk."""

    run = models.ForeignKey(
        "segmentation.NightlyRun",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,  # scratch: no per-row checks; the final step deletes orphans
        db_index=False,  # the unique index leads with run
    )
    account_id = models.BigIntegerField()
    revenue_12m = models.DecimalField(max_digits=16, decimal_places=2)
    gross_profit_12m = models.DecimalField(max_digits=16, decimal_places=2)
    revenue_prev_12m = models.DecimalField(max_digits=16, decimal_places=2)
    orders_12m = models.PositiveIntegerField()
    months_ordered = models.PositiveSmallIntegerField()
    # Revenue 12 months per product category bought, as a JSON object {category: revenue}.
    categories = models.TextField(default="{}")
    # The latest scored relationship assessment and the one before (as the churn engine reads).
    # The run's churn result: level, score, and the flags that are defend evidence (JSON, or
    # "" for none), so that the final step need not read the snapshots back.
    churn_level = models.CharField(max_length=6, blank=True)
    churn_score = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    churn_flags = models.TextField(blank=True)
    churn_probability = models.DecimalField(max_digits=4, decimal_places=3, null=True)
    churn_expected_loss = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "account_id"], name="stage_one_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.account_id}"
