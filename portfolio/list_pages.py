"""The account list's pages. The order of all the accounts a list shows is computed once per
reader, filters, sort, day, nightly run and version of the portfolio data and kept in the cache;
each page then reads only its own rows with their figures.

Sorted by revenue, the order sums a year of orders for every visible account (0.8 s for an
account manager's 40,000 accounts at 5 million orders, docs/performance.md); the next page, the
way back or a second tab then cost a slice of the cached order and one small query. Whatever
changes what the list reads gives the data a new version (accounts.versions) or is a new run,
so a cached order is never served after it.
"""

from django.core.paginator import Page, Paginator

from accounts.periods import Window
from accounts.selectors import account_list_visible_to
from accounts.versions import cached_per_version
from portfolio.filters import PortfolioFilters
from portfolio.selectors import SORTS, account_list_with_figures, with_list_figures
from segmentation.models import NightlyRun
from users.models import User

ORDER_SECONDS = 3600  # a new day, run or version makes a new key long before this


def account_list_page(
    *,
    user: User,
    window: Window,
    filters: PortfolioFilters,
    sort: str,
    number: int | str | None,
    per_page: int,
) -> Page:
    """Page `number` (any value `Paginator.get_page` takes) of the accounts `user` may see that
    pass `filters`, sorted by `sort`, each with the list's figures."""
    order = account_order(user=user, window=window, filters=filters, sort=sort)
    page = Paginator(order, per_page).get_page(number)
    page.object_list = _rows(user=user, window=window, ids=list(page.object_list))
    return page


def account_order(*, user: User, window: Window, filters: PortfolioFilters, sort: str) -> list[int]:
    """The ids of the list's accounts in the list's order, from the cache when it holds them."""
    sort = sort if sort in SORTS else "name"
    run_id = NightlyRun.objects.latest_complete_pk()
    key = f"account-order:{user.pk}:{window.as_of}:{run_id}:{sort}:{filters.cache_key()}"

    def order() -> list[int]:
        accounts = account_list_with_figures(user=user, window=window, filters=filters, sort=sort)
        return list(accounts.values_list("pk", flat=True))

    return cached_per_version(key, order, timeout=ORDER_SECONDS)


def _rows(*, user: User, window: Window, ids: list[int]) -> list:
    """The page's accounts in `ids`' order; read through the visibility rule again, so that the
    cache can only ever narrow what the rule allows."""
    accounts = with_list_figures(
        account_list_visible_to(user=user).filter(pk__in=ids), window=window
    )
    by_id = {account.pk: account for account in accounts}
    return [by_id[pk] for pk in ids if pk in by_id]
