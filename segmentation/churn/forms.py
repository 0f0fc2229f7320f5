from django import forms
from django.utils.translation import gettext_lazy as _

from segmentation.churn.models import WEIGHT_FIELDS
from segmentation.models import RiskSettings

# The settings page's sections, each a titled group of fields (every field in one of them).
GROUPS = (
    (
        _("Periods"),
        ("recent_days", "baseline_days", "event_lookback_days", "new_customer_gap_days"),
    ),
    (
        _("When a flag is raised"),
        (
            "overdue_factor",
            "volume_drop_pct",
            "order_size_drop_pct",
            "gap_growth_factor",
            "price_compare_pct",
            "low_satisfaction_max",
            "poor_relationship_max",
            "relationship_drop_points",
        ),
    ),
    (
        _("The chance of no order and its levels"),
        ("horizon_days", "scorer_pin", "minimum_lost", "medium_level", "high_level"),
    ),
    (_("How far each signal can raise the score"), tuple(WEIGHT_FIELDS.values())),
)


class RiskSettingsForm(forms.ModelForm):
    class Meta:
        model = RiskSettings
        fields = [f.name for f in RiskSettings._meta.fields if f.name != "id"]

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(title), [self[name] for name in names]) for title, names in GROUPS]

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        medium, high = data.get("medium_level"), data.get("high_level")
        if medium is not None and high is not None and high <= medium:
            self.add_error("high_level", _("The high level must be above the medium level."))
        weights = [data.get(field) for field in WEIGHT_FIELDS.values()]
        if all(w is not None for w in weights) and not any(weights):
            raise forms.ValidationError(_("At least one weight must be above zero."))
        return data
