"""Today's customers scored with the run's chosen scorer: the probability of no order in the
horizon, its level, the percentage points each raised flag adds, the repeat-buying expectation
and the expected loss.

Pure: numpy over one chunk of customers at a time (no ORM, no clock, no settings). The rules
(`rules.evaluate`) have already given each customer its flags, signal strengths and the hand
score; this turns them into what the snapshot stores.

With the hand weights the probability is the score / 100, exactly (the levels are the same as
the score's). The learned model needs an order (days since the last one): a customer without
one keeps the hand weights' probability, which is what its records (complaints, a competitor)
give.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

import numpy as np

from segmentation.churn import learning
from segmentation.churn import repeat_buying as rb
from segmentation.churn.learning import EXPECTATION, CustomerRow, Design, LearnedModel
from segmentation.churn.rules import Features, RiskConfig, RiskResult, probability_level
from segmentation.enums import FLAG_SIGNAL, Scorer

THOUSANDTH = Decimal("0.001")
CENT = Decimal("0.01")
ZERO = Decimal(0)
_SIGNAL_INDEX = {name: i for i, name in enumerate(learning.SIGNAL_NAMES)}


@dataclass(frozen=True)
class ScoringModel:
    """What a run scores with, read from its model version (or the hand weights alone)."""

    scorer: str  # enums.Scorer
    weights: Mapping[str, float]
    horizon_days: int
    model: LearnedModel | None = None  # the learned model, when it scores
    params: rb.Params | None = None  # the repeat-buying parameters, for the expectation

    def __post_init__(self) -> None:
        if self.scorer == Scorer.LEARNED and self.model is None:
            raise ValueError("The learned scorer needs a learned model.")
        if self.model is not None and EXPECTATION in self.model.names and self.params is None:
            raise ValueError("The learned model reads the expectation: it needs the parameters.")

    @property
    def learned(self) -> bool:
        return self.scorer == Scorer.LEARNED


class Scored(NamedTuple):
    probability: Decimal  # 0 to 1, three decimals
    level: str
    flags: list[dict[str, Any]]  # each flag's code and evidence, and the points its signal adds
    expected_occasions: Decimal | None  # in the horizon, by the repeat-buying model
    usual_occasions: Decimal | None  # in the horizon at the customer's own rate, if active
    expected_loss: Decimal  # probability x gross profit 12 months (0 when that is negative)


def hand_probability(score: Decimal) -> Decimal:
    """The hand score (0-100, one decimal) as a probability: exactly score / 100."""
    return score.scaleb(-2)


def expected_loss(probability: Decimal, gross_profit_12m: Decimal) -> Decimal:
    """What the customer's loss would cost, weighed by its chance: never below zero."""
    if gross_profit_12m <= 0:
        return ZERO.quantize(CENT)
    return (probability * gross_profit_12m).quantize(CENT, ROUND_HALF_UP)


def _summaries(chunk: Sequence[Features], as_of: Any) -> list[rb.Summary | None]:
    return [rb.summary_from(f, as_of) for f in chunk]


def _occasions(
    model: ScoringModel, summaries: list[rb.Summary | None]
) -> tuple[np.ndarray, np.ndarray] | None:
    """Expected and usual occasions per customer (NaN without an order); None without params."""
    if model.params is None:
        return None
    n = len(summaries)
    expected, usual = np.full(n, np.nan), np.full(n, np.nan)
    known = [i for i, s in enumerate(summaries) if s is not None]
    if known:
        x, t_x, T = rb.summary_arrays([s for s in summaries if s is not None])
        horizon = float(model.horizon_days)
        expected[known] = rb.expected_occasions(model.params, horizon, x, t_x, T)
        usual[known] = rb.usual_occasions(model.params, horizon, x, T)
    return expected, usual


def _design(
    chunk: Sequence[Features],
    results: Sequence[RiskResult],
    occasions: tuple[np.ndarray, np.ndarray] | None,
    *,
    as_of: Any,
    with_expectation: bool,
) -> Design:
    """Every customer's row; one without an order gets zero covariates (only the hand weights,
    which read the strengths alone, score it)."""
    rows = []
    for i, (f, result) in enumerate(zip(chunk, results, strict=True)):
        expected = None
        if with_expectation and occasions is not None:
            value = occasions[0][i]
            expected = 0.0 if np.isnan(value) else float(value)
        if f.last_order_on is None:
            rows.append(CustomerRow(result.strengths, 0.0, 0.0, 0.0, expected))
        else:
            rows.append(
                learning.row_for(f, result.strengths, as_of=as_of, expected_orders=expected)
            )
    return learning.design_matrix(rows)


def _probabilities(
    model: ScoringModel, design: Design, ordered: np.ndarray, hand: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each customer's probability and the points per signal (customers x SIGNALS)."""
    hand_points = learning.contributions(model.weights, design)
    if not model.learned or model.model is None:
        return hand, hand_points
    learned = learning.predict_proba(model.model, design)
    points = learning.contributions(model.model, design)
    return np.where(ordered, learned, hand), np.where(ordered[:, None], points, hand_points)


def _flags(result: RiskResult, points: list[float]) -> list[dict[str, Any]]:
    """Each flag as stored (Flag.as_json), with the points of its signal."""
    flags = []
    for code, evidence in result.flags:
        entry: dict[str, Any] = {"code": code, "evidence": evidence}
        signal = FLAG_SIGNAL.get(code)
        if signal is not None:
            entry["points"] = round(points[_SIGNAL_INDEX[signal]], 1)
        flags.append(entry)
    return flags


def _two_places(value: float) -> Decimal | None:
    return None if value != value else Decimal(f"{value:.2f}")  # NaN: no order


def score_chunk(
    chunk: Sequence[Features],
    results: Sequence[RiskResult],
    *,
    as_of: Any,
    model: ScoringModel,
    c: RiskConfig,
) -> list[Scored]:
    """The scored customers of one chunk, in the order given."""
    if not chunk:
        return []
    summaries = _summaries(chunk, as_of)
    occasions = _occasions(model, summaries)
    with_expectation = model.model is not None and EXPECTATION in model.model.names
    design = _design(chunk, results, occasions, as_of=as_of, with_expectation=with_expectation)
    hand_exact = [hand_probability(r.score) for r in results]
    hand = np.array([float(p) for p in hand_exact])
    ordered = np.array([s is not None for s in summaries])
    p, points = _probabilities(model, design, ordered, hand)
    # Plain lists: indexing numpy arrays one element at a time costs more than the work.
    learned = (ordered & model.learned).tolist()
    p_list, points_list = p.tolist(), points.tolist()
    expected_list, usual_list = (
        (occasions[0].tolist(), occasions[1].tolist()) if occasions else ([], [])
    )
    scored = []
    for i, (f, result) in enumerate(zip(chunk, results, strict=True)):
        if learned[i]:
            probability = Decimal(f"{p_list[i]:.3f}")
            level = probability_level(probability, c)
        else:
            probability, level = hand_exact[i], result.level
        expected = usual = None
        if occasions is not None:
            expected, usual = _two_places(expected_list[i]), _two_places(usual_list[i])
        flags = _flags(result, points_list[i]) if result.flags else []
        loss = expected_loss(probability, f.gross_profit_12m)
        scored.append(Scored(probability, level, flags, expected, usual, loss))
    return scored
