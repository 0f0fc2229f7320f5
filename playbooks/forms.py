"""Forms: closing a task, filtering the task list, editing a playbook."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from playbooks.enums import DigestFrequency, Outcome, TriggerKind
from playbooks.models import FLAG_KINDS, SEGMENT_KINDS, DigestPreference, Playbook
from playbooks.selectors import TaskFilters
from users.models import User
from users.selectors import account_managers_visible_to

NOTE_MAX = 2000


class TaskCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened: whom you reached, what was agreed, why it is not relevant."),
    )


class TaskFilterForm(forms.Form):
    """The task list's filters. Invalid values are dropped (the list still shows)."""

    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Open tasks")), ("closed", _("Closed tasks"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    mine = forms.BooleanField(
        label=_("Assigned to me"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    owner = forms.ModelChoiceField(
        label=_("Account manager"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Every account manager"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = account_managers_visible_to(user=user).order_by("first_name", "username")
        self.offers_owner = not user.is_account_manager

    def filters(self) -> TaskFilters:
        if not self.is_bound or not self.is_valid():
            return TaskFilters()
        data = self.cleaned_data
        return TaskFilters(
            closed=data["status"] == "closed", mine=data["mine"], owner=data["owner"]
        )


class PlaybookForm(forms.ModelForm):
    class Meta:
        model = Playbook
        fields = [
            "trigger",
            "trigger_flag",
            "trigger_segment",
            "programme_only",
            "title_en",
            "title_he",
            "text_en",
            "text_he",
            "due_in_days",
            "assignee",
            "priority",
            "active",
        ]
        widgets = {
            "text_en": forms.Textarea(attrs={"rows": 3}),
            "text_he": forms.Textarea(attrs={"rows": 3, "dir": "rtl"}),
            "title_he": forms.TextInput(attrs={"dir": "rtl"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        trigger = data.get("trigger")
        if trigger in FLAG_KINDS and not data.get("trigger_flag"):
            self.add_error("trigger_flag", _("Choose the flag this playbook follows."))
        if trigger in SEGMENT_KINDS and not data.get("trigger_segment"):
            self.add_error("trigger_segment", _("Choose the segment this playbook follows."))
        if trigger == TriggerKind.PROGRAMME_LEFT and data.get("programme_only"):
            self.add_error(
                "programme_only",
                _("An account that left the programme is never in it: clear this box."),
            )
        # What the trigger does not read is not kept (the database insists).
        if trigger not in FLAG_KINDS:
            data["trigger_flag"] = ""
        if trigger not in SEGMENT_KINDS:
            data["trigger_segment"] = ""
        return data


class DigestPreferenceForm(forms.ModelForm):
    frequency = forms.ChoiceField(
        label=_("E-mail digest"), choices=DigestFrequency.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = DigestPreference
        fields = ["frequency"]
