"""Demo company names rarely repeat, and each depends only on the seed and the account number."""

from collections import Counter

from demo.generate import plan_account


def names(seed: int, count: int) -> list[str]:
    return [
        plan_account(seed=seed, number=n, orders_per_account=40).name for n in range(1, count + 1)
    ]


def test_at_the_default_size_almost_every_name_is_its_own():
    shared = sum(c for c in Counter(names(seed=1, count=300)).values() if c > 1)
    assert shared <= 3  # 27 of 300 shared a name with stem, industry and half the time a place


def test_a_name_depends_only_on_seed_and_number():
    assert names(seed=1, count=20) == names(seed=1, count=20) != names(seed=2, count=20)
    assert names(seed=1, count=20) == names(seed=1, count=40)[:20]
