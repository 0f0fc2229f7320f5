"""The sentences a person reads for a task's evidence, built when shown (not stored) so that
each reader gets their own language, with figures and dates as the pages show them. Churn flags
read exactly as on the account page (segmentation.churn.messages.flag_sentence)."""

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from kam_portal.formats import day, money, score
from plans.enums import GoalKind
from segmentation.churn.messages import flag_sentence
from segmentation.enums import Programme, RiskLevel, Segment


def _label(choices: type[Segment] | type[Programme] | type[RiskLevel], code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


def _flag_raised(e: dict[str, Any]) -> list[str]:
    return [flag_sentence(e["flag"])]


def _level_high(e: dict[str, Any]) -> list[str]:
    values = {"score": score(e.get("score"))}
    if e.get("previous_level"):
        values["previous"] = _label(RiskLevel, e["previous_level"]).lower()
        first = _("Churn risk became high (score %(score)s; it was %(previous)s).") % values
    else:
        first = _("Churn risk is high (score %(score)s).") % values
    return [first, *(flag_sentence(flag) for flag in e.get("flags", []))]


def _segment(e: dict[str, Any]) -> list[str]:
    segment = _label(Segment, e["segment"])
    if e["trigger"] == "segment_entered":
        if e.get("before"):
            text = _("The account entered the %(segment)s segment (it was in %(before)s).")
            return [text % {"segment": segment, "before": _label(Segment, e["before"])}]
        return [_("The account entered the %(segment)s segment.") % {"segment": segment}]
    if e.get("now"):
        text = _("The account left the %(segment)s segment; it is now in %(now)s.")
        return [text % {"segment": segment, "now": _label(Segment, e["now"])}]
    return [
        _("The account left the %(segment)s segment and is in none now.") % {"segment": segment}
    ]


def _programme(e: dict[str, Any]) -> list[str]:
    if e["trigger"] == "programme_entered":
        return [_("The nightly run admitted the account to the assessment programme.")]
    now = _label(Programme, e.get("programme") or Programme.NO)
    return [_("The account left the assessment programme (now: %(now)s).") % {"now": now}]


def _assessment_overdue(e: dict[str, Any]) -> list[str]:
    values = {"due": day(e["due_on"]), "last": day(e.get("last_on"))}
    if e.get("last_on"):
        text = _("The relationship assessment was due on %(due)s; the last one was on %(last)s.")
    else:
        text = _("The relationship assessment was due on %(due)s; none has been submitted yet.")
    return [text % values]


def _perception_gap(e: dict[str, Any]) -> list[str]:
    text = _("The relationship assessment of %(on)s records a perception gap.")
    return [text % {"on": day(e["submitted_on"])}]


def goal_sentence(goal: Mapping[str, Any]) -> str:
    """One goal behind, from the evidence plans.selectors.goals_behind_as_of gives."""
    if "kind" not in goal:  # another provider's evidence: its title, or the goal's number
        return _("Behind: %(goal)s.") % {"goal": goal.get("title") or goal.get("goal_id")}
    text = _(
        "The %(kind)s goal of %(target)s from %(from)s to %(until)s is behind: "
        "%(share)s%% of the target so far, against %(expected)s%% of the period gone."
    )
    kind = str(GoalKind(goal["kind"]).label) if goal["kind"] in GoalKind.values else goal["kind"]
    return text % {
        "kind": kind.lower(),
        "target": money(goal.get("target")),
        "from": day(goal.get("starts_on")),
        "until": day(goal.get("ends_on")),
        "share": score(goal.get("share_pct")),
        "expected": score(goal.get("expected_share_pct")),
    }


def _goal_behind(e: dict[str, Any]) -> list[str]:
    return [goal_sentence(g) for g in e.get("goals", [])]


_SENTENCES: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "flag_raised": _flag_raised,
    "level_high": _level_high,
    "segment_entered": _segment,
    "segment_left": _segment,
    "programme_entered": _programme,
    "programme_left": _programme,
    "assessment_overdue": _assessment_overdue,
    "perception_gap": _perception_gap,
    "goal_behind": _goal_behind,
}


def evidence_sentences(evidence: dict[str, Any]) -> list[str]:
    """What fired the task, in sentences in the active language."""
    render = _SENTENCES.get(evidence.get("trigger", ""))
    try:
        return render(evidence) if render else [str(evidence)]
    except (KeyError, TypeError, ValueError):
        # Evidence written by an older version of a trigger: show it rather than fail.
        return [str(evidence)]
