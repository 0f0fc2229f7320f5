"""The portfolio as the pages select it: the accounts a user may see, narrowed by the shared
filters (portfolio.filters), and the account list with its order figures, segment and churn
risk. The dashboard counts exactly what `portfolio_accounts` selects, so a figure and the list
it links to agree."""

import datetime as dt

from django.db.models import F, Q, QuerySet

from accounts.figures import with_order_figures
from accounts.models import Account
from accounts.periods import Window
from accounts.selectors import account_list_visible_to
from assessments.selectors import Coverage, accounts_with_a_score, programme_accounts_by_coverage
from plans.selectors import filter_plan
from portfolio.filters import NO_SEGMENT, RISK_FILTER_LEVELS, PortfolioFilters
from segmentation.churn.selectors import filter_risk_level, with_risk
from segmentation.segments.selectors import filter_programme, filter_segment, with_segment
from users.models import User

SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "revenue": ("revenue_12m", "name", "pk"),
    "-revenue": ("-revenue_12m", "name", "pk"),
    # Expected loss (churn probability x gross profit 12 months) of the latest nightly run;
    # unscored accounts last.
    "-at_stake": (
        F("risk_expected_loss").desc(nulls_last=True),
        F("risk_probability").desc(nulls_last=True),
        "name",
        "pk",
    ),
    # Gross profit at stake: gross profit, 12 months, of the latest nightly run.
    "-gross_profit_at_stake": (
        F("risk_gross_profit_12m").desc(nulls_last=True),
        F("risk_probability").desc(nulls_last=True),
        "name",
        "pk",
    ),
}


def portfolio_accounts(
    *, user: User, filters: PortfolioFilters, today: dt.date
) -> QuerySet[Account]:
    """The accounts `user` may see that pass `filters` (no annotations, no order)."""
    accounts = account_list_visible_to(user=user)
    if filters.search:
        search = filters.search
        accounts = accounts.filter(Q(name__icontains=search) | Q(external_id__iexact=search))
    if filters.team is not None:
        accounts = accounts.filter(owner__team=filters.team)
    if filters.owner is not None:
        accounts = accounts.filter(owner=filters.owner)
    if filters.industry:
        accounts = accounts.filter(industry=filters.industry)
    if filters.segment:
        segment = "" if filters.segment == NO_SEGMENT else filters.segment
        accounts = filter_segment(accounts, segment)
    if filters.risk:
        accounts = filter_risk_level(accounts, *sorted(RISK_FILTER_LEVELS[filters.risk]))
    if filters.programme:
        accounts = filter_programme(accounts, filters.programme)
    if filters.coverage == Coverage.SCORED:
        accounts = accounts_with_a_score(accounts)
    elif filters.coverage:
        accounts = programme_accounts_by_coverage(accounts, coverage=filters.coverage, today=today)
    if filters.plan:
        accounts = filter_plan(accounts, filters.plan, today=today)
    return accounts


def account_list_with_figures(
    *, user: User, window: Window, filters: PortfolioFilters | None = None, sort: str = "name"
) -> QuerySet[Account]:
    """The filtered accounts with their order figures, segment and churn risk, sorted."""
    filters = filters or PortfolioFilters()
    accounts = portfolio_accounts(user=user, filters=filters, today=window.as_of)
    return with_list_figures(accounts, window=window).order_by(*SORTS.get(sort, SORTS["name"]))


def with_list_figures(accounts: QuerySet[Account], *, window: Window) -> QuerySet[Account]:
    """What a row of the account list shows beside the account: its owner, order figures,
    segment and churn risk."""
    accounts = with_risk(with_segment(accounts.select_related("owner")))
    return with_order_figures(accounts, window=window)
