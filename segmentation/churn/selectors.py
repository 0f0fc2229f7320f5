"""Reads of churn risk: the risk settings as the rules' configuration, one account's risk, and
risk across a portfolio (the home pages' "At risk" panel, the account list's risk columns).

Every list starts from the one visibility rule in accounts.selectors and reads the latest
complete nightly run."""

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from segmentation.churn.fitting import params_from_json
from segmentation.churn.learning import LearnedModel
from segmentation.churn.models import WEIGHT_FIELDS, RiskModelVersion, RiskSettings, RiskSnapshot
from segmentation.churn.rules import RiskConfig
from segmentation.churn.scoring import ScoringModel
from segmentation.enums import RiskLevel, RunStatus, Scorer
from segmentation.models import NightlyRun
from users.models import User


def risk_config_from(settings: RiskSettings) -> RiskConfig:
    """The pure rules' configuration from the admin's settings row."""
    plain = {
        f.name: getattr(settings, f.name)
        for f in dataclasses.fields(RiskConfig)
        if f.name != "weights"
    }
    floats: dict[str, Any] = {
        k: float(v) if isinstance(v, Decimal) else v for k, v in plain.items()
    }
    weights = {name: float(getattr(settings, field)) for name, field in WEIGHT_FIELDS.items()}
    return RiskConfig(**floats, weights=weights)


def risk_config_get() -> RiskConfig:
    return risk_config_from(RiskSettings.load())


def scoring_model_for(*, run: NightlyRun, config: RiskConfig) -> ScoringModel:
    """What the run's chunks score with: its model version's choice, read from the database
    (the chunk tasks get it from the run, not from their arguments); the hand weights for a
    run without a version (one started before versions, or a chunk processed directly)."""
    version = RiskModelVersion.objects.filter(run=run).first()
    if version is None:
        return ScoringModel(Scorer.HAND, config.weights, config.horizon_days)
    coefficients = version.coefficients if version.scorer == Scorer.LEARNED else None
    return ScoringModel(
        Scorer.LEARNED if coefficients else Scorer.HAND,
        config.weights,
        version.horizon_days,
        model=LearnedModel.from_json(coefficients) if coefficients else None,
        params=params_from_json(version.repeat_buying),
    )


def risk_model_version_current() -> RiskModelVersion | None:
    """The model version of the latest complete run: the one whose probabilities users see."""
    return (
        RiskModelVersion.objects.filter(run_id=NightlyRun.objects.latest_complete_id())
        .select_related("run")
        .first()
    )


def risk_model_versions_recent(*, limit: int = 10) -> list[RiskModelVersion]:
    return list(RiskModelVersion.objects.select_related("run")[:limit])


def risk_snapshot_for_account(*, account: Account) -> RiskSnapshot | None:
    """The account's snapshot in the latest complete run (the caller has checked visibility),
    with its run and the run's model version (which scorer gave the probability)."""
    return (
        RiskSnapshot.objects.filter(run_id=NightlyRun.objects.latest_complete_id(), account=account)
        .select_related("run__risk_model")
        .first()
    )


def risk_history_for_account(*, account: Account, limit: int = 12) -> list[RiskSnapshot]:
    """The account's scores in its last `limit` complete runs, oldest first (for the trend)."""
    snapshots = (
        RiskSnapshot.objects.filter(account=account, run__status=RunStatus.COMPLETE)
        .select_related("run")
        .order_by("-run__as_of")[:limit]
    )
    return list(reversed(snapshots))


AT_RISK_LEVELS = (RiskLevel.HIGH, RiskLevel.MEDIUM)
# The most expected loss first (probability x gross profit 12 months: a likely loss of a
# small account can rank below a less likely loss of a large one); then the likelier loss.
AT_RISK_ORDER = (
    F("expected_loss").desc(),
    F("probability").desc(),
    F("gross_profit_12m").desc(),
    "account__name",
    "account_id",
)


@dataclass(frozen=True)
class AtRisk:
    """What the panel shows: the top snapshots and the totals over every visible account."""

    as_of: dt.date
    rows: Sequence[RiskSnapshot]
    high: int
    medium: int
    high_gross_profit_12m: Decimal
    expected_loss: Decimal = Decimal(0)  # over the high- and medium-risk accounts
    horizon_days: int = 90


