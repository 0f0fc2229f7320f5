"""The account list's export (CSV and XLSX) holds exactly the rows of the account list, for
every user and filter: the same accounts, in the same order, every page at once."""

from collections.abc import Iterator

import pytest

from accounts.models import Account
from portfolio import views
from tests.access.support import made_once
from tests.access.test_lists import USERS, make_portfolio, paged, visible
from tests.spreadsheets import csv_rows, xlsx_rows
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def portfolio(django_db_setup, django_db_blocker) -> Iterator[None]:
    yield from made_once(django_db_blocker, make_portfolio)


@pytest.fixture
def user(username, portfolio, client, monkeypatch) -> User:
    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 9)
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def exported(client, fmt: str, **params: str) -> list[list[str]]:
    response = client.get("/accounts/export/", {**params, "format": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return csv_rows(content) if fmt == "csv" else xlsx_rows(content)


def erp_ids(ids: list[int]) -> list[str]:
    names = dict(Account.objects.filter(pk__in=ids).values_list("pk", "external_id"))
    return [names[pk] for pk in ids]


FILTERS = [
    {},
    {"risk": "at_stake", "sort": "-at_stake"},  # the at-risk list
    {"risk": "high"},
    {"sort": "-revenue"},
    {"segment": "none"},
    {"q": "ltd"},
    {"risk": "nonsense"},  # an invalid filter is ignored by both
]


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_holds_the_visible_accounts(client, user, fmt) -> None:
    rows = exported(client, fmt)
    ids = [row[0] for row in rows[1:]]
    assert len(ids) == len(set(ids))
    expected = Account.objects.filter(pk__in=visible(user)).values_list("external_id", flat=True)
    assert set(ids) == set(expected)


@pytest.mark.parametrize("username", ["manager", "am1", "admin"])
@pytest.mark.parametrize(
    "params", FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items())
)
def test_the_export_lists_what_the_list_lists_in_its_order(client, user, params) -> None:
    listed = erp_ids(paged(client, "/accounts/", **params))
    assert [row[0] for row in exported(client, "csv", **params)[1:]] == listed
    assert [row[0] for row in exported(client, "xlsx", **params)[1:]] == listed


@pytest.mark.parametrize("username", ["am1"])
def test_the_list_links_to_its_export_with_its_filters(client, user) -> None:
    page = client.get("/accounts/", {"risk": "high", "page": "2"}).content.decode()
    assert 'href="/accounts/export/?risk=high&amp;format=csv"' in page
    assert 'href="/accounts/export/?risk=high&amp;format=xlsx"' in page
