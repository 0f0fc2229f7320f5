"""Query-count checks for pages: the count must not grow with the data, and stay under a ceiling."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Generous on purpose: the account page composes a dozen sections (figures, churn risk, segment,
# assessments, growth plan, log, contacts, account team, changes), each with a query or two;
# what must never happen is a count that follows the number of rows
# (checked by `assert_queries_do_not_grow`).
PAGE_QUERY_CEILING = 28


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


def assert_queries_do_not_grow(client, url: str, *, add_data: Callable[[], object]) -> int:
    """Load `url`, add more data, load it again: the same number of queries both times."""
    before = queries_for(client, url)
    add_data()
    after = queries_for(client, url)
    assert after == before, f"{url}: {before} queries, then {after} with more data"
    assert after <= PAGE_QUERY_CEILING, f"{url}: {after} queries"
    return after
