"""Forms of the segment pages: the decision model, a pin, a capacity, the what-if."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kam_portal.limits import column_bounds, date_input_attrs, validate_date_in_range
from segmentation.enums import AdmissionRule, QualifyMode
from segmentation.models import SegmentMeasureStage, SegmentPin, SegmentSettings
from segmentation.segments.decision import MEASURE_LABELS, MEASURES, DecisionModel, model_errors
from users.models import User

# Weights are relative (the score is their weighted mean), stored as JSON floats: three whole
# digits are plenty, and an unbounded one (1e400) became infinity, which JSON cannot hold.
WEIGHT_DIGITS = 6
# A threshold is compared with a measure; none holds more digits than the revenue column.
THRESHOLD_DIGITS = column_bounds(SegmentMeasureStage, "revenue_12m")["max_digits"]
# The hidden account-manager id is a user's primary key.
MANAGER_ID = column_bounds(User, "id")


class DecisionModelForm(forms.Form):
    """Weights and qualification; `clean` refuses what `decision.model_errors` refuses."""

    mode = forms.ChoiceField(
        label=_("A customer qualifies by"),
        choices=QualifyMode.choices,
        help_text=_("The weighted score's percentile, the thresholds below, or both."),
    )
    # Bounds are checked in clean() so that the message says what the number means.
    percentile = forms.DecimalField(
        label=_("Percentile of the weighted score (0-100)"),
        required=False,
        decimal_places=2,
        help_text=_("90 makes the top tenth of active customers strategic."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for m in MEASURES:
            self.fields[f"weight_{m}"] = forms.DecimalField(
                label=_("Weight of “%(measure)s”") % {"measure": MEASURE_LABELS[m]},
                initial=0,
                max_digits=WEIGHT_DIGITS,
                decimal_places=3,
                help_text=_("How much this measure counts in the weighted score; 0 leaves it out."),
            )
        for m in MEASURES:
            self.fields[f"threshold_{m}"] = forms.DecimalField(
                label=_("Lowest “%(measure)s” for a strategic customer")
                % {"measure": MEASURE_LABELS[m]},
                required=False,
                max_digits=THRESHOLD_DIGITS,
                help_text=_("Empty: not tested."),
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        errors = model_errors(
            weights={m: data[f"weight_{m}"] for m in MEASURES},
            mode=data["mode"],
            percentile=data.get("percentile"),
            thresholds={m: data.get(f"threshold_{m}") for m in MEASURES},
        )
        for key, message in errors.items():
            if key in self.fields:
                self.add_error(key, message)
            else:
                self.add_error(None, message)
        return data

    def model(self) -> DecisionModel:
        data = self.cleaned_data
        return DecisionModel(
            weights={m: float(data[f"weight_{m}"]) for m in MEASURES if data[f"weight_{m}"]},
            mode=data["mode"],
            percentile=float(data.get("percentile") or 0),
            thresholds={
                m: data[f"threshold_{m}"]
                for m in MEASURES
                if data.get(f"threshold_{m}") is not None
            },
        )

    @staticmethod
    def initial_from(model: DecisionModel) -> dict[str, Any]:
        initial: dict[str, Any] = {"mode": model.mode, "percentile": Decimal(str(model.percentile))}
        for m in MEASURES:
            initial[f"weight_{m}"] = Decimal(str(model.weights.get(m, 0)))
            initial[f"threshold_{m}"] = model.thresholds.get(m)
        return initial

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{m}"] for m in MEASURES]

    def threshold_fields(self) -> list[forms.BoundField]:
        return [self[f"threshold_{m}"] for m in MEASURES]


class SegmentPinForm(forms.ModelForm):
    class Meta:
        model = SegmentPin
        fields = ["segment", "reason", "expires_on"]
        widgets = {
            "expires_on": forms.DateInput(attrs=date_input_attrs()),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {"reason": {"required": _("Say why the segment is pinned.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].validators.append(validate_date_in_range)

    def clean_expires_on(self) -> dt.date:
        day = self.cleaned_data["expires_on"]
        # Only a date being set: the Django admin may still end a pin that has expired.
        if "expires_on" in self.changed_data and day < timezone.localdate():
            raise forms.ValidationError(_("The expiry date cannot be in the past."))
        return day


class SegmentSettingsForm(forms.ModelForm):
    class Meta:
        model = SegmentSettings
        fields = [f.name for f in SegmentSettings._meta.fields if f.name != "id"]


class CapacityForm(forms.Form):
    manager = forms.IntegerField(widget=forms.HiddenInput, **MANAGER_ID)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=0,
        max_value=10_000,
        help_text=_("Leave empty to use the default."),
    )


class WhatIfForm(forms.Form):
    manager = forms.IntegerField(widget=forms.HiddenInput, **MANAGER_ID)
    capacity = forms.IntegerField(
        label=_("What if the capacity were"), min_value=0, max_value=10_000
    )
    rule = forms.ChoiceField(
        label=_("and the candidates ranked by"),
        choices=[("", _("the run's rule")), *AdmissionRule.choices],
        required=False,
    )
