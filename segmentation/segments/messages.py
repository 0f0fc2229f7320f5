"""The sentence shown for each matched segment rule, built from the numbers stored with it.

Rendered when shown (not stored), so each user reads it in their own language. The churn flags
that are defend evidence keep the churn engine's own sentences.
"""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kam_portal.formats import money, percent, score
from segmentation.churn.messages import flag_sentence, flag_title
from segmentation.enums import AdmissionRule, ReasonCode, Segment
from segmentation.segments.decision import MEASURES
from segmentation.segments.rules import DEFEND_FLAGS


def segment_label(segment: str | None) -> str:
    return str(Segment(segment).label) if segment in Segment.values else _("No segment")


def ordinal(n: int) -> str:
    """97 -> "97th" in English; other languages show the number."""
    if not (get_language() or "en").startswith("en"):
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _measure(e: dict[str, Any]) -> str:
    value, pct = e["value"], e["percentile"]
    texts = {
        "revenue_12m": lambda: _("revenue 12m %(value)s") % {"value": money(value)},
        "gross_profit_12m": lambda: _("gross profit 12m %(value)s") % {"value": money(value)},
        "regularity": lambda: _("ordered in %(months)s of the last 12 months") % {"months": value},
        "yoy_growth": lambda: _("year-on-year growth %(value)s%%") % {"value": value},
        "gross_margin": lambda: _("gross margin %(value)s%%") % {"value": value},
        "orders_12m": lambda: _("%(value)s orders in 12 months") % {"value": value},
    }
    if value is None:
        text = _("%(measure)s unknown") % {"measure": e["measure"]}
    else:
        text = texts[e["measure"]]()
    if pct is None:
        return text
    return _("%(text)s, %(pct)s percentile of active customers") % {
        "text": text,
        "pct": ordinal(pct),
    }


def _decision_model(e: dict[str, Any]) -> str:
    parts = [_measure(m) for m in e["measures"] if m["measure"] in MEASURES]
    summary = _("weighted score in the %(pct)s percentile (decision model version %(v)s)") % {
        "pct": ordinal(e["score_percentile"]),
        "v": e["version"],
    }
    return "; ".join([*parts, summary])


def _churn_risk(e: dict[str, Any]) -> str:
    if e.get("probability") not in (None, "None"):
        return _("Churn risk %(percent)s (high).") % {"percent": percent(e["probability"])}
    # Reasons stored before the probability carry the hand score only.
    return _("Churn-risk score %(score)s (high).") % (e | {"score": score(e["score"])})


def _peer_categories(e: dict[str, Any]) -> str:
    text = _(
        "Does not buy %(categories)s, which at least %(share_pct)s%% of its %(peers)s "
        "industry peers buy."
    )
    return text % (e | {"categories": ", ".join(e["categories"])})


def _below_potential(e: dict[str, Any]) -> str:
    text = _(
        "Revenue 12m %(revenue)s is %(share_pct)s%% of its purchasing potential %(potential)s."
    )
    return text % (e | {"revenue": money(e["revenue_12m"]), "potential": money(e["potential"])})


def _rising_trend(e: dict[str, Any]) -> str:
    text = _("Revenue grew %(growth_pct)s%% year on year (%(now)s against %(before)s).")
    return text % (e | {"now": money(e["revenue_12m"]), "before": money(e["revenue_prev_12m"])})


_SENTENCES = {
    ReasonCode.CHURN_RISK: _churn_risk,
    ReasonCode.PEER_CATEGORIES: _peer_categories,
    ReasonCode.BELOW_POTENTIAL: _below_potential,
    ReasonCode.RISING_TREND: _rising_trend,
    ReasonCode.DECISION_MODEL: _decision_model,
}


def reason_sentence(reason: dict[str, Any]) -> str:
    """The sentence for a stored reason ({"segment", "code", "evidence"})."""
    code, evidence = reason["code"], reason["evidence"]
    try:
        if code in DEFEND_FLAGS:
            return flag_sentence({"code": code, "evidence": evidence})
        return _SENTENCES[code](evidence)
    except (KeyError, TypeError, ValueError):
        # Evidence written by an older version of a rule: show the numbers rather than fail.
        return f"{code}: {evidence}"


def reason_title(code: str) -> str:
    if code in ReasonCode.values:
        return str(ReasonCode(code).label)
    return flag_title(code)


def reasons_text(reasons: list[dict[str, Any]]) -> str:
    """All reasons on one line, for the export."""
    return " | ".join(f"{reason_title(r['code'])}: {reason_sentence(r)}" for r in reasons)


def value_basis(segment: str) -> str:
    """What a segment's programme value is (segments.value)."""
    texts: dict[str, str] = {
        Segment.STRATEGIC: _("gross profit, 12 months"),
        Segment.DEFEND: _("expected loss: the chance of no order × gross profit, 12 months"),
        Segment.GROW: _("gross margin × the revenue it could add"),
    }
    return str(texts.get(segment, ""))


def rank_reason(*, rule: str, segment: str, value_segment: str, value: Any, at_stake: Any) -> str:
    """Why a candidate ranks where it does: by its value under value first; by its segment's
    place in the precedence, then its gross profit at stake, under precedence first."""
    if rule == AdmissionRule.VALUE:
        return _("Value %(value)s as %(segment)s (%(basis)s).") % {
            "value": money(value),
            "segment": segment_label(value_segment),
            "basis": value_basis(value_segment),
        }
    return _("Segment %(segment)s by precedence, then gross profit at stake %(amount)s.") % {
        "segment": segment_label(segment),
        "amount": money(at_stake),
    }


def rule_label(rule: str) -> str:
    return str(AdmissionRule(rule).label) if rule in AdmissionRule.values else ""
