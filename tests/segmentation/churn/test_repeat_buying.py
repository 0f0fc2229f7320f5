"""The MBG/NBD closed forms against values computed another way, never by the code under test:
the paper's formula written out by hand, the customer-level model integrated numerically over
its gamma and beta mixing distributions (scipy.integrate), or, where scipy's hyp2f1 fails,
reference values worked out in mpmath at 50 digits."""

import math

import numpy as np
import pytest
from scipy import integrate, stats
from scipy.special import hyp2f1

from segmentation.churn import repeat_buying as rb
from segmentation.churn.repeat_buying import Params

P = Params(r=2.5, alpha=100.0, a=3.0, b=10.0)  # a > 1: a bounded beta density, a fast integral
H = 90.0

# (x, t_x, T): a first occasion today, one occasion 200 days ago, three repeats, a last
# occasion today, and a steady buyer.
CUSTOMERS = [(0, 0, 0), (0, 0, 200), (3, 150, 400), (1, 30, 30), (12, 700, 720)]


def _mixing(lam: float, p: float) -> float:
    """Gamma(r, alpha) density of lambda times Beta(a, b) density of p, written out."""
    log_gamma = P.r * math.log(P.alpha) + (P.r - 1) * math.log(lam) - P.alpha * lam
    log_beta = (P.a - 1) * math.log(p) + (P.b - 1) * math.log1p(-p)
    log_norm = math.lgamma(P.r) + math.lgamma(P.a) + math.lgamma(P.b) - math.lgamma(P.a + P.b)
    return math.exp(log_gamma + log_beta - log_norm)


def _integral(fn) -> float:
    def integrand(lam: float, p: float) -> float:
        if lam <= 0.0 or p <= 0.0 or p >= 1.0:
            return 0.0
        return fn(lam, p) * _mixing(lam, p)

    return integrate.dblquad(integrand, 0, 1, 0, np.inf, epsabs=0, epsrel=1e-9)[0]


def _numeric(x: int, t_x: float, T: float) -> tuple[float, float, float]:
    """log L, P(alive) and E[occasions in H days], by integrating the customer-level model.

    Given lambda and p: seen x repeats by t_x and nothing since, then either still active
    ((1-p)^(x+1) lambda^x e^(-lambda T)) or gone right after the last occasion
    (p (1-p)^x lambda^x e^(-lambda t_x)). An active customer makes (1 - e^(-lambda p H)) / p
    occasions in H days on average (one at a time, each followed by a chance p of leaving).
    """

    def alive(lam, p):
        return (1 - p) ** (x + 1) * lam**x * math.exp(-lam * T)

    def gone(lam, p):
        return p * (1 - p) ** x * lam**x * math.exp(-lam * t_x)

    def future(lam, p):
        return alive(lam, p) * -math.expm1(-lam * p * H) / p

    still, left = _integral(alive), _integral(gone)
    return math.log(still + left), still / (still + left), _integral(future) / (still + left)


@pytest.fixture(scope="module")
def numeric():
    return {c: _numeric(*c) for c in CUSTOMERS}


@pytest.mark.parametrize("customer", CUSTOMERS)
def test_the_closed_forms_match_the_integrated_model(customer, numeric):
    log_l, alive, expected = numeric[customer]
    assert rb.log_likelihood(P, *customer)[0] == pytest.approx(log_l, rel=1e-7, abs=1e-9)
    assert rb.probability_alive(P, *customer)[0] == pytest.approx(alive, rel=1e-7)
    assert rb.expected_occasions(P, H, *customer)[0] == pytest.approx(expected, rel=1e-7)


def test_the_likelihood_of_a_customer_seen_once_by_hand():
    # x = 0: either gone right after the first occasion, a / (a + b), or still active and
    # silent for T days, b / (a + b) * (alpha / (alpha + T))^r.
    T = 200
    by_hand = 3 / 13 + 10 / 13 * (100 / 300) ** 2.5
    assert rb.log_likelihood(P, 0, 0, T)[0] == pytest.approx(math.log(by_hand), rel=1e-12)
    assert rb.probability_alive(P, 0, 0, T)[0] == pytest.approx(
        10 / 13 * (1 / 3) ** 2.5 / by_hand, rel=1e-12
    )


def test_the_total_is_the_sum_over_customers():
    x, t_x, T = (np.array(v) for v in zip(*CUSTOMERS, strict=True))
    each = rb.log_likelihood(P, x, t_x, T)
    assert rb.total_log_likelihood(P, x, t_x, T) == pytest.approx(each.sum(), rel=1e-12)
    assert each[0] == pytest.approx(0.0, abs=1e-12)  # first occasion today: nothing to explain


