"""Nightly runs, the churn-risk snapshot they write per customer, and the admin's risk settings."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Subquery
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    COMPLETE = "complete", _("Complete")
    FAILED = "failed", _("Failed")


class NightlyRunQuerySet(models.QuerySet):
    def complete(self) -> "NightlyRunQuerySet":
        return self.filter(status=RunStatus.COMPLETE)

    def _newest_complete_first(self) -> "NightlyRunQuerySet":
        return self.complete().order_by("-as_of", "-finished_at")

    def latest_complete(self) -> "NightlyRun | None":
        """The run every page and export reads: the newest as-of date that completed."""
        return self._newest_complete_first().first()

    def latest_complete_id(self) -> Subquery:
        """`latest_complete()`'s id inside the caller's statement: no query of its own."""
        return Subquery(self._newest_complete_first().values("pk")[:1])


class NightlyRun(models.Model):
    """One recomputation of every customer's risk as of a date; visible to readers once complete."""

    as_of = models.DateField(_("as of"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    chunks = models.PositiveIntegerField(_("chunks"), default=0)
    customers = models.PositiveIntegerField(_("customers scored"), default=0)
    flagged = models.PositiveIntegerField(_("customers flagged"), default=0)
    high_risk = models.PositiveIntegerField(_("high-risk customers"), default=0)
    error = models.TextField(_("error"), blank=True)
    # The thresholds and weights every chunk of this run used, kept for the record.
    settings_used = models.JSONField(_("settings used"), default=dict, blank=True)
    # Seconds per step (summed over chunks) and the wall time of the chunk phase.
    timings = models.JSONField(_("timings"), default=dict, blank=True)

    objects = NightlyRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("nightly run")
        verbose_name_plural = _("nightly runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="run_status_valid"
            ),
            # One at a time: a second start cannot insert while a run is still running.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status=RunStatus.RUNNING),
                name="run_one_running",
                violation_error_message=_("A nightly run is already running."),
            ),
            # Idempotent per date: completing a rerun replaces the earlier complete run.
            models.UniqueConstraint(
                fields=["as_of"],
                condition=Q(status=RunStatus.COMPLETE),
                name="run_one_complete_per_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "-as_of"], name="run_status_asof_idx")]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.get_status_display()})"


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class RiskSnapshot(models.Model):
    """One customer's churn risk in one run, with the evidence behind each flag."""

    # No single-column indexes on the references: the unique (run, account) and the (account,
    # run) indexes lead with each, and every index costs 100,000 insertions a night.
    run = models.ForeignKey(
        NightlyRun, on_delete=models.CASCADE, related_name="snapshots", db_index=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="risk_snapshots", db_index=False
    )
    score = models.DecimalField(_("churn-risk score"), max_digits=4, decimal_places=1)
    level = models.CharField(_("risk level"), max_length=6, choices=RiskLevel.choices)
    # [{"code": "overdue", "evidence": {"days_since_last_order": 94, ...}}, ...]
    flags = models.JSONField(_("flags"), default=list, blank=True)
    revenue_12m = models.DecimalField(_("revenue, last 12 months"), max_digits=16, decimal_places=2)
    gross_profit_12m = models.DecimalField(
        _("gross profit, last 12 months"), max_digits=16, decimal_places=2
    )

    class Meta:
        ordering = ["-score"]
        verbose_name = _("risk snapshot")
        verbose_name_plural = _("risk snapshots")
        constraints = [
            models.UniqueConstraint(fields=["run", "account"], name="snapshot_one_per_run"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="snapshot_score_0_100"
            ),
            models.CheckConstraint(
                condition=Q(level__in=RiskLevel.values), name="snapshot_level_valid"
            ),
        ]
        indexes = [
            # The account page charts one customer's score across runs.
            models.Index(fields=["account", "run"], name="snapshot_account_run_idx"),
            # Dashboards rank one run's customers by risk.
            models.Index(fields=["run", "-score"], name="snapshot_run_score_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.score} ({self.level})"

    @property
    def flag_codes(self) -> list[str]:
        return [flag["code"] for flag in self.flags]


def _pct(default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        default=default, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )


def _days(default: int, help_text: str = "") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=help_text,
    )


def _weight(default: str, verbose_name: str | None = None) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=3,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("0 to 1: how far this signal alone can raise the score (1 = to 100)."),
    )


class RiskSettings(models.Model):
    """Thresholds that raise flags and weights that combine signals into the score (one row).

    Defaults for the weights come from backtests (docs/readme/churn.md); every change is audited.
    """

    recent_days = _days(90, _("Length of the recent period compared with the earlier one."))
    baseline_days = _days(270, _("Length of the earlier period the recent one is compared with."))
    volume_drop_pct = _pct(30)
    order_size_drop_pct = _pct(25)
    overdue_factor = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.50"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("Flag a customer silent for longer than this many times its usual gap."),
    )
    gap_growth_factor = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.50"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    price_compare_pct = _pct(50)
    event_lookback_days = _days(180, _("How long competitor, complaint and change records count."))
    low_satisfaction_max = models.PositiveSmallIntegerField(
        default=5, validators=[MaxValueValidator(10)]
    )
    new_customer_gap_days = _days(60, _("The rhythm assumed for a customer with one order."))
    poor_relationship_max = models.PositiveSmallIntegerField(
        _("poor relationship score (at most)"),
        default=40,
        validators=[MaxValueValidator(100)],
        help_text=_("Flag a latest relationship assessment scoring this or less (0 to 100)."),
    )
    relationship_drop_points = models.PositiveSmallIntegerField(
        _("fall in relationship score (points)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Flag a relationship score that fell this many points since the one before."),
    )
    medium_level = _pct(30)
    high_level = _pct(60)
    weight_overdue = _weight("0.95")
    weight_infrequent = _weight("0.70")
    weight_volume_drop = _weight("0.10")
    weight_order_size = _weight("0.30")
    weight_gap_growth = _weight("0.20")
    weight_price_comparison = _weight("0.10")
    weight_competitor = _weight("0.30")
    weight_dissatisfaction = _weight("0.30")
    weight_org_change = _weight("0.20")
    # Judged, not tuned: too few assessments to backtest (docs/readme/churn.md).
    weight_assessment = _weight("0.30", _("weight: relationship assessment"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk settings")
        verbose_name_plural = _("risk settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="risk_settings_singleton"),
            models.CheckConstraint(
                condition=Q(high_level__gt=models.F("medium_level")),
                name="risk_settings_levels_ordered",
                violation_error_message=_("The high level must be above the medium level."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Risk settings"))


# Segmentation's models (issue 4) live beside their rules; imported here so Django finds them.
from segmentation.segments.models import (  # noqa: E402
    DecisionModelVersion,
    ManagerCapacity,
    Programme,
    QualifyMode,
    Segment,
    SegmentAssignment,
    SegmentMeasureStage,
    SegmentPin,
    SegmentSettings,
)

__all__ = [
    "DecisionModelVersion",
    "ManagerCapacity",
    "NightlyRun",
    "Programme",
    "QualifyMode",
    "RiskLevel",
    "RiskSettings",
    "RiskSnapshot",
    "RunStatus",
    "Segment",
    "SegmentAssignment",
    "SegmentMeasureStage",
    "SegmentPin",
    "SegmentSettings",
]
