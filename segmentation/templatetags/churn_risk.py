"""`{% churn_risk_section account %}`: the churn-risk block of the account page;
`{% churn_at_risk %}`: the home pages' panel of accounts at risk, by value at stake."""

from django import template

from accounts.models import Account
from segmentation.churn.messages import flag_sentence, flag_title
from segmentation.churn.selectors import (
    at_risk_visible_to,
    risk_history_for_account,
    risk_snapshot_for_account,
)
from segmentation.enums import RiskLevel

register = template.Library()

RISK_BADGES: dict[str, str] = {RiskLevel.HIGH: "danger", RiskLevel.MEDIUM: "warning"}


@register.inclusion_tag("churn/_risk_section.html")
def churn_risk_section(account: Account) -> dict:
    """The account page has already applied the visibility rule to `account`."""
    snapshot = risk_snapshot_for_account(account=account)
    flags = []
    if snapshot is not None:
        flags = [
            {"code": f["code"], "title": flag_title(f["code"]), "sentence": flag_sentence(f)}
            for f in snapshot.flags
        ]
    return {
        "snapshot": snapshot,
        "flags": flags,
        "history": risk_history_for_account(account=account, limit=12),
    }


@register.inclusion_tag("churn/_at_risk.html", takes_context=True)
def churn_at_risk(context: template.Context, limit: int = 10) -> dict:
    """Two queries; the sentences are rendered here so each reader gets their language."""
    user = context["request"].user
    summary = at_risk_visible_to(user=user, limit=limit)
    rows = []
    for snapshot in summary.rows if summary else []:
        rows.append(
            {
                "snapshot": snapshot,
                "titles": [flag_title(f["code"]) for f in snapshot.flags],
                "evidence": flag_sentence(snapshot.flags[0]) if snapshot.flags else "",
            }
        )
    return {"summary": summary, "rows": rows, "show_owner": not user.is_account_manager}


@register.filter
def risk_label(level: str | None) -> str:
    """A stored level ("high") in the reader's language."""
    return str(RiskLevel(level).label) if level in RiskLevel.values else ""


@register.filter
def risk_badge(level: str | None) -> str:
    """The Bootstrap colour of a level's badge."""
    return RISK_BADGES.get(level or "", "success")