def at_risk_visible_to(*, user: User, limit: int = 10) -> AtRisk | None:
    """The high- and medium-risk accounts `user` may see, by expected loss; None before the
    first complete run. Two queries whatever the portfolio size: the run, then the top rows
    carrying the totals over every matching row (window aggregates run before the LIMIT)."""
    run = NightlyRun.objects.latest_complete()
    if run is None:
        return None
    high = Q(level=RiskLevel.HIGH)
    rows = list(
        RiskSnapshot.objects.filter(
            run=run, level__in=AT_RISK_LEVELS, account__in=account_list_visible_to(user=user)
        )
        .annotate(
            total_high=Window(Count("pk", filter=high)),
            total_medium=Window(Count("pk", filter=Q(level=RiskLevel.MEDIUM))),
            total_high_gp=Window(Sum("gross_profit_12m", filter=high)),
            total_loss=Window(Sum("expected_loss")),
        )
        .select_related("account__owner")
        .order_by(*AT_RISK_ORDER)[:limit]
    )
    if not rows:  # nothing at high or medium risk
        return AtRisk(run.as_of, [], 0, 0, Decimal("0"), horizon_days=run.horizon_days)
    first = rows[0]
    return AtRisk(
        run.as_of,
        rows,
        first.total_high,
        first.total_medium,
        first.total_high_gp or Decimal("0"),
        first.total_loss or Decimal("0"),
        run.horizon_days,
    )


class _Quantized(DecimalField):
    """A decimal column read through an expression, to the column's own places. SQLite hands
    it back as a float, which Django turns into a 15-digit Decimal (0.700000000000000) and
    quantizes only for plain columns; PostgreSQL's exact value passes unchanged."""

    def from_db_value(self, value: Decimal | None, *args: object) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value).quantize(Decimal(1).scaleb(-self.decimal_places))


_PROBABILITY = _Quantized(max_digits=4, decimal_places=3)
_SCORE = _Quantized(max_digits=4, decimal_places=1)
_MONEY = _Quantized(max_digits=16, decimal_places=2)


def with_risk(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """Annotate `risk_level`, `risk_probability`, `risk_expected_loss` and
    `risk_gross_profit_12m` (gross profit at stake) from the latest complete run; None for
    accounts it did not score. One outer join on that run's snapshots (at most one row per
    account): a subquery per column cost PostgreSQL an index probe per account and column,
    half a second for a list of 40,000 sorted by expected loss. The probability and the
    amounts come back as the snapshot stores them, on SQLite too."""
    latest = FilteredRelation(
        "risk_snapshots",
        condition=Q(risk_snapshots__run_id=NightlyRun.objects.latest_complete_id()),
    )
    return accounts.annotate(latest_risk=latest).annotate(
        risk_level=F("latest_risk__level"),
        risk_probability=ExpressionWrapper(
            F("latest_risk__probability"), output_field=_PROBABILITY
        ),
        risk_expected_loss=ExpressionWrapper(F("latest_risk__expected_loss"), output_field=_MONEY),
        risk_gross_profit_12m=ExpressionWrapper(
            F("latest_risk__gross_profit_12m"), output_field=_MONEY
        ),
    )


def with_hand_score(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """Annotate `risk_score`, the hand weights' score (0 to 100) of the latest complete run,
    for the exports that keep it beside the probability."""
    latest = RiskSnapshot.objects.filter(
        account=OuterRef("pk"), run_id=NightlyRun.objects.latest_complete_id()
    )
    return accounts.annotate(
        risk_score=Subquery(latest.values("score")[:1], output_field=_SCORE),
    )


def filter_risk_level(accounts: QuerySet[Account], *levels: str) -> QuerySet[Account]:
    """Only the accounts the latest complete run put at one of `levels`: a semi-join on that
    run's snapshots, so PostgreSQL need not compute a subquery per account."""
    scored = RiskSnapshot.objects.filter(
        run_id=NightlyRun.objects.latest_complete_id(), level__in=levels
    )
    return accounts.filter(pk__in=scored.values("account_id"))
