"""The MBG/NBD on customers simulated from it with known parameters: the fit finds them again,
and the predictions match what the simulated customers really did. Seeded, so deterministic;
each tolerance is about four sampling standard deviations, measured over 40 seeds."""

import numpy as np
import pytest
from scipy.optimize import approx_fprime

from segmentation.churn import repeat_buying as rb
from segmentation.churn.repeat_buying import Params

H = 90.0
# An active customer buys every 67 days on average and leaves after an occasion with chance
# 0.13 on average; customers have been buying for 60 days to four years.
LOYAL = Params(r=0.9, alpha=60.0, a=0.7, b=4.5)
# Faster to leave (0.23 on average, a > 1), with more alike rates and shorter histories.
FICKLE = Params(r=2.5, alpha=100.0, a=3.0, b=10.0)


def simulated(p: Params, *, n: int, days: tuple[int, int], seed: int) -> rb.Simulated:
    rng = np.random.default_rng(seed)
    return rb.simulate(p, rng.uniform(*days, n), rng=rng, horizon=H)


# Relative tolerance per parameter: four standard deviations of the estimate at 50,000
# customers (LOYAL: 1.1 %, 1.1 %, 2.1 %, 3.2 %; FICKLE: 1.8 %, 2.0 %, 3.7 %, 4.3 %).
@pytest.mark.parametrize(
    "truth, days, tolerance",
    [
        (LOYAL, (60, 1460), {"r": 0.05, "alpha": 0.05, "a": 0.09, "b": 0.13}),
        (FICKLE, (30, 730), {"r": 0.08, "alpha": 0.08, "a": 0.15, "b": 0.18}),
    ],
)
def test_the_fit_recovers_the_parameters(truth, days, tolerance):
    s = simulated(truth, n=50_000, days=days, seed=13)
    fitted = rb.fit(s.x, s.t_x, s.T)
    assert fitted.converged
    assert fitted.customers == 50_000
    for name, tol in tolerance.items():
        assert getattr(fitted, name) == pytest.approx(getattr(truth, name), rel=tol), name
    # The maximum is at least as likely as the truth, and it is what the fit reports.
    assert fitted.log_likelihood >= rb.total_log_likelihood(truth, s.x, s.t_x, s.T)
    assert fitted.log_likelihood == pytest.approx(
        rb.total_log_likelihood(fitted, s.x, s.t_x, s.T), rel=1e-12
    )


def test_the_fit_is_deterministic():
    s = simulated(LOYAL, n=5_000, days=(60, 1460), seed=1)
    assert rb.fit(s.x, s.t_x, s.T) == rb.fit(s.x, s.t_x, s.T)


def test_the_gradient_the_optimiser_follows_is_the_likelihoods():
    s = simulated(LOYAL, n=2_000, days=(60, 1460), seed=2)
    at = np.array([0.8, 50.0, 0.9, 3.0])

    def total(v: np.ndarray) -> float:
        return rb.total_log_likelihood(Params(*v), s.x, s.t_x, s.T)

    value, exact = rb._value_and_gradient(Params(*at), rb._customers(s.x * 1.0, s.t_x, s.T))
    assert value == pytest.approx(total(at), rel=1e-12)
    np.testing.assert_allclose(exact, approx_fprime(at, total, at * 1e-7), rtol=1e-4)
    # ... and in the coordinates the optimiser moves (log r, log r/alpha, log a/b, log a+b).
    theta = rb._theta(Params(*at))
    in_theta = approx_fprime(theta, lambda t: total(list(vars(rb._params(t)).values())), 1e-7)
    np.testing.assert_allclose(rb._theta_gradient(Params(*at), exact), in_theta, rtol=1e-4)


def test_customers_alike_in_their_chance_of_leaving_are_a_limit_not_a_failure():
    # p = 0.1 for everyone: a and b grow without bound at a / (a + b) = 0.1 (the demo portfolio
    # fits so); the fit reaches that limit and says it converged.
    s = simulated(Params(0.9, 60.0, 1e4, 9e4), n=20_000, days=(60, 1460), seed=4)
    fitted = rb.fit(s.x, s.t_x, s.T)
    assert fitted.converged
    assert fitted.a / (fitted.a + fitted.b) == pytest.approx(0.1, rel=0.05)
    assert fitted.a + fitted.b > 100


def test_data_that_cannot_pin_the_parameters_down_is_not_called_converged():
    # Nobody ever came back: "everyone left at once" explains it best, a / (a + b) -> 1,
    # which only a parameter on its bound reaches.
    fitted = rb.fit(np.zeros(500), np.zeros(500), np.linspace(10, 700, 500))
    assert not fitted.converged
    assert fitted.customers == 500


def test_fit_needs_a_customer():
    with pytest.raises(ValueError, match="at least one customer"):
        rb.fit([], [], [])


def _z_scores(observed: np.ndarray, predicted: np.ndarray, groups: list[np.ndarray]) -> list:
    """Observed minus predicted group mean, in standard errors of the observed mean."""
    return [
        (observed[g].mean() - predicted[g].mean()) / (observed[g].std() / np.sqrt(g.sum()))
        for g in groups
    ]


@pytest.fixture(scope="module")
def population():
    s = simulated(LOYAL, n=100_000, days=(60, 1460), seed=2026)
    alive = rb.probability_alive(LOYAL, s.x, s.t_x, s.T)
    expected = rb.expected_occasions(LOYAL, H, s.x, s.t_x, s.T)
    by_x = [(s.x >= lo) & (s.x <= hi) for lo, hi in [(0, 0), (1, 2), (3, 9), (10, 10**9)]]
    return s, alive, expected, by_x


def test_the_expected_occasions_are_what_simulated_customers_then_buy(population):
    # The same customers, simulated on for H days by the process: within every group of
    # customers with similar histories the mean prediction equals the mean outcome.
    s, _, expected, by_x = population
    assert max(np.abs(_z_scores(s.future, expected, by_x))) < 4
    assert s.future.mean() == pytest.approx(expected.mean(), rel=0.02)


def test_the_probability_alive_is_the_share_still_active(population):
    s, alive, _, by_x = population
    deciles = np.digitize(alive, np.quantile(alive, np.linspace(0, 1, 11)[1:-1]))
    groups = by_x + [deciles == d for d in range(10)]
    assert max(np.abs(_z_scores(s.alive.astype(float), alive, groups))) < 4
    # The deciles span almost gone to almost surely active: the groups tell customers apart.
    assert s.alive[deciles == 0].mean() < 0.05 and s.alive[deciles == 9].mean() > 0.85


def test_the_simulator_counts_leaving_after_the_first_occasion():
    # With p = 1 every customer leaves right after the first occasion: no repeat, ever.
    s = rb.simulate(
        Params(1.0, 10.0, 1e6, 1e-6), np.full(1000, 365.0), rng=np.random.default_rng(3)
    )
    assert s.x.sum() == 0 and not s.alive.any() and (s.t_x == 0).all()
