"""`{% churn_risk_section account %}`: the churn-risk block of the account page;
`{% churn_at_risk %}`: the home pages' panel of accounts at risk, by expected loss."""

from django import template

from accounts.models import Account
from accounts.versions import cached_per_version
from segmentation.churn.messages import (
    flag_rows,
    flag_sentence,
    flag_title,
    occasions_sentence,
    points_text,
    probability_sentence,
    scorer_label,
)
from segmentation.churn.selectors import (
    at_risk_visible_to,
    risk_history_for_account,
    risk_snapshot_for_account,
)
from segmentation.enums import RiskLevel
from segmentation.models import NightlyRun

register = template.Library()

RISK_BADGES: dict[str, str] = {RiskLevel.HIGH: "danger", RiskLevel.MEDIUM: "warning"}


@register.inclusion_tag("churn/_risk_section.html")
def churn_risk_section(account: Account) -> dict:
    """The account page has already applied the visibility rule to `account`."""
    snapshot = risk_snapshot_for_account(account=account)
    if snapshot is None:
        return {"snapshot": None}
    horizon = snapshot.run.horizon_days
    version = getattr(snapshot.run, "risk_model", None)
    occasions = ""
    if snapshot.expected_occasions is not None:
        occasions = occasions_sentence(
            snapshot.expected_occasions, snapshot.usual_occasions, horizon
        )
    return {
        "snapshot": snapshot,
        "chance": probability_sentence(snapshot.probability, horizon),
        "flags": [row | {"points_text": _points(row)} for row in flag_rows(snapshot.flags)],
        "occasions": occasions,
        "scorer": scorer_label(version.scorer) if version else scorer_label("hand"),
        "history": risk_history_for_account(account=account, limit=12),
    }


def _points(row: dict) -> str:
    return "" if row["points"] is None else points_text(row["points"])


@register.inclusion_tag("churn/_at_risk.html", takes_context=True)
def churn_at_risk(context: template.Context, limit: int = 10) -> dict:
    """Read once per reader, run and version of the data (the query sums every at-risk account
    the reader sees: 20,000 at 100,000 customers); the sentences are rendered here so each
    reader gets their language."""
    user = context["request"].user
    run_id = NightlyRun.objects.latest_complete_pk()
    summary = cached_per_version(
        f"at-risk:{user.pk}:{run_id or 0}:{limit}",
        lambda: at_risk_visible_to(user=user, limit=limit),
    )
    rows = []
    for snapshot in summary.rows if summary else []:
        top = _strongest(snapshot.flags)
        rows.append(
            {
                "snapshot": snapshot,
                "titles": [flag_title(f["code"]) for f in snapshot.flags],
                "evidence": flag_sentence(top) if top else "",
                "points": points_text(top["points"]) if top and "points" in top else "",
            }
        )
    return {"summary": summary, "rows": rows, "show_owner": not user.is_account_manager}


def _strongest(flags: list[dict]) -> dict | None:
    """The flag whose signal adds the most points (the first, for flags stored before points)."""
    if not flags:
        return None
    return max(flags, key=lambda f: f.get("points", 0))


@register.filter
def risk_label(level: str | None) -> str:
    """A stored level ("high") in the reader's language."""
    return str(RiskLevel(level).label) if level in RiskLevel.values else ""


@register.filter
def risk_badge(level: str | None) -> str:
    """The Bootstrap colour of a level's badge."""
    return RISK_BADGES.get(level or "", "success")
