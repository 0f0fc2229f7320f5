"""The nightly run record, and the models of churn risk and segments it writes.

Churn risk's models live in `segmentation.churn.models`, segments' in
`segmentation.segments.models`; they are imported here so that Django finds them in this app.
"""

from django.db import models
from django.db.models import Q, Subquery
from django.utils.translation import gettext_lazy as _

from segmentation.enums import RunStatus

# Runs recorded before the horizon was a setting used 90 days (the backtests' horizon).
DEFAULT_HORIZON_DAYS = 90


class NightlyRunQuerySet(models.QuerySet):
    def complete(self) -> "NightlyRunQuerySet":
        return self.filter(status=RunStatus.COMPLETE)

    def _newest_complete_first(self) -> "NightlyRunQuerySet":
        return self.complete().order_by("-as_of", "-finished_at")

    def latest_complete(self) -> "NightlyRun | None":
        """The run every page and export reads: the newest as-of date that completed."""
        return self._newest_complete_first().first()

    def latest_complete_pk(self) -> int | None:
        """`latest_complete()`'s id alone, for cache keys: one small query, no whole row."""
        return self._newest_complete_first().values_list("pk", flat=True).first()

    def latest_complete_id(self) -> Subquery:
        """`latest_complete()`'s id inside the caller's statement: no query of its own."""
        return Subquery(self._newest_complete_first().values("pk")[:1])


class NightlyRun(models.Model):
    """One recomputation of every customer's risk as of a date; visible to readers once complete."""

    as_of = models.DateField(_("as of"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Kept current by the run and its chunks while it runs: a running run whose heartbeat is
    # older than pipeline.STALE_AFTER lost its process or worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # When retention removed the run's per-customer rows (the run record stays).
    pruned_at = models.DateTimeField(_("rows pruned"), null=True, blank=True)
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

    @property
    def horizon_days(self) -> int:
        """The horizon of the run's probabilities: no order in this many days."""
        return int(self.settings_used.get("horizon_days", DEFAULT_HORIZON_DAYS))


# The engines' models live beside their rules; imported here so Django finds them.
from segmentation.churn.models import RiskModelVersion, RiskSettings, RiskSnapshot  # noqa: E402
from segmentation.segments.models import (  # noqa: E402
    DecisionModelVersion,
    ManagerCapacity,
    SegmentAssignment,
    SegmentMeasureStage,
    SegmentPin,
    SegmentSettings,
)

__all__ = [
    "DecisionModelVersion",
    "ManagerCapacity",
    "NightlyRun",
    "RiskModelVersion",
    "RiskSettings",
    "RiskSnapshot",
    "SegmentAssignment",
    "SegmentMeasureStage",
    "SegmentPin",
    "SegmentSettings",
]
