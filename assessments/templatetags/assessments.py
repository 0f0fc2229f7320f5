"""Blocks other pages include: `{% assessment_section account %}` on the account page and
`{% assessments_attention %}` (overdue assessments, perception gaps) on the home pages."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from accounts.models import Account
from accounts.versions import cached_per_version
from assessments.selectors import (
    account_assessment_summary,
    assessments_overdue,
    assessments_overdue_count,
    perception_gaps_visible_to,
)
from segmentation.models import NightlyRun

register = template.Library()


@register.inclusion_tag("assessments/_account_section.html", takes_context=True)
def assessment_section(context: template.Context, account: Account) -> dict:
    user = context["request"].user
    return {
        "account": account,
        "summary": account_assessment_summary(account=account, user=user),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("assessments/_attention.html", takes_context=True)
def assessments_attention(context: template.Context, limit: int = 10) -> dict:
    """Read once per reader, day, run (segments set the cadence) and version of the data: the
    overdue count and the gaps read every programme account the reader sees."""
    user = context["request"].user
    today = timezone.localdate()
    run_id = NightlyRun.objects.latest_complete_pk()
    panels = cached_per_version(
        f"attention:{user.pk}:{today}:{run_id or 0}:{limit}",
        lambda: {
            "overdue": assessments_overdue(user=user, today=today, limit=limit),
            "overdue_total": assessments_overdue_count(user=user, today=today),
            "gaps": perception_gaps_visible_to(user=user, limit=limit),
        },
    )
    return {**panels, "show_owner": not user.is_account_manager}


@register.filter
def gap_claim(gap: dict) -> str:
    """The answer's direction in words, for a stored perception gap."""
    if gap.get("claimed") == "grow":
        return gettext("The answer says purchases grow")
    return gettext("The answer says purchases fall")


@register.filter
def ltr(value: object) -> str:
    """Keep a signed number or percentage left to right inside a Hebrew sentence or cell."""
    return format_html('<bdi dir="ltr">{}</bdi>', value)
