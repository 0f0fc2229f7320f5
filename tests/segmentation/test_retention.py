"""Which nightly runs keep their per-customer rows: the pure policy."""

import datetime as dt

from segmentation.retention import Retention, runs_to_prune

LATEST = dt.date(2027, 6, 30)


def daily(start: dt.date, end: dt.date, first_id: int = 1) -> list[tuple[int, dt.date]]:
    days = (end - start).days + 1
    return [(first_id + i, start + dt.timedelta(days=i)) for i in range(days)]


def test_every_run_of_the_last_90_days_is_kept():
    runs = daily(LATEST - dt.timedelta(days=90), LATEST)
    assert runs_to_prune(runs, latest=LATEST, policy=Retention(keep_days=90)) == []


def test_older_runs_keep_the_last_of_each_month():
    runs = daily(dt.date(2027, 1, 1), LATEST)
    by_id = dict(runs)
    pruned = runs_to_prune(runs, latest=LATEST, policy=Retention(keep_days=90))
    kept_old = {by_id[pk] for pk, _ in runs} - {by_id[pk] for pk in pruned}
    cutoff = LATEST - dt.timedelta(days=90)  # 2027-04-01: runs before it are "old"
    assert sorted(d for d in kept_old if d < cutoff) == [
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
    ]
    assert all(by_id[pk] < cutoff for pk in pruned)
    assert len(pruned) == (cutoff - dt.date(2027, 1, 1)).days - 3


def test_a_month_with_gaps_keeps_its_last_run_whatever_its_day():
    runs = [(1, dt.date(2026, 11, 3)), (2, dt.date(2026, 11, 17)), (3, dt.date(2026, 12, 2))]
    assert runs_to_prune(runs, latest=LATEST, policy=Retention(keep_days=90)) == [1]


def test_pruning_again_prunes_nothing_more():
    runs = daily(dt.date(2026, 1, 1), LATEST)
    policy = Retention(keep_days=30)
    pruned = set(runs_to_prune(runs, latest=LATEST, policy=policy))
    left = [(pk, on) for pk, on in runs if pk not in pruned]
    assert runs_to_prune(left, latest=LATEST, policy=policy) == []
