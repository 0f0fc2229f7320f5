"""Every code that segmentation stores or compares: segments, programme places, risk levels,
run states, churn signals and the flags they raise. Declared once; the models' choices, the pure
rules, the SQL and the templates all read them from here.

Each is a `TextChoices`, so a member equals its stored string ("high") and carries its label
in the reader's language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    DEFEND = "defend", _("Defend")
    STRATEGIC = "strategic", _("Strategic")
    GROW = "grow", _("Grow")


class Programme(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    NO = "no", _("Not a candidate")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ReasonCode(models.TextChoices):
    """The segment rules' own reasons. Defend also gives, as reasons, the churn flags that are
    dissatisfaction, competition or change (`segments.rules.DEFEND_FLAGS`), under their codes."""

    CHURN_RISK = "churn_risk", _("High churn risk")
    PEER_CATEGORIES = "peer_categories", _("Categories its peers buy")
    BELOW_POTENTIAL = "below_potential", _("Below its purchasing potential")
    RISING_TREND = "rising_trend", _("Rising trend")
    DECISION_MODEL = "decision_model", _("Strategic decision model")


class QualifyMode(models.TextChoices):
    """How the strategic decision model qualifies a customer."""

    PERCENTILE = "percentile", _("Percentile of the weighted score")
    THRESHOLDS = "thresholds", _("Absolute thresholds per measure")
    BOTH = "both", _("Both")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    COMPLETE = "complete", _("Complete")
    FAILED = "failed", _("Failed")


class SignalName(models.TextChoices):
    """The churn signals: each has one weight in the risk settings and one rule."""

    OVERDUE = "overdue", _("Overdue order")
    FEW_ORDERS = "few_orders", _("Few orders")
    VOLUME_DROP = "volume_drop", _("Falling volume")
    ORDER_SIZE = "order_size", _("Shrinking orders")
    GAP_GROWTH = "gap_growth", _("Growing gaps between orders")
    PRICE_COMPARISON = "price_comparison", _("Price comparison")
    COMPETITOR = "competitor", _("Competitor activity")
    DISSATISFACTION = "dissatisfaction", _("Dissatisfaction")
    ORG_CHANGE = "org_change", _("Organisational change")
    ASSESSMENT = "assessment", _("Relationship assessment")


class FlagCode(models.TextChoices):
    """What a signal raises, shown with its evidence. Most signals raise the flag of their own
    name; the overdue signal may raise `single_order`, dissatisfaction raises `complaints` and
    `low_satisfaction`, the assessment `poor_relationship` and `relationship_falling`."""

    OVERDUE = "overdue", _("Overdue order")
    SINGLE_ORDER = "single_order", _("No repeat order")
    FEW_ORDERS = "few_orders", _("Few orders")
    VOLUME_DROP = "volume_drop", _("Falling volume")
    ORDER_SIZE = "order_size", _("Shrinking orders")
    GAP_GROWTH = "gap_growth", _("Growing gaps between orders")
    PRICE_COMPARISON = "price_comparison", _("Price comparison")
    COMPETITOR = "competitor", _("Competitor activity")
    COMPLAINTS = "complaints", _("Complaints")
    LOW_SATISFACTION = "low_satisfaction", _("Low satisfaction")
    ORG_CHANGE = "org_change", _("Organisational change")
    POOR_RELATIONSHIP = "poor_relationship", _("Poor relationship assessment")
    RELATIONSHIP_FALLING = "relationship_falling", _("Falling relationship assessment")


# The signal behind each flag: a flag shows the percentage points its signal adds to the
# probability. Declared once, here; the rules raise the flags, the scoring reads this map.
FLAG_SIGNAL: dict[str, str] = {
    FlagCode.OVERDUE: SignalName.OVERDUE,
    FlagCode.SINGLE_ORDER: SignalName.OVERDUE,
    FlagCode.FEW_ORDERS: SignalName.FEW_ORDERS,
    FlagCode.VOLUME_DROP: SignalName.VOLUME_DROP,
    FlagCode.ORDER_SIZE: SignalName.ORDER_SIZE,
    FlagCode.GAP_GROWTH: SignalName.GAP_GROWTH,
    FlagCode.PRICE_COMPARISON: SignalName.PRICE_COMPARISON,
    FlagCode.COMPETITOR: SignalName.COMPETITOR,
    FlagCode.COMPLAINTS: SignalName.DISSATISFACTION,
    FlagCode.LOW_SATISFACTION: SignalName.DISSATISFACTION,
    FlagCode.ORG_CHANGE: SignalName.ORG_CHANGE,
    FlagCode.POOR_RELATIONSHIP: SignalName.ASSESSMENT,
    FlagCode.RELATIONSHIP_FALLING: SignalName.ASSESSMENT,
}


class Scorer(models.TextChoices):
    """What turns a customer's signals into the probability users see."""

    LEARNED = "learned", _("Learned model")
    HAND = "hand", _("Hand weights")


class ScorerPin(models.TextChoices):
    """The admin's choice of scorer: the nightly run's comparison decides, or a pin."""

    AUTO = "auto", _("The better one, by the nightly comparison")
    LEARNED = "learned", _("Always the learned model")
    HAND = "hand", _("Always the hand weights")


class ScorerReason(models.TextChoices):
    """Why a nightly run scored with the scorer it did (`churn.learning.choose`)."""

    LEARNED_BETTER = "learned_better", _("The learned model is better on held-out customers")
    PINNED_LEARNED = "pinned_learned", _("Pinned to the learned model")
    PINNED_HAND = "pinned_hand", _("Pinned to the hand weights")
    PINNED_LEARNED_UNAVAILABLE = (
        "pinned_learned_unavailable",
        _("Pinned to the learned model, but none could be fitted"),
    )
    NO_COMPARISON = "no_comparison", _("Too few lost or kept customers to compare")
    TOO_FEW_LOST = "too_few_lost", _("Too few lost customers to trust the learned model")
    BRIER_NOT_CLEARLY_LOWER = (
        "brier_not_clearly_lower",
        _("The learned model's probabilities are not clearly closer to what happened"),
    )
    AUC_WORSE = "auc_worse", _("The learned model ranks the customers worse")


class AdmissionRule(models.TextChoices):
    """How each account manager's programme candidates are ranked for the places."""

    VALUE = "value", _("Value first")
    PRECEDENCE = "precedence", _("Segment precedence first")
