"""The sentence a sales manager reads for each flag, built from the evidence stored with it.

Sentences are rendered when shown (not stored) so each user reads them in their own language,
with amounts, scores and dates as the pages show them (kam_portal.formats); the evidence keeps
plain numbers and ISO dates.
"""

from typing import Any

from django.utils.translation import gettext as _

from kam_portal.formats import day, money, percent, points, score
from segmentation.enums import FLAG_SIGNAL, FlagCode, Scorer


def _as_money(e: dict[str, Any], *keys: str) -> dict[str, Any]:
    return e | {key: money(e[key]) for key in keys}


def _as_days(e: dict[str, Any], *keys: str) -> dict[str, Any]:
    return e | {key: day(e[key]) for key in keys}


def _as_scores(e: dict[str, Any], *keys: str) -> dict[str, Any]:
    return e | {key: score(e[key]) for key in keys}


def _overdue(e: dict[str, Any]) -> str:
    return (
        _(
            "No order for %(days_since_last_order)s days; this customer usually orders every "
            "%(usual_gap_days)s days."
        )
        % e
    )


def _single_order(e: dict[str, Any]) -> str:
    if e.get("orders", 1) == 1:
        return _("Only one order so far, %(days_since_last_order)s days ago.") % e
    return (
        _(
            "No repeat purchase since its first %(orders)s orders, "
            "%(days_since_last_order)s days ago."
        )
        % e
    )


def _few_orders(e: dict[str, Any]) -> str:
    return _("Only %(orders_12m)s orders in the last 12 months.") % e


def _volume_drop(e: dict[str, Any]) -> str:
    return _(
        "Revenue in the last %(recent_days)s days (%(recent_revenue)s) is %(drop_pct)s%% below "
        "its average for %(recent_days)s days over the %(baseline_days)s days before "
        "(%(baseline_revenue)s)."
    ) % _as_money(e, "recent_revenue", "baseline_revenue")


def _order_size(e: dict[str, Any]) -> str:
    return _(
        "Average order in the recent period is %(recent_avg)s, %(shrink_pct)s%% below the "
        "%(baseline_avg)s of the period before."
    ) % _as_money(e, "recent_avg", "baseline_avg")


def _gap_growth(e: dict[str, Any]) -> str:
    return (
        _(
            "Gaps between orders in the last 12 months average %(recent_gap_days)s days, against "
            "%(earlier_gap_days)s days before."
        )
        % e
    )


def _price_comparison(e: dict[str, Any]) -> str:
    text = (
        _("Price comparison on %(compared)s of the %(orders)s orders in the last %(days)s days.")
        % e
    )
    if "earlier_pct" in e:
        text += " " + _("Before that: %(earlier_pct)s%% of orders.") % e
    return text


def _competitor(e: dict[str, Any]) -> str:
    text = _("Competitor activity logged on %(last_on)s (%(count)s records recently).")
    return text % _as_days(e, "last_on")


def _complaints(e: dict[str, Any]) -> str:
    text = _("%(count)s complaints in the last %(lookback_days)s days, the latest on %(last_on)s.")
    return text % _as_days(e, "last_on")


def _low_satisfaction(e: dict[str, Any]) -> str:
    return _("Latest satisfaction score %(score)s out of 10, on %(on)s.") % _as_days(e, "on")


def _org_change(e: dict[str, Any]) -> str:
    if e.get("source") == "contact":
        return _("The primary contact was replaced on %(on)s.") % _as_days(e, "on")
    return _("Organisational change recorded on %(on)s.") % _as_days(e, "on")


def _poor_relationship(e: dict[str, Any]) -> str:
    text = _("The latest relationship assessment scored %(score)s out of 100, on %(on)s.")
    return text % _as_scores(_as_days(e, "on"), "score")


def _relationship_falling(e: dict[str, Any]) -> str:
    return _(
        "The relationship score fell %(drop)s points, from %(previous_score)s on "
        "%(previous_on)s to %(score)s on %(on)s."
    ) % _as_scores(_as_days(e, "previous_on", "on"), "drop", "previous_score", "score")


_SENTENCES = {
    "overdue": _overdue,
    "single_order": _single_order,
    "few_orders": _few_orders,
    "volume_drop": _volume_drop,
    "order_size": _order_size,
    "gap_growth": _gap_growth,
    "price_comparison": _price_comparison,
    "competitor": _competitor,
    "complaints": _complaints,
    "low_satisfaction": _low_satisfaction,
    "org_change": _org_change,
    "poor_relationship": _poor_relationship,
    "relationship_falling": _relationship_falling,
}


def flag_sentence(flag: dict[str, Any]) -> str:
    """The evidence sentence for a stored flag ({"code": ..., "evidence": {...}})."""
    render = _SENTENCES.get(flag["code"])
    try:
        return render(flag["evidence"]) if render else flag["code"]
    except (KeyError, TypeError):
        # Evidence written by an older version of a rule: show the numbers rather than fail.
        return f"{flag['code']}: {flag.get('evidence')}"


def flag_title(code: str) -> str:
    return str(FlagCode(code).label) if code in FlagCode.values else code


def probability_sentence(probability: Any, horizon_days: int) -> str:
    """ "62% chance of no order in the next 90 days"."""
    return _("%(percent)s chance of no order in the next %(days)s days") % {
        "percent": percent(probability),
        "days": horizon_days,
    }


def occasions_sentence(expected: Any, usual: Any, horizon_days: int) -> str:
    """The repeat-buying model's expectation beside the customer's own rhythm, in buying
    occasions (orders a few days apart count as one, as the model counts them)."""
    return _(
        "Expected %(expected)s buying occasions in the next %(days)s days; usually %(usual)s."
    ) % {"expected": score(expected), "usual": score(usual), "days": horizon_days}


def points_text(value: Any) -> str:
    """What a flag adds to the probability: "+12.5 percentage points"."""
    return _("%(points)s percentage points") % {"points": points(value)}


def flag_rows(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each stored flag with its title, sentence and the points its signal adds. Two flags of
    one signal (complaints and a low satisfaction score) add their points once: the later one
    names the flag it is counted with."""
    rows: list[dict[str, Any]] = []
    first_of: dict[str, str] = {}
    for flag in flags:
        code = flag["code"]
        row = {"code": code, "title": flag_title(code), "sentence": flag_sentence(flag)}
        row["points"] = flag.get("points")
        signal = FLAG_SIGNAL.get(code)
        if signal in first_of and row["points"] is not None:
            row["points"], row["counted_with"] = None, first_of[signal]
        elif signal is not None:
            first_of[signal] = row["title"]
        rows.append(row)
    return rows


def scorer_label(code: str) -> str:
    return str(Scorer(code).label) if code in Scorer.values else code
