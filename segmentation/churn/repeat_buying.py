"""Repeat buying: the MBG/NBD model of how many buying occasions a customer will still make.

A buy-till-you-die model (pure numpy/scipy: no ORM, no clock, no settings). While a customer is
active, their buying occasions arrive as a Poisson process of rate lambda; right after each
occasion, *including the first one*, they leave for good with probability p. Across customers
lambda ~ Gamma(r, alpha) and p ~ Beta(a, b). That a customer may leave right after the first
occasion is what sets the MBG/NBD apart from the BG/NBD, where the first repeat occasion always
comes: so a customer seen only once is not presumed alive forever.

    Batislam, E. P., Denizel, M. & Filiztekin, A. (2007). Empirical validation and comparison of
    models for customer base analysis. International Journal of Research in Marketing, 24(3),
    201-209. https://doi.org/10.1016/j.ijresmar.2006.12.005
    Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy way:
    an alternative to the Pareto/NBD model. Marketing Science, 24(2), 275-284.
    https://doi.org/10.1287/mksc.1040.0098

A customer is summarised as (x, t_x, T), all measured from their first occasion, in DAYS:
x the repeat occasions (occasions after the first), t_x the day of the last occasion (0 when
x = 0), T the days from the first occasion to the as-of date (0 <= t_x <= T). An occasion is a
burst of orders at most SAME_OCCASION_DAYS apart (rules.py), dated by its first order, so the
model counts decisions to buy, not order lines. alpha is therefore in days and r / alpha is the
mean number of occasions per day of an active customer.

Everything is computed in logs: terms such as (alpha + T)^(r + x) overflow for a customer with
many occasions over years. The conditional expectation is the paper's Gaussian hypergeometric
closed form summed as a series of positive terms (see `expected_occasions`).
"""

import datetime as dt
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize
from scipy.special import digamma, expit, gammaln

from segmentation.churn.rules import Features

Array = NDArray[np.float64]

# The optimiser works on (log r, log r/alpha, log a/b, log a+b): the mean rate and the odds of
# the mean chance of leaving, which the data pin down well, and the two spreads r and a + b,
# which they may not. The bounds are wide enough for any portfolio measured in days. A spread
# on its upper bound is a limit of the model (every customer alike: the same rate, or the same
# chance of leaving), fitted fine; any other bound means the data cannot say.
BOUNDS = (
    (math.log(1e-4), math.log(1e6)),  # r
    (math.log(1e-7), math.log(1e2)),  # r / alpha: the mean occasions per day
    (-25.0, 25.0),  # log a/b: the log-odds of the mean chance of leaving
    (math.log(1e-4), math.log(1e6)),  # a + b
)
SPREADS = (0, 3)  # the parameters whose upper bound is a limit of the model
# The expectation's series stops when what is left is below this share of its sum; it gives up
# after MAX_TERMS terms (a horizon some 10^4 times longer than alpha + T: no sensible fit).
SERIES_TOLERANCE = 1e-15
MAX_TERMS = 200_000


@dataclass(frozen=True)
class Params:
    """The model's four parameters: lambda ~ Gamma(shape r, rate alpha), p ~ Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True)
class MbgNbdFit(Params):
    """Parameters estimated by maximum likelihood, with how the fit went."""

    log_likelihood: float
    customers: int
    converged: bool


class Summary(NamedTuple):
    """One customer's history as the model sees it (days; see the module docstring)."""

    x: int
    t_x: int
    T: int


def summary_from(f: Features, as_of: dt.date) -> Summary | None:
    """The (x, t_x, T) of a customer from the nightly features; None without an order.

    x is `gap_count`: every gap longer than an occasion opens a new occasion, so the gaps
    counted are exactly the occasions after the first.
    """
    if f.orders_total == 0:
        return None
    first, last = f.first_order_on, f.last_occasion_on
    if first is None or last is None:
        raise ValueError(f"customer {f.account_id}: orders but no first_order_on/last_occasion_on")
    if not first <= last <= as_of:
        raise ValueError(
            f"customer {f.account_id}: need first_order_on {first} <= last_occasion_on {last}"
            f" <= as_of {as_of}"
        )
    return Summary(f.gap_count, (last - first).days, (as_of - first).days)


