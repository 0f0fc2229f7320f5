"""The admin's churn-risk settings page (thresholds and weights) with the recent runs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from segmentation.forms import RiskSettingsForm
from segmentation.models import NightlyRun
from segmentation.services import risk_settings_get


def risk_settings(request: HttpRequest) -> HttpResponse:
    if not request.user.is_admin_role:  # type: ignore[union-attr]
        raise PermissionDenied
    form = RiskSettingsForm(request.POST or None, instance=risk_settings_get())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Risk settings saved. The next nightly run uses them."))
        return redirect("segmentation:settings")
    context = {"form": form, "runs": NightlyRun.objects.all()[:10]}
    return render(request, "segmentation/settings.html", context)
