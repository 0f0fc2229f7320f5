"""`{% churn_risk_section account %}`: the churn-risk block of the account page."""

from django import template

from accounts.models import Account
from segmentation.churn.messages import flag_sentence, flag_title
from segmentation.selectors import risk_history_for_account, risk_snapshot_for_account

register = template.Library()


@register.inclusion_tag("segmentation/partials/risk_section.html")
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