def summary_arrays(summaries: list[Summary]) -> tuple[Array, Array, Array]:
    """x, t_x and T as float arrays, ready for `fit` and the predictions."""
    if not summaries:
        empty = np.empty(0)
        return empty, empty, empty
    x, t_x, T = np.array(summaries, dtype=np.float64).T
    return x, t_x, T


def _arrays(x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> tuple[Array, Array, Array]:
    """The summaries as float arrays of one length, or a ValueError naming the bad customer."""
    xs, txs, Ts = (np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in (x, t_x, T))
    if not xs.shape == txs.shape == Ts.shape or xs.ndim != 1:
        raise ValueError(
            f"x, t_x and T must be 1-D of one length: {xs.shape}, {txs.shape}, {Ts.shape}"
        )
    checks = (
        (~np.isfinite(xs) | ~np.isfinite(txs) | ~np.isfinite(Ts), "not a finite number"),
        ((xs < 0) | (xs != np.floor(xs)), "x must be a whole number >= 0"),
        ((txs < 0) | (txs > Ts), "need 0 <= t_x <= T"),
        ((xs == 0) & (txs != 0), "t_x must be 0 when x is 0"),
    )
    for bad, why in checks:
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"customer {i}: {why} (x={xs[i]}, t_x={txs[i]}, T={Ts[i]})")
    return xs, txs, Ts


def _log_odds_gone(p: Params, x: Array, t_x: Array, T: Array) -> Array:
    """log P(left after the last occasion, seen so far) / P(active at T, seen so far)."""
    return np.log(p.a) - np.log(p.b + x) + (p.r + x) * (np.log(p.alpha + T) - np.log(p.alpha + t_x))


def log_likelihood(p: Params, x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> Array:
    """Each customer's log-likelihood (Batislam et al. 2007):

    L = Gamma(r+x) alpha^r / Gamma(r) * [B(a, b+x+1) / B(a, b) / (alpha+T)^(r+x)
                                         + B(a+1, b+x) / B(a, b) / (alpha+t_x)^(r+x)]
    """
    x, t_x, T = _arrays(x, t_x, T)
    return _log_likelihood(p, x, t_x, T)


def _log_likelihood(p: Params, x: Array, t_x: Array, T: Array) -> Array:
    r, alpha, a, b = p.r, p.alpha, p.a, p.b
    rate = gammaln(r + x) - gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + T)
    stay = gammaln(a + b) + gammaln(b + x + 1) - gammaln(b) - gammaln(a + b + x + 1)
    return rate + stay + np.logaddexp(0.0, _log_odds_gone(p, x, t_x, T))


