"""The account list as CSV or XLSX at /accounts/export/: exactly the rows of /accounts/ with
the same filters and sort (the same form, the same selector), every page at once.

The at-risk list is the account list with `risk=at_stake&sort=-at_stake`, and the dashboard's
figures link to the account list with their filters: this export covers both.
"""

from collections.abc import Callable, Iterable

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from accounts.periods import Window
from kam_portal.export import DATE, MONEY, NUMBER, PERCENT, SCORE, Column, ListExport
from portfolio.filters import PortfolioFilterForm
from portfolio.selectors import account_list_with_figures
from segmentation.churn.selectors import with_hand_score
from segmentation.enums import Programme, RiskLevel, Segment
from users.requests import AuthenticatedHttpRequest


def _label(choices: type[TextChoices]) -> Callable[[str], str]:
    labels = dict(choices.choices)
    return lambda code: str(labels.get(code, code))


def account_export_rows(request: AuthenticatedHttpRequest) -> Iterable[Account]:
    """The account list's rows: an invalid filter is left out, as the list leaves it out."""
    form = PortfolioFilterForm(request.GET or None, user=request.user)
    form.is_valid()
    accounts = account_list_with_figures(
        user=request.user,
        window=Window(as_of=timezone.localdate()),
        filters=form.filters(),
        sort=form.chosen_sort(),
    )
    accounts = with_hand_score(accounts)  # the churn_risk_score column
    return accounts.select_related("owner__team").iterator(chunk_size=2000)


def _owner(account: Account) -> str:
    return account.owner.get_full_name() or account.owner.username if account.owner else ""


ACCOUNTS = ListExport(
    name="accounts",
    columns=(
        Column("external_id", _("ERP id"), lambda a: a.external_id),
        Column("name", _("Account"), lambda a: a.name),
        Column(
            "owner_username",
            _("Account manager (username)"),
            lambda a: a.owner and a.owner.username,
        ),
        Column("owner_name", _("Account manager"), _owner),
        Column("team", _("Team"), lambda a: a.owner and a.owner.team and a.owner.team.name),
        Column("industry", _("Industry"), lambda a: a.industry),
        Column("orders_12m", _("Orders, 12 months"), lambda a: a.orders_12m, NUMBER),
        Column("revenue_12m", _("Revenue, 12 months"), lambda a: a.revenue_12m, MONEY),
        Column("last_order_on", _("Last order"), lambda a: a.last_order_on, DATE),
        Column("segment", _("Segment"), lambda a: a.segment, display=_label(Segment)),
        Column("programme", _("Programme"), lambda a: a.programme, display=_label(Programme)),
        Column("churn_risk_score", _("Churn-risk score"), lambda a: a.risk_score, SCORE),
        Column(
            "churn_risk_level", _("Churn risk"), lambda a: a.risk_level, display=_label(RiskLevel)
        ),
        Column(
            "gross_profit_12m_at_run",
            _("Gross profit, 12 months (last nightly run)"),
            lambda a: a.risk_gross_profit_12m,
            MONEY,
        ),
        # Added after the first fourteen: scripts reading by position keep working.
        Column(
            "churn_probability",
            _("Chance of no order in the horizon"),
            lambda a: a.risk_probability,
            PERCENT,
        ),
        Column("expected_loss", _("Expected loss"), lambda a: a.risk_expected_loss, MONEY),
    ),
    rows=account_export_rows,
)
