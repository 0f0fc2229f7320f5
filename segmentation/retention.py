"""How long a nightly run keeps its per-customer rows (a churn snapshot and a segment row for
every customer, 100,000 rows a night at 100,000 customers).

Pure: the runs, the newest as-of date and the policy are arguments. Every complete run of the
last `keep_days` keeps its rows; of older runs, the last complete run of each calendar month
keeps them, so an account's score history and the dashboard's trends stay readable month by
month across the pruned range. The run records themselves (date, counts) are never pruned.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Retention:
    keep_days: int = 90


def runs_to_prune(
    runs: Iterable[tuple[int, dt.date]], *, latest: dt.date, policy: Retention
) -> list[int]:
    """The ids of the complete runs `(id, as_of)` whose rows may go, oldest first."""
    cutoff = latest - dt.timedelta(days=policy.keep_days)
    old = sorted((as_of, pk) for pk, as_of in runs if as_of < cutoff)
    month_last: dict[tuple[int, int], tuple[dt.date, int]] = {}
    for as_of, pk in old:  # ascending: the last one of each month wins
        month_last[(as_of.year, as_of.month)] = (as_of, pk)
    kept = {pk for _, pk in month_last.values()}
    return [pk for _, pk in old if pk not in kept]
