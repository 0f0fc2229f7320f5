"""The account list as the pages show it: the visible accounts with their order figures, their
segment and their churn risk from the latest nightly run, searched, filtered and sorted."""

from django.db.models import F, Q, QuerySet

from accounts.figures import with_order_figures
from accounts.models import Account
from accounts.periods import Window
from accounts.selectors import account_list_visible_to
from segmentation.churn.selectors import filter_risk_level, with_risk
from segmentation.segments.selectors import with_segment
from users.models import User

SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "revenue": ("revenue_12m", "name", "pk"),
    "-revenue": ("-revenue_12m", "name", "pk"),
    # Value at stake: gross profit, 12 months, of the latest nightly run; unscored accounts last.
    "-at_stake": (
        F("risk_gross_profit_12m").desc(nulls_last=True),
        F("risk_score").desc(nulls_last=True),
        "name",
        "pk",
    ),
}


def account_list_with_figures(
    *,
    user: User,
    window: Window,
    search: str = "",
    owner: User | None = None,
    risk: str = "",
    sort: str = "name",
) -> QuerySet[Account]:
    """The accounts `user` may see, searched, filtered and sorted, with their order figures."""
    accounts = account_list_visible_to(user=user).select_related("owner")
    if search:
        accounts = accounts.filter(Q(name__icontains=search) | Q(external_id__iexact=search))
    if owner is not None:
        accounts = accounts.filter(owner=owner)
    accounts = with_segment(accounts)  # segment and programme of the latest nightly run
    accounts = with_risk(accounts)  # churn-risk level, score and value at stake, likewise
    if risk:
        accounts = filter_risk_level(accounts, risk)
    return with_order_figures(accounts, window=window).order_by(*SORTS.get(sort, SORTS["name"]))
