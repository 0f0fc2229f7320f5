"""`{% account_segment_section account %}` (account page), `{% programme_notice %}` (home pages)
and the filters the segment templates use."""

from decimal import Decimal
from typing import Any

from django import template

from accounts.models import Account
from accounts.versions import cached_per_version
from segmentation.access import user_may_pin
from segmentation.enums import Segment
from segmentation.models import NightlyRun, SegmentSettings
from segmentation.segments import messages, selectors
from segmentation.segments.decision import MEASURE_LABELS
from segmentation.segments.forms import SegmentPinForm

register = template.Library()

SEGMENT_BADGES: dict[str, str] = {
    Segment.DEFEND: "danger",
    Segment.STRATEGIC: "primary",
    Segment.GROW: "success",
}


@register.inclusion_tag("segments/_account_section.html", takes_context=True)
def account_segment_section(context: template.Context, account: Account) -> dict:
    """The account page has already applied the visibility rule to `account`."""
    user = context["request"].user
    assignment = selectors.segment_assignment_for_account(account=account)
    reasons = []
    if assignment is not None:
        reasons = [
            {
                "segment": r["segment"],
                "segment_label": messages.segment_label(r["segment"]),
                "title": messages.reason_title(r["code"]),
                "sentence": messages.reason_sentence(r),
            }
            for r in assignment.reasons
        ]
    return {
        "account": account,
        "assignment": assignment,
        "reasons": reasons,
        "pin": selectors.segment_pin_in_force(account=account),
        "may_pin": user_may_pin(user),
        "pin_form": SegmentPinForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("segments/_programme_notice.html", takes_context=True)
def programme_notice(context: template.Context) -> dict:
    """Over-capacity warnings: the account manager's own, or those of the managers the user may
    see; read once per reader, run and version of the data (capacities and settings are part of
    it)."""
    user = context["request"].user
    loads = cached_per_version(
        f"programme-notice:{user.pk}:{NightlyRun.objects.latest_complete_pk()}",
        lambda: selectors.manager_loads(
            user=user, default_capacity=SegmentSettings.load().default_capacity
        ),
    )
    return {
        "user": user,
        "own": loads[0] if user.is_account_manager and loads else None,
        "overloaded": [x for x in loads if x.overloaded],
        "show_link": not user.is_account_manager,
    }


@register.filter
def segment_label(segment: str | None) -> str:
    return messages.segment_label(segment)


@register.filter
def segment_badge(segment: str | None) -> str:
    """The Bootstrap colour of a segment's badge."""
    return SEGMENT_BADGES.get(segment or "", "secondary")


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key)


@register.filter
def measure_weights(weights: dict[str, Any]) -> list[tuple[str, Any]]:
    """A saved model's weights as (measure label, weight): "Revenue, last 12 months: 1.0", not
    "revenue_12m=1.0". A measure this version does not know keeps its stored name."""
    return [
        (str(MEASURE_LABELS.get(code, code)), _plain(weight)) for code, weight in weights.items()
    ]


def _plain(number: Any) -> str:
    """1.0 -> "1", 0.5 -> "0.5": a weight with the decimals it has, no more."""
    return format(Decimal(str(number)).normalize(), "f")


@register.simple_tag
def rank_reason(assignment: Any) -> str:
    """Why a candidate of the capacity page ranks where it does, by the rule of its run."""
    return messages.rank_reason(
        rule=assignment.admission_rule,
        segment=assignment.segment,
        value_segment=assignment.value_segment,
        value=assignment.programme_value,
        at_stake=assignment.value_at_stake,
    )


@register.filter
def rule_label(rule: str | None) -> str:
    return messages.rule_label(rule or "")