def total_log_likelihood(p: Params, x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> float:
    return float(log_likelihood(p, x, t_x, T).sum())


class _Customers(NamedTuple):
    """The fit's data, with each customer's x as an index into the distinct values of x."""

    x: Array
    t_x: Array
    T: Array
    distinct_x: Array
    per_x: NDArray[np.int64]  # how many customers have each distinct x


def _customers(x: Array, t_x: Array, T: Array) -> _Customers:
    distinct_x, per_x = np.unique(x, return_counts=True)
    return _Customers(x, t_x, T, distinct_x, per_x)


def _value_and_gradient(p: Params, c: _Customers) -> tuple[float, Array]:
    """The total log-likelihood and its gradient in (r, alpha, a, b).

    The gamma-function terms depend on x alone, and a portfolio has few distinct x: they are
    computed once per distinct x, the logs of the times once per customer. Sums of products
    rather than `@`: a BLAS call wakes OpenBLAS's threads, which on a busy machine cost more
    than the whole evaluation.
    """
    r, alpha, a, b, u, k = p.r, p.alpha, p.a, p.b, c.distinct_x, c.per_x
    n = c.x.size
    log_at_T, log_at_tx = np.log(alpha + c.T), np.log(alpha + c.t_x)
    rx = r + c.x
    odds = np.log(a) - np.log(b + c.x) + rx * (log_at_T - log_at_tx)
    gone = expit(odds)  # the weight of the "left after the last occasion" branch
    per_x = gammaln(r + u) - gammaln(r) + gammaln(a + b) + gammaln(b + u + 1) - gammaln(b)
    per_x -= gammaln(a + b + u + 1)
    value = _dot(k, per_x) + n * r * np.log(alpha) - _dot(rx, log_at_T)
    value += np.logaddexp(0.0, odds).sum()
    d_r = _dot(k, digamma(r + u) - digamma(r)) + n * np.log(alpha) - log_at_T.sum()
    d_r += _dot(gone, log_at_T - log_at_tx)
    inv_T, inv_tx = 1.0 / (alpha + c.T), 1.0 / (alpha + c.t_x)
    d_alpha = n * r / alpha - _dot(rx, inv_T) + _dot(gone * rx, inv_T - inv_tx)
    common = _dot(k, digamma(a + b) - digamma(a + b + u + 1))
    d_a = common + gone.sum() / a
    d_b = common + _dot(k, digamma(b + u + 1) - digamma(b)) - (gone / (b + c.x)).sum()
    return float(value), np.array([d_r, d_alpha, d_a, d_b])


def _dot(u: NDArray[np.floating | np.integer], v: NDArray[np.floating | np.integer]) -> float:
    return float(np.multiply(u, v).sum())


def _params(theta: Array) -> Params:
    log_r, log_rate, log_odds, log_spread = theta
    spread = math.exp(log_spread)
    a, b = spread * expit(log_odds), spread * expit(-log_odds)
    return Params(math.exp(log_r), math.exp(log_r - log_rate), float(a), float(b))


def _theta(p: Params) -> Array:
    theta = [math.log(p.r), math.log(p.r / p.alpha), math.log(p.a / p.b), math.log(p.a + p.b)]
    return np.clip(theta, *np.array(BOUNDS).T)


def _theta_gradient(p: Params, g: Array) -> Array:
    """A gradient in (r, alpha, a, b) as one in the optimiser's coordinates (chain rule)."""
    d_r, d_alpha, d_a, d_b = g
    return np.array(
        [
            p.r * d_r + p.alpha * d_alpha,
            -p.alpha * d_alpha,
            p.a * p.b / (p.a + p.b) * (d_a - d_b),
            p.a * d_a + p.b * d_b,
        ]
    )


def _starts(x: Array, T: Array) -> list[Params]:
    """Where the optimiser begins: rates at the portfolio's observed occasion rate, a moderate
    chance of leaving; then other shapes, in case the first does not converge."""
    rate = float(max(x.sum(), 1.0) / max(T.sum(), 1.0))
    return [
        Params(1.0, 1.0 / rate, 1.0, 3.0),
        Params(0.5, 0.5 / rate, 0.5, 5.0),
        Params(2.0, 2.0 / rate, 2.0, 2.0),
    ]


def fit(x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> MbgNbdFit:
    """Maximum-likelihood r, alpha, a, b (L-BFGS-B with the exact gradient, see BOUNDS).

    `converged` is False when the optimiser stopped short or the answer lies on a bound that
    is not a limit of the model (the data cannot pin it down, e.g. nobody ever came back).
    Needs at least one customer.
    """
    x, t_x, T = _arrays(x, t_x, T)
    if x.size == 0:
        raise ValueError("fit needs at least one customer")
    customers = _customers(x, t_x, T)
    best: MbgNbdFit | None = None
    for start in _starts(x, T):
        candidate = _fit_from(start, customers)
        if best is None or candidate.log_likelihood > best.log_likelihood:
            best = candidate
        if best.converged:
            break
    assert best is not None
    return best


def _fit_from(start: Params, c: _Customers) -> MbgNbdFit:
    n = c.x.size

    def objective(theta: Array) -> tuple[float, Array]:
        params = _params(theta)
        value, gradient = _value_and_gradient(params, c)
        # The mean, so that the tolerances do not depend on the number of customers.
        return -value / n, -_theta_gradient(params, gradient) / n

    result = minimize(objective, _theta(start), jac=True, method="L-BFGS-B", bounds=BOUNDS)
    return MbgNbdFit(
        **vars(_params(result.x)),
        log_likelihood=float(-result.fun * n),
        customers=n,
        converged=bool(result.success) and _inside(result.x),
    )


def _inside(theta: Array) -> bool:
    """No coordinate on a bound, but for a spread on its upper bound (a limit of the model)."""
    for i, (value, (low, high)) in enumerate(zip(theta, BOUNDS, strict=True)):
        if value <= low + 1e-6 or (value >= high - 1e-6 and i not in SPREADS):
            return False
    return True


def probability_alive(p: Params, x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> Array:
    """P(still active at T | x, t_x, T):

    1 / (1 + a / (b + x) * ((alpha + T) / (alpha + t_x))^(r + x))
    """
    x, t_x, T = _arrays(x, t_x, T)
    return expit(-_log_odds_gone(p, x, t_x, T))


def expected_occasions(p: Params, t: float, x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> Array:
    """E[occasions in (T, T + t] | x, t_x, T]: P(alive) times the expectation if active.

    Batislam et al. (2007) give the latter as, with z = t / (alpha + T + t),
        (a+b+x)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x) * 2F1(r+x, b+x+1; a+b+x; z)].
    scipy's hyp2f1 returns inf or nan for parameters a fit does reach (a and b in the
    thousands when customers are alike in their chance of leaving, as in the demo portfolio),
    so `_expected_if_active` sums the series this stands for, in an order where every term is
    positive: no digit is lost to cancellation, and nothing overflows.
    """
    if t < 0:
        raise ValueError(f"the horizon t must be >= 0, not {t}")
    x, t_x, T = _arrays(x, t_x, T)
    return expit(-_log_odds_gone(p, x, t_x, T)) * _expected_if_active(p, t, x, T)


def _expected_if_active(p: Params, t: float, x: Array, T: Array) -> Array:
    """The sum over k >= 1 of P(N = k) * D(k), for a customer active at T.

    N: the occasions in the t days at the customer's own rate, lambda ~ Gamma(r + x,
    alpha + T) given the history, if they never left: a negative binomial. D(k): how many of
    k occasions they make before leaving, the sum of E[(1 - p)^(n - 1)] for n = 1..k, with
    p ~ Beta(a, b + x + 1) given the history. (Summed through the generating function of N,
    this is the closed form above.) Each customer stops once the tail is provably small.
    """
    result = np.zeros(x.size)
    if t == 0:
        return result
    index = np.arange(x.size)
    shape = p.r + x
    z = t / (p.alpha + T + t)
    log_pmf = shape * (np.log(p.alpha + T) - np.log(p.alpha + T + t))  # log P(N = 0)
    stay = np.ones(x.size)  # E[(1 - p)^(k - 1)]: still active before the k-th occasion
    made = np.zeros(x.size)  # D(k)
    total = np.zeros(x.size)
    for k in range(1, MAX_TERMS + 1):
        log_pmf += np.log((shape + k - 1) * z / k)
        made += stay
        stay *= (p.b + x + k) / (p.a + p.b + x + k)
        term = np.exp(log_pmf) * made
        total += term
        # Later terms shrink at least by q each (N's pmf) while D grows at most by D(k) each,
        # so the tail is at most term * q (2 - q) / (1 - q)^2.
        q = z * np.maximum(1.0, (shape + k) / (k + 1))
        done = (q < 1.0) & (term * q * (2.0 - q) <= SERIES_TOLERANCE * total * (1.0 - q) ** 2)
        if done.any():
            result[index[done]] = total[done]
            left = ~done
            index, shape, z, log_pmf, stay, made, total, x = (
                v[left] for v in (index, shape, z, log_pmf, stay, made, total, x)
            )
            if index.size == 0:
                return result
    raise ValueError(
        f"expected_occasions: no convergence for customer {index[0]}: the horizon {t} is far"
        f" longer than alpha + T = {p.alpha + T[index[0]]}"
    )


def probability_no_occasion(
    p: Params, t: float, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> Array:
    """P(no occasion in (T, T + t] | x, t_x, T): gone, or active and no arrival in t days.

    A customer leaves only right after an occasion, so one with no arrival stays as it was;
    given the history, an active customer's rate is Gamma(r + x, alpha + T), whose chance of
    no arrival in t days is ((alpha + T) / (alpha + T + t))^(r + x):
        1 - P(alive) * (1 - ((alpha + T) / (alpha + T + t))^(r + x))
    The repeat-buying model's own answer to "no order in the horizon", for the backtest.
    """
    if t < 0:
        raise ValueError(f"the horizon t must be >= 0, not {t}")
    x, t_x, T = _arrays(x, t_x, T)
    alive = expit(-_log_odds_gone(p, x, t_x, T))
    none_if_active = np.exp((p.r + x) * (np.log(p.alpha + T) - np.log(p.alpha + T + t)))
    return 1.0 - alive * (1.0 - none_if_active)


def usual_occasions(p: Params, t: float, x: ArrayLike, T: ArrayLike) -> Array:
    """Occasions in t days at the customer's own rate, as if still active and staying so.

    The posterior mean rate of an active customer, (r + x) / (alpha + T): the customer's own
    x / T shrunk toward the portfolio's r / alpha, so that a customer with one early repeat is
    not credited with a burst rate. It ignores leaving, so it is the "usually" beside the
    expectation: the gap between the two is what the chance of having left costs.
    """
    xs = np.atleast_1d(np.asarray(x, dtype=np.float64))
    Ts = np.atleast_1d(np.asarray(T, dtype=np.float64))
    return t * (p.r + xs) / (p.alpha + Ts)


class Simulated(NamedTuple):
    """Simulated customers: their summaries, whether each is still active at T, and the
    occasions each makes in the `horizon` days after T."""

    x: NDArray[np.int64]
    t_x: Array
    T: Array
    alive: NDArray[np.bool_]
    future: NDArray[np.int64]


def simulate(
    p: Params, T: ArrayLike, *, rng: np.random.Generator, horizon: float = 0.0
) -> Simulated:
    """Customers drawn from the MBG/NBD process, one per entry of T (days observed).

    Each draws lambda ~ Gamma(r, alpha) and p ~ Beta(a, b). Occasions arrive at the Poisson
    times; after the first occasion and after each later one the customer leaves with chance p,
    so the number of occasions they ever make after the first is K ~ Geometric (failures
    before the first success, success p). Of the n Poisson arrivals in (0, T] the customer
    makes the first min(K, n); the x-th of n uniform arrival times is T * Beta(x, n - x + 1).
    """
    Ts = np.atleast_1d(np.asarray(T, dtype=np.float64))
    n = Ts.size
    lam = rng.gamma(p.r, 1.0 / p.alpha, n)
    leave = np.clip(rng.beta(p.a, p.b, n), 1e-12, 1.0)  # 0 would make K infinite
    ever = rng.geometric(leave) - 1
    arrivals = rng.poisson(lam * Ts)
    x = np.minimum(ever, arrivals)
    t_x = np.where(x > 0, Ts * rng.beta(np.maximum(x, 1), arrivals - x + 1), 0.0)
    later = rng.poisson(lam * horizon)
    future = np.clip(ever - arrivals, 0, later)
    return Simulated(x, t_x, Ts, ever > arrivals, future)
