"""The portfolio's filters, shared by the account list and the dashboard: one form, so a figure
on the dashboard and the list it links to select their accounts the same way."""

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.selectors import account_list_visible_to
from accounts.versions import cached_per_version
from assessments.selectors import Coverage
from plans.enums import PlanFilter
from segmentation.enums import Programme, RiskLevel, Segment
from users.models import Team, User

if TYPE_CHECKING:  # django-stubs-ext is a dev requirement: for annotations only
    from django_stubs_ext import StrOrPromise

SORT_CHOICES = [
    ("name", _("Name (A-Z)")),
    ("-name", _("Name (Z-A)")),
    ("-revenue", _("Revenue, 12 months (highest first)")),
    ("revenue", _("Revenue, 12 months (lowest first)")),
    ("-at_stake", _("Expected loss (highest first)")),
    ("-gross_profit_at_stake", _("Gross profit at stake (highest first)")),
]
NO_SEGMENT = "none"
AT_STAKE = "at_stake"  # high or medium churn risk: the accounts whose gross profit is at stake
RISK_CHOICES = [("", _("Any churn risk")), *RiskLevel.choices, (AT_STAKE, _("High or medium"))]
# The churn-risk levels each value of the risk filter selects.
RISK_FILTER_LEVELS: dict[str, frozenset[str]] = {
    **{level: frozenset({level}) for level in RiskLevel.values},
    AT_STAKE: frozenset({RiskLevel.HIGH, RiskLevel.MEDIUM}),
}
SEGMENT_CHOICES = [("", _("Any segment")), *Segment.choices, (NO_SEGMENT, _("No segment"))]
PROGRAMME_CHOICES = [("", _("In the programme or not")), *Programme.choices]
COVERAGE_CHOICES = [
    ("", _("Any assessment state")),
    (Coverage.CURRENT, _("Assessment up to date")),
    (Coverage.OVERDUE, _("Assessment overdue")),
    (Coverage.SCORED, _("Has a scored assessment")),
]
PLAN_CHOICES = [("", _("Any growth plan state")), *PlanFilter.choices]


@dataclass(frozen=True)
class PortfolioFilters:
    """The valid filters; empty values select everything."""

    search: str = ""
    team: Team | None = None
    owner: User | None = None
    segment: str = ""
    industry: str = ""
    risk: str = ""
    programme: str = ""
    coverage: str = ""
    plan: str = ""

    def is_narrowed(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)

    def cache_key(self) -> str:
        """The filters as a short stable string (a team or owner by its id), for cache keys; a
        JSON list, so that no search text can read as another filter's value."""
        values = [getattr(self, name) for name in self.__dataclass_fields__]
        plain = json.dumps([str(getattr(value, "pk", value) or "") for value in values])
        return hashlib.sha256(plain.encode()).hexdigest()[:32]


def teams_of_visible_accounts(*, user: User) -> QuerySet[Team]:
    visible = account_list_visible_to(user=user)
    return Team.objects.filter(members__owned_accounts__in=visible).distinct().order_by("name")


def industries_of_visible_accounts(*, user: User) -> list[tuple[str, "StrOrPromise"]]:
    visible = account_list_visible_to(user=user).exclude(industry="")
    names = visible.order_by("industry").values_list("industry", flat=True).distinct()
    return [("", _("Any industry")), *((name, name) for name in names)]


@dataclass(frozen=True)
class VisibleChoices:
    """What the owner, team and industry filters offer a user: ids and names, small."""

    owner_ids: list[int]
    team_ids: list[int]
    industries: list[str]


def visible_choices(*, user: User) -> VisibleChoices:
    """The filters' choices for `user`, read once per version of the portfolio data: over
    20,000 visible accounts the three reads cost about 70 ms, on every page that shows the
    filters (the dashboard, the account list). Owners, teams and industries change only by
    writes that give the data a new version (portfolio/signals.py, the imports)."""
    return cached_per_version(f"filter-choices:{user.pk}", lambda: _choices(user=user))


def _choices(*, user: User) -> VisibleChoices:
    visible = account_list_visible_to(user=user)
    return VisibleChoices(
        owner_ids=[
            pk
            for pk in visible.order_by().values_list("owner", flat=True).distinct()
            if pk is not None
        ],
        team_ids=list(teams_of_visible_accounts(user=user).values_list("pk", flat=True)),
        industries=[name for name, _label in industries_of_visible_accounts(user=user)[1:]],
    )


def risk_within(chosen: str, wanted: str) -> str | None:
    """The risk filter that selects the accounts at `wanted` among those `chosen` selects:
    `wanted` when nothing is chosen, the narrower of the two when they overlap ("at_stake"
    within "high" is "high"), None when they share no account ("low" within "at_stake")."""
    if not chosen:
        return wanted
    both = RISK_FILTER_LEVELS[chosen] & RISK_FILTER_LEVELS[wanted]
    return next((value for value, levels in RISK_FILTER_LEVELS.items() if levels == both), None)


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Name or ERP id"), "type": "search"}),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )
    owner = forms.ModelChoiceField(
        label=_("Account manager"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All account managers"),
    )
    segment = forms.ChoiceField(label=_("Segment"), choices=SEGMENT_CHOICES, required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=(), required=False)
    risk = forms.ChoiceField(label=_("Churn risk"), choices=RISK_CHOICES, required=False)
    programme = forms.ChoiceField(label=_("Programme"), choices=PROGRAMME_CHOICES, required=False)
    coverage = forms.ChoiceField(
        label=_("Relationship assessment"), choices=COVERAGE_CHOICES, required=False
    )
    plan = forms.ChoiceField(label=_("Growth plan"), choices=PLAN_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An account manager sees their own accounts and those of the account teams they are
        # on: the owner filter tells those apart (the pages show it only when there is a
        # choice); a team filter would be noise.
        choices = visible_choices(user=user)
        owner = cast(forms.ModelChoiceField, self.fields["owner"])  # declared above
        owner.queryset = User.objects.filter(pk__in=choices.owner_ids).order_by(
            "first_name", "username"
        )
        if user.is_account_manager and not user.is_superuser:
            del self.fields["team"]
        else:
            team = cast(forms.ModelChoiceField, self.fields["team"])
            team.queryset = Team.objects.filter(pk__in=choices.team_ids).order_by("name")
        industry = cast(forms.ChoiceField, self.fields["industry"])
        industry.choices = [("", _("Any industry")), *((n, n) for n in choices.industries)]

    def filters(self) -> PortfolioFilters:
        """The valid filters; invalid ones are left out (the views report them)."""
        data = self.cleaned_data if self.is_bound else {}
        return PortfolioFilters(
            search=data.get("q") or "",
            team=data.get("team"),
            owner=data.get("owner"),
            segment=data.get("segment") or "",
            industry=data.get("industry") or "",
            risk=data.get("risk") or "",
            programme=data.get("programme") or "",
            coverage=data.get("coverage") or "",
            plan=data.get("plan") or "",
        )

    def chosen_sort(self) -> str:
        data = self.cleaned_data if self.is_bound else {}
        return data.get("sort") or "name"

    def invalid(self) -> list[tuple[str, str]]:
        """(label, first error) of each filter that was given but is not valid."""
        return [
            (str(self.fields[name].label) if name in self.fields else name, str(errors[0]))
            for name, errors in self.errors.items()
        ]
