"""The admin's churn-risk settings page (thresholds and weights) with the recent runs."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from segmentation.access import require_admin
from segmentation.forms import RiskSettingsForm
from segmentation.models import NightlyRun
from segmentation.services import risk_settings_get


def risk_settings(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)  # type: ignore[arg-type]
    form = RiskSettingsForm(request.POST or None, instance=risk_settings_get())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Risk settings saved. The next nightly run uses them."))
        return redirect("segmentation:settings")
    context = {"form": form, "runs": NightlyRun.objects.all()[:10]}
    return render(request, "segmentation/settings.html", context)
