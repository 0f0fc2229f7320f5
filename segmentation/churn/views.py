"""The admin's churn-risk settings page (thresholds and weights) with the recent runs."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from segmentation.access import require_admin
from segmentation.churn.forms import RiskSettingsForm
from segmentation.churn.models import RiskSettings
from segmentation.models import NightlyRun
from users.requests import AuthenticatedHttpRequest


def risk_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_admin(request.user)
    form = RiskSettingsForm(request.POST or None, instance=RiskSettings.load())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Risk settings saved. The next nightly run uses them."))
        return redirect("risk:settings")
    context = {"form": form, "runs": NightlyRun.objects.all()[:10]}
    return render(request, "churn/settings.html", context)