def test_a_customer_whose_last_occasion_is_today_is_alive_unless_they_left_after_it():
    # The only way to be gone is to have left right after today's occasion: posterior
    # p ~ Beta(a, b + x), so P(alive) = (b + x) / (a + b + x).
    assert rb.probability_alive(P, 4, 365, 365)[0] == pytest.approx(14 / 17, rel=1e-12)


def test_a_customer_seen_once_can_be_gone_unlike_in_the_bg_nbd():
    # First occasion today: P(alive) is the prior chance of staying after it, b / (a + b).
    assert rb.probability_alive(P, 0, 0, 0)[0] == pytest.approx(10 / 13, rel=1e-12)
    # A long silence after one occasion makes "left at once" the likelier story.
    assert rb.probability_alive(P, 0, 0, 720)[0] < 0.1


def test_no_horizon_expects_no_occasions():
    assert rb.expected_occasions(P, 0.0, 3, 150, 400)[0] == 0.0


def test_a_heavy_buyer_over_years_stays_finite_and_matches_its_posterior():
    # (alpha + T)^(r + x) overflows a float here; the code works in logs. Given alive, the
    # posterior is lambda ~ Gamma(r + x, alpha + T) and p ~ Beta(a, b + x + 1), independent, so
    # E = P(alive) * E_p[(1 - ((alpha + T) / (alpha + T + p H))^(r + x)) / p], a 1-D integral.
    x, t_x, T = 600, 3600, 3650
    posterior = stats.beta(P.a, P.b + x + 1)

    def if_alive(p: float) -> float:
        keep = math.exp((P.r + x) * (math.log(P.alpha + T) - math.log(P.alpha + T + p * H)))
        return (1 - keep) / p * posterior.pdf(p)

    alive = rb.probability_alive(P, x, t_x, T)[0]
    expected = alive * integrate.quad(if_alive, 0, 1, epsabs=0, epsrel=1e-10, limit=200)[0]
    assert math.isfinite(rb.log_likelihood(P, x, t_x, T)[0])
    assert rb.expected_occasions(P, H, x, t_x, T)[0] == pytest.approx(expected, rel=1e-7)


def test_a_equal_to_one_is_no_special_case():
    # The closed form divides by a - 1; the series it is summed as does not.
    at_one = rb.expected_occasions(Params(2.5, 100.0, 1.0, 10.0), H, 3, 150, 400)[0]
    below = rb.expected_occasions(Params(2.5, 100.0, 1.0 - 1e-4, 10.0), H, 3, 150, 400)[0]
    above = rb.expected_occasions(Params(2.5, 100.0, 1.0 + 1e-4, 10.0), H, 3, 150, 400)[0]
    assert at_one == pytest.approx((below + above) / 2, rel=1e-8)


def _closed_form_if_active(p: Params, t: float, x, T):
    """The paper's expectation for an active customer, transcribed, with scipy's hyp2f1."""
    z = t / (p.alpha + T + t)
    keep = ((p.alpha + T) / (p.alpha + T + t)) ** (p.r + x)
    hyp = hyp2f1(p.r + x, p.b + x + 1, p.a + p.b + x, z)
    return (p.a + p.b + x) / (p.a - 1) * (1 - keep * hyp)


@pytest.mark.parametrize("p", [P, Params(0.9, 60.0, 0.7, 4.5), Params(0.2, 5.0, 0.3, 0.6)])
def test_the_series_is_the_papers_closed_form_where_scipy_can_evaluate_it(p):
    x, T = np.meshgrid([0, 1, 3, 10, 40, 150], [0, 7, 90, 400, 1500, 3650])
    x, T = x.ravel(), T.ravel()
    t_x = np.minimum(x * 5, T) * (x > 0)
    for t in (1.0, 90.0, 365.0):
        alive = rb.probability_alive(p, x, t_x, T)
        expected = rb.expected_occasions(p, t, x, t_x, T)
        np.testing.assert_allclose(expected, alive * _closed_form_if_active(p, t, x, T), rtol=1e-9)


