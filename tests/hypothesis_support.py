"""Hypothesis settings and bad-value strategies shared by the bad-input property tests.

Deterministic in CI: `derandomize` draws the same examples on every run and `database=None`
keeps no example store between runs. Each example runs in its own savepoint (`rolled_back`),
so the function-scoped database fixtures are shared safely between examples.
"""

import re
import string
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

BAD_INPUT = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters a test client can send (no lone surrogates, which cannot be encoded as UTF-8).
CHARACTERS = st.characters(exclude_categories=("Cs",))
TEXT = st.text(CHARACTERS, max_size=30)
# Text that is not blank once stripped, so that its length is its length after the strip.
SOLID = st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc"))

NUL_TEXT = st.builds(lambda a, b: f"{a}\x00{b}", st.text(CHARACTERS, max_size=8), TEXT)
HUGE_TEXT = st.integers(min_value=1_000, max_value=100_000).map(lambda n: "x" * n)
HUGE_INTEGER = st.one_of(
    st.integers(min_value=2**31, max_value=2**80),  # past an integer column, and a bigint
    st.integers(min_value=-(2**80), max_value=-(2**31) - 1),
).map(str)
HUGE_NUMBER = st.one_of(
    HUGE_INTEGER,
    st.sampled_from(["1e400", "-1e400", "1e309", "1e20"]),  # past a float, too
    st.integers(min_value=17, max_value=60).map(lambda n: "9" * n + ".5"),
)
ODD_NUMBER = st.sampled_from(
    ["1e400", "-1e400", "NaN", "Infinity", "-Infinity", "1" * 50, "0." + "0" * 40 + "1"]
    + ["1,5", "1_000", "٣", "１", "+-1", "--1", "0x10", " 7 "]
)
ANY_DATE = st.dates().map(lambda day: day.isoformat())  # 0001-01-01 to 9999-12-31
MALFORMED_DATE = st.one_of(
    st.sampled_from(
        ["2026-02-30", "2026-13-01", "20260115", "15/01/2026", "2026-1-5", "+2026-01-01"]
        + ["2026-01-01T00:00", "2026-W01-1", "٢٠٢٦-٠١-١٥", "99999-01-01", "0000-00-00"]
    ),
    st.text(string.digits + "-/.", max_size=12),
)
BAD_VALUE = st.one_of(
    NUL_TEXT, HUGE_TEXT, HUGE_NUMBER, ODD_NUMBER, ANY_DATE, MALFORMED_DATE, TEXT, st.just("")
)
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def bad_value_for(good: str) -> st.SearchStrategy[str]:
    """Bad values aimed at a field, judged by its good value: a number field mostly gets
    numbers too large or malformed, a date field dates out of range or malformed."""
    if _NUMBER.fullmatch(good):
        return st.one_of(HUGE_NUMBER, HUGE_NUMBER, ODD_NUMBER, BAD_VALUE)
    if _DATE.fullmatch(good):
        return st.one_of(ANY_DATE, MALFORMED_DATE, BAD_VALUE)
    return BAD_VALUE


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one example in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
