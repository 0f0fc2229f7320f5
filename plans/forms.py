"""The plan page's forms. A goal form says per field what its kind needs, so a missing target or
date is an error on that field, never a database error."""

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from accounts.selectors import users_who_may_see
from kam_portal.limits import column_bounds, date_input_attrs, validate_date_in_range
from plans.enums import AMOUNT_KINDS, ActionStatus, GoalKind
from plans.models import Action, Goal, GrowthPlan
from plans.services import GoalData

TARGET = column_bounds(Goal, "target")


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=date_input_attrs(), format="%Y-%m-%d"),
        validators=[validate_date_in_range],
    )


class PlanForm(forms.ModelForm):
    review_on = _date_field(_("Review date"))

    class Meta:
        model = GrowthPlan
        fields = ["review_on", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class GoalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of goal"), choices=GoalKind.choices)
    target = forms.DecimalField(
        label=_("Target"),
        required=False,
        min_value=Decimal(1),
        **TARGET,
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1980,
        max_value=2099,
        help_text=_("A calendar year; or give the dates below."),
    )
    starts_on = _date_field(
        _("From"), required=False, help_text=_("A category goal counts orders from this day.")
    )
    ends_on = _date_field(
        _("Until"), required=False, help_text=_("A category goal is due by this day.")
    )
    category = forms.CharField(
        label=_("Product category"),
        required=False,
        max_length=100,
        help_text=_("As the orders name it."),
    )
    text = forms.CharField(
        label=_("Goal or note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The goal in words (another goal), or a note on it."),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # The currency is a setting (CURRENCY_SYMBOL), so the help names it rather than one.
        self.fields["target"].help_text = gettext(
            "Revenue or gross profit over the period, in the portal's currency (%(symbol)s)."
        ) % {"symbol": settings.CURRENCY_SYMBOL}

    @classmethod
    def for_goal(cls, goal: Goal, *, today: dt.date, data: Any = None) -> "GoalForm":
        initial = {
            name: getattr(goal, name)
            for name in ("kind", "target", "starts_on", "ends_on", "category", "text")
        }
        return cls(data, initial=initial, today=today)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind in AMOUNT_KINDS:
            self._clean_amount(data)
        elif kind == GoalKind.CATEGORY:
            self._clean_category(data)
        elif kind == GoalKind.FREE_TEXT and not (data.get("text") or "").strip():
            self.add_error("text", _("Say what the goal is."))
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data

    def _clean_amount(self, data: dict[str, Any]) -> None:
        if data.get("target") is None and "target" not in self.errors:
            self.add_error("target", _("Give the amount to reach."))
        year = data.get("year")
        if year and not (data.get("starts_on") or data.get("ends_on")):
            data["starts_on"], data["ends_on"] = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for name in ("starts_on", "ends_on"):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("Give a year, or both dates of the period."))

    def _clean_category(self, data: dict[str, Any]) -> None:
        if not (data.get("category") or "").strip():
            self.add_error("category", _("Name the product category."))
        if data.get("ends_on") is None and "ends_on" not in self.errors:
            self.add_error("ends_on", _("Give the date it should be bought by."))
        if data.get("starts_on") is None:
            data["starts_on"] = min(self.today, data.get("ends_on") or self.today)

    def goal_data(self) -> GoalData:
        data = self.cleaned_data
        return GoalData(
            kind=data["kind"],
            target=data.get("target"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            category=data.get("category") or "",
            text=data.get("text") or "",
        )


class ActionForm(forms.ModelForm):
    due_on = _date_field(_("Due date"))

    class Meta:
        model = Action
        fields = ["title", "owner", "due_on", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast(forms.ModelChoiceField, self.fields["owner"])  # a ForeignKey's field
        owner.queryset = users_who_may_see(account=account).order_by(
            "first_name", "last_name", "username"
        )
        owner.help_text = _("Someone who can see this account.")


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
