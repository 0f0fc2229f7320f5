"""Churn risk's models: the snapshot each nightly run writes per customer, with the evidence
behind each flag, the model version each run fits and scores with, and the admin's risk
settings (one row, audited)."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account
from kam_portal.singleton import SingletonSettings
from segmentation.churn.rules import RiskConfig
from segmentation.enums import RiskLevel, Scorer, ScorerPin, ScorerReason, SignalName

if TYPE_CHECKING:  # django-stubs-ext is a dev requirement: for annotations only
    from django_stubs_ext import StrOrPromise

DEFAULTS = RiskConfig()
# The settings column of each signal's weight.
WEIGHT_FIELDS = {name: f"weight_{name}" for name in SignalName.values}


class RiskSnapshot(models.Model):
    """One customer's churn risk in one run, with the evidence behind each flag."""

    # No single-column indexes on the references: the unique (run, account) and the (account,
    # run) indexes lead with each, and every index costs 100,000 insertions a night.
    run = models.ForeignKey(
        "segmentation.NightlyRun",
        on_delete=models.CASCADE,
        related_name="snapshots",
        db_index=False,
    )
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="risk_snapshots", db_index=False
    )
    # The hand weights' score (0-100), kept beside the probability users see.
    score = models.DecimalField(_("churn-risk score"), max_digits=4, decimal_places=1)
    # The chance of no order in the run's horizon, by the scorer the run chose (0 to 1).
    probability = models.DecimalField(
        _("churn probability"), max_digits=4, decimal_places=3, default=Decimal(0)
    )
    level = models.CharField(_("risk level"), max_length=6, choices=RiskLevel.choices)
    # [{"code": "overdue", "evidence": {"days_since_last_order": 94, ...}, "points": 41.2}, ...]
    # "points": the percentage points the flag's signal adds to the probability.
    flags = models.JSONField(_("flags"), default=list, blank=True)
    # probability x gross profit of the last 12 months (0 when that is negative).
    expected_loss = models.DecimalField(
        _("expected loss"), max_digits=16, decimal_places=2, default=Decimal(0)
    )
    # The repeat-buying model's buying occasions in the horizon: expected, and at the customer's
    # own rate were it still active (None without an order or without a fitted model).
    expected_occasions = models.DecimalField(
        _("expected buying occasions"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    usual_occasions = models.DecimalField(
        _("usual buying occasions"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    revenue_12m = models.DecimalField(_("revenue, last 12 months"), max_digits=16, decimal_places=2)
    gross_profit_12m = models.DecimalField(
        _("gross profit, last 12 months"), max_digits=16, decimal_places=2
    )
    revenue_prev_12m = models.DecimalField(
        _("revenue, the 12 months before"), max_digits=16, decimal_places=2, default=0
    )
    gross_profit_prev_12m = models.DecimalField(
        _("gross profit, the 12 months before"), max_digits=16, decimal_places=2, default=0
    )
    # The latest scored relationship assessment by the run's date (what the churn rule read).
    assessment_score = models.DecimalField(
        _("relationship score"), max_digits=4, decimal_places=1, null=True, blank=True
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
            models.CheckConstraint(
                condition=Q(probability__gte=0) & Q(probability__lte=1),
                name="snapshot_probability_0_1",
            ),
            models.CheckConstraint(
                condition=Q(expected_loss__gte=0), name="snapshot_loss_not_negative"
            ),
        ]
        indexes = [
            # The account page charts one customer's score across runs.
            models.Index(fields=["account", "run"], name="snapshot_account_run_idx"),
            # Dashboards rank one run's customers by risk.
            models.Index(fields=["run", "-score"], name="snapshot_run_score_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.probability} ({self.level})"

    @property
    def flag_codes(self) -> list[str]:
        return [flag["code"] for flag in self.flags]


class RiskModelVersion(models.Model):
    """What one nightly run learned from its look-back, and which scorer scored it: the
    repeat-buying parameters, the learned model's coefficients, both scorers' held-out figures,
    and the choice with its reason. Kept when its run is replaced or pruned."""

    run = models.OneToOneField(
        "segmentation.NightlyRun",
        verbose_name=_("nightly run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_model",
    )
    created_at = models.DateTimeField(_("fitted"), auto_now_add=True)
    as_of = models.DateField(_("scores as of"))
    # The data window: customers as of `lookback_as_of`, labelled by (lookback_as_of, as_of].
    lookback_as_of = models.DateField(_("look-back date"))
    horizon_days = models.PositiveSmallIntegerField(_("horizon (days)"))
    customers = models.PositiveIntegerField(_("customers in the look-back"), default=0)
    lost = models.PositiveIntegerField(_("lost customers in the look-back"), default=0)
    # learning.LearnedModel.to_json(), or None when none could be fitted.
    coefficients = models.JSONField(_("learned model"), null=True, blank=True)
    # learning.Comparison.as_json(): held-out AUC, Brier score and deciles of both scorers.
    comparison = models.JSONField(_("comparison"), null=True, blank=True)
    learned_auc = models.FloatField(_("learned model: AUC"), null=True, blank=True)
    learned_brier = models.FloatField(_("learned model: Brier score"), null=True, blank=True)
    hand_auc = models.FloatField(_("hand weights: AUC"), null=True, blank=True)
    hand_brier = models.FloatField(_("hand weights: Brier score"), null=True, blank=True)
    # The MBG/NBD parameters (r, alpha, a, b) with the log-likelihood, or None.
    repeat_buying = models.JSONField(_("repeat-buying model"), null=True, blank=True)
    pin = models.CharField(_("pinned scorer"), max_length=10, choices=ScorerPin.choices)
    minimum_lost = models.PositiveIntegerField(_("minimum lost customers"))
    scorer = models.CharField(_("scored with"), max_length=10, choices=Scorer.choices)
    reason = models.CharField(_("why"), max_length=40, choices=ScorerReason.choices)
    reason_numbers = models.JSONField(_("the numbers behind the choice"), default=dict, blank=True)
    fit_seconds = models.FloatField(_("seconds to fit"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("churn model version")
        verbose_name_plural = _("churn model versions")
        constraints = [
            models.CheckConstraint(
                condition=Q(scorer__in=Scorer.values), name="model_scorer_valid"
            ),
            models.CheckConstraint(
                condition=Q(lost__lte=models.F("customers")), name="model_lost_le_customers"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Churn model version %(number)s") % {"number": self.pk})


def _pct(
    default: int, verbose_name: "StrOrPromise", help_text: "StrOrPromise" = ""
) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=help_text,
    )


def _days(
    default: int, verbose_name: "StrOrPromise", help_text: "StrOrPromise"
) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=help_text,
    )


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


def _factor(
    default: float, verbose_name: "StrOrPromise", help_text: "StrOrPromise"
) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=2,
        default=_decimal(default),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=help_text,
    )


def _weight(signal: SignalName, verbose_name: "StrOrPromise") -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=3,
        decimal_places=2,
        default=_decimal(DEFAULTS.weights[signal]),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("0 to 1: how far this signal alone can raise the score (1 = to 100)."),
    )


class RiskSettings(SingletonSettings):
    """Thresholds that raise flags and weights that combine signals into the score (one row).

    The defaults are the rules' own (`RiskConfig`); the weights' were chosen by backtest
    (docs/churn-risk.md). Every change is audited.
    """

    # Every label is a sentence a person reads on the settings page, in English and Hebrew.
    recent_days = _days(
        DEFAULTS.recent_days,
        _("length of the recent period (days)"),
        _("The latest orders, compared with the earlier period for volume and order size."),
    )
    baseline_days = _days(
        DEFAULTS.baseline_days,
        _("length of the earlier period (days)"),
        _("The stretch before the recent period that it is compared with."),
    )
    volume_drop_pct = _pct(
        DEFAULTS.volume_drop_pct,
        _("flag falling volume from a drop of (%)"),
        _("Revenue in the recent period against the earlier period's average, in percent."),
    )
    order_size_drop_pct = _pct(
        DEFAULTS.order_size_drop_pct,
        _("flag shrinking orders from a drop in average order value of (%)"),
        _("The recent period's average order value against the earlier period's."),
    )
    overdue_factor = _factor(
        DEFAULTS.overdue_factor,
        _("flag an overdue order after this many times the usual gap"),
        _("Flag a customer silent for longer than this many times its usual gap."),
    )
    gap_growth_factor = _factor(
        DEFAULTS.gap_growth_factor,
        _("flag growing gaps when recent gaps are this many times the earlier ones"),
        _("The mean gap between orders in the last 12 months against the gaps before them."),
    )
    price_compare_pct = _pct(
        DEFAULTS.price_compare_pct,
        _("flag price comparison from this share of recent orders (%)"),
        _("The share of the last 180 days' orders on which the customer compared our price."),
    )
    event_lookback_days = _days(
        DEFAULTS.event_lookback_days,
        _("how long a recorded event counts (days)"),
        _("How long competitor, complaint and change records count."),
    )
    low_satisfaction_max = models.PositiveSmallIntegerField(
        _("flag a satisfaction score of at most (0 to 10)"),
        default=DEFAULTS.low_satisfaction_max,
        validators=[MaxValueValidator(10)],
        help_text=_("A latest satisfaction score at or below this counts as dissatisfaction."),
    )
    new_customer_gap_days = _days(
        DEFAULTS.new_customer_gap_days,
        _("usual gap assumed for a new customer (days)"),
        _("The rhythm assumed for a customer with one order."),
    )
    poor_relationship_max = models.PositiveSmallIntegerField(
        _("flag a relationship score of at most (0 to 100)"),
        default=DEFAULTS.poor_relationship_max,
        validators=[MaxValueValidator(100)],
        help_text=_("Flag a latest relationship assessment scoring this or less (0 to 100)."),
    )
    relationship_drop_points = models.PositiveSmallIntegerField(
        _("flag a fall in relationship score of at least (points)"),
        default=DEFAULTS.relationship_drop_points,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Flag a relationship score that fell this many points since the one before."),
    )
    medium_level = _pct(
        DEFAULTS.medium_level,
        _("medium risk from a chance of no order of (%)"),
        _("A chance of no order in the horizon at or above this is medium risk."),
    )
    high_level = _pct(
        DEFAULTS.high_level,
        _("high risk from a chance of no order of (%)"),
        _(
            "A chance of no order in the horizon at or above this is high risk; it must be "
            "above the medium level."
        ),
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("horizon of the chance of no order (days)"),
        default=DEFAULTS.horizon_days,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
        help_text=_(
            "The probability is the chance of no order in this many days; each night the model "
            "is learned from the customers of this many days ago."
        ),
    )
    minimum_lost = models.PositiveIntegerField(
        _("lost customers the learned model needs (at least)"),
        default=DEFAULTS.minimum_lost,
        validators=[MinValueValidator(1), MaxValueValidator(1_000_000)],
        help_text=_(
            "The learned model scores only when at least this many look-back customers were "
            "lost (and it is better than the hand weights)."
        ),
    )
    scorer_pin = models.CharField(
        _("which scorer gives the chance"),
        max_length=10,
        choices=ScorerPin.choices,
        default=DEFAULTS.scorer_pin,
        help_text=_("Which scorer gives the probability users see."),
    )
    weight_overdue = _weight(SignalName.OVERDUE, _("weight of an overdue order (0 to 1)"))
    weight_few_orders = _weight(SignalName.FEW_ORDERS, _("weight of few orders in a year (0 to 1)"))
    weight_volume_drop = _weight(SignalName.VOLUME_DROP, _("weight of falling volume (0 to 1)"))
    weight_order_size = _weight(SignalName.ORDER_SIZE, _("weight of shrinking orders (0 to 1)"))
    weight_gap_growth = _weight(
        SignalName.GAP_GROWTH, _("weight of growing gaps between orders (0 to 1)")
    )
    weight_price_comparison = _weight(
        SignalName.PRICE_COMPARISON, _("weight of price comparison (0 to 1)")
    )
    weight_competitor = _weight(SignalName.COMPETITOR, _("weight of competitor activity (0 to 1)"))
    weight_dissatisfaction = _weight(
        SignalName.DISSATISFACTION, _("weight of complaints and low satisfaction (0 to 1)")
    )
    weight_org_change = _weight(
        SignalName.ORG_CHANGE, _("weight of an organisational change (0 to 1)")
    )
    # Judged, not tuned: too few assessments to backtest (docs/churn-risk.md).
    weight_assessment = _weight(
        SignalName.ASSESSMENT, _("weight of a poor or falling relationship assessment (0 to 1)")
    )
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
