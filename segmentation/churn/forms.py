from django import forms
from django.utils.translation import gettext_lazy as _

from segmentation.churn.models import WEIGHT_FIELDS
from segmentation.models import RiskSettings


class RiskSettingsForm(forms.ModelForm):
    class Meta:
        model = RiskSettings
        fields = [f.name for f in RiskSettings._meta.fields if f.name != "id"]

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
