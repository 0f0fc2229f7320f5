"""/api/accounts/ pages: 100 by default, 500 at most, and no limit or offset is ever a 500."""

import pytest
from django.conf import settings

from accounts.models import Account
from kam_portal.pagination import MAX_LIMIT
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
LIST = "/api/accounts/"
HUGE = "9223372036854775808"  # 2**63: more than a PostgreSQL bigint holds


@pytest.fixture
def signed_in(client, admin_user):
    """An admin sees every account: 501 of them, one more than the largest page."""
    Account.objects.bulk_create(
        AccountFactory.build(external_id=f"C{n:04d}", name=f"N{n:04d}", owner=None)
        for n in range(MAX_LIMIT + 1)
    )
    client.force_login(admin_user)
    return client


def page(client, **params) -> dict:
    response = client.get(LIST, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_the_default_page_is_the_page_size_and_the_largest_is_max_limit(signed_in):
    assert settings.REST_FRAMEWORK["PAGE_SIZE"] == 100 and MAX_LIMIT == 500
    assert len(page(signed_in)["results"]) == 100
    assert len(page(signed_in, limit=MAX_LIMIT)["results"]) == MAX_LIMIT
    assert len(page(signed_in, limit=MAX_LIMIT + 1)["results"]) == MAX_LIMIT


@pytest.mark.parametrize("limit", [HUGE, "9" * 5000, "2147483648", "1e3", "-1", "0", "abc", ""])
def test_a_huge_negative_or_malformed_limit_is_bounded_or_the_default(signed_in, limit):
    body = page(signed_in, limit=limit)
    assert body["count"] == MAX_LIMIT + 1
    assert len(body["results"]) == (MAX_LIMIT if limit in (HUGE, "2147483648") else 100)


@pytest.mark.parametrize("offset", [HUGE, "9" * 5000, "-5", "x", "501", "502"])
def test_a_huge_negative_or_malformed_offset_is_never_an_error(signed_in, offset):
    body = page(signed_in, offset=offset, limit=HUGE)
    # An offset past the end is an empty page; an unreadable one is the first page.
    expected = {"-5": MAX_LIMIT, "x": MAX_LIMIT, "9" * 5000: MAX_LIMIT}.get(offset, 0)
    assert len(body["results"]) == expected


def test_the_browsable_api_survives_them_too(signed_in):
    response = signed_in.get(LIST, {"limit": HUGE, "offset": HUGE, "format": "api"})
    assert response.status_code == 200


def test_the_next_link_walks_every_account_once(signed_in):
    seen, url = [], f"{LIST}?limit={HUGE}"
    while url:
        body = signed_in.get(url).json()
        seen += [row["name"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == MAX_LIMIT + 1