# Where scipy's hyp2f1 gives nan (first two) or loses digits: the expectation if active, from
# the closed form in mpmath at 50 digits, confirmed to 20 digits by integrating over p
# (mpmath.quad). Parameters of the kind a fit reaches when customers are alike in their chance
# of leaving (the demo portfolio fits a = 2017, b = 997983).
@pytest.mark.parametrize(
    "p, x, T, t, reference",
    [
        (Params(5, 35, 100, 9900), 0, 0, 730, 61.322883639747554452),
        (Params(5, 35, 5000, 5000), 0, 0, 365, 2.000183816038267928),
        (Params(25.1, 541.6, 2016.6, 997983.4), 50, 1000, 90, 4.3648254715852532964),
        (Params(25.1, 541.6, 2016.6, 997983.4), 0, 0, 90, 4.1527897320297214752),
        (Params(0.9, 60, 0.7, 4.5), 900, 3650, 365, 85.753664070422390014),
    ],
)
def test_the_expectation_holds_where_scipys_hyp2f1_fails(p, x, T, t, reference):
    t_x = T  # last occasion today: P(alive) = (b + x) / (a + b + x), by hand
    alive = (p.b + x) / (p.a + p.b + x)
    expected = rb.expected_occasions(p, t, x, t_x, T)[0]
    assert expected == pytest.approx(alive * reference, rel=1e-11)


def test_a_series_that_would_not_end_is_refused(monkeypatch):
    monkeypatch.setattr(rb, "MAX_TERMS", 50)
    # alpha + T is a millionth of the horizon: millions of terms.
    with pytest.raises(ValueError, match="no convergence for customer 1"):
        rb.expected_occasions(Params(0.5, 1e-4, 1.0, 3.0), H, [0, 0], [0, 0], [400, 0])


def test_usual_is_the_customers_own_rate_shrunk_toward_the_portfolio():
    # (r + x) / (alpha + T) per day: 14.5 / 500 * 90 = 2.61 occasions in 90 days.
    assert rb.usual_occasions(P, H, 12, 400)[0] == pytest.approx(14.5 / 500 * 90)
    # Someone seen once today: the portfolio's rate, r / alpha.
    assert rb.usual_occasions(P, H, 0, 0)[0] == pytest.approx(2.5 / 100 * 90)


def test_the_expectation_is_below_the_usual_rate_when_the_customer_may_have_left():
    usual = rb.usual_occasions(P, H, 3, 400)[0]
    assert rb.expected_occasions(P, H, 3, 150, 400)[0] < usual


@pytest.mark.parametrize(
    "summary, message",
    [
        ((1, 50, 40), "customer 0: need 0 <= t_x <= T"),
        ((-1, 0, 40), "customer 0: x must be a whole number >= 0"),
        ((1.5, 10, 40), "customer 0: x must be a whole number >= 0"),
        ((0, 10, 40), "customer 0: t_x must be 0 when x is 0"),
        ((1, float("nan"), 40), "customer 0: not a finite number"),
    ],
)
def test_bad_summaries_are_named(summary, message):
    with pytest.raises(ValueError, match=message):
        rb.log_likelihood(P, *summary)


def test_the_bad_customer_is_named_by_position():
    with pytest.raises(ValueError, match=r"customer 2: need 0 <= t_x <= T \(x=1.0, t_x=9.0"):
        rb.probability_alive(P, [0, 1, 1], [0, 5, 9], [10, 10, 8])


def test_arrays_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="one length"):
        rb.log_likelihood(P, [0, 1], [0, 5], [10])


def test_a_negative_horizon_is_refused():
    with pytest.raises(ValueError, match="horizon"):
        rb.expected_occasions(P, -1.0, 0, 0, 10)


def test_the_chance_of_no_occasion_by_hand():
    """r=1, alpha=10, a=b=1, seen once 10 days ago, horizon 10 days: P(alive) =
    1 / (1 + 1 * (20/10)^1) = 1/3; if active, no arrival with chance (20/30)^1 = 2/3; so
    P(none) = 2/3 + 1/3 * 2/3 = 8/9."""
    p = Params(r=1.0, alpha=10.0, a=1.0, b=1.0)
    assert rb.probability_no_occasion(p, 10.0, 0, 0, 10)[0] == pytest.approx(8 / 9)
    assert rb.probability_no_occasion(p, 0.0, 0, 0, 10)[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="horizon"):
        rb.probability_no_occasion(p, -1.0, 0, 0, 10)


def test_the_chance_of_no_occasion_matches_simulated_customers():
    truth = Params(r=0.9, alpha=60.0, a=0.7, b=4.5)
    rng = np.random.default_rng(11)
    s = rb.simulate(truth, rng.uniform(60, 1460, 40_000), rng=rng, horizon=90)
    predicted = rb.probability_no_occasion(truth, 90, s.x, s.t_x, s.T)
    assert predicted.mean() == pytest.approx(np.mean(s.future == 0), abs=0.01)
    # And group by group: the customers it thinks likeliest to be silent are.
    high = predicted > np.quantile(predicted, 0.8)
    assert np.mean(s.future[high] == 0) == pytest.approx(predicted[high].mean(), abs=0.02)
