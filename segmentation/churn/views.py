"""The admin's churn-risk settings page (thresholds, weights, the horizon and the scorer pin)
with the current model version against the hand weights and the recent runs, and one run's
page, from which an admin can mark a run that lost its worker as failed."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from segmentation import pipeline
from segmentation.access import require_admin
from segmentation.churn import model_report
from segmentation.churn.forms import RiskSettingsForm
from segmentation.churn.models import RiskModelVersion, RiskSettings
from segmentation.churn.selectors import risk_model_version_current, risk_model_versions_recent
from segmentation.models import NightlyRun
from users.requests import AuthenticatedHttpRequest


def risk_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_admin(request.user)
    form = RiskSettingsForm(request.POST or None, instance=RiskSettings.load())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Risk settings saved. The next nightly run uses them."))
        return redirect("risk:settings")
    context = {
        "form": form,
        "runs": NightlyRun.objects.all()[:10],
        "versions": risk_model_versions_recent(limit=10),
        **_model_context(risk_model_version_current()),
    }
    return render(request, "churn/settings.html", context)


def _model_context(version: RiskModelVersion | None) -> dict:
    """The current model version against the hand weights, for the settings page."""
    if version is None:
        return {"version": None}
    comparison = version.comparison
    return {
        "version": version,
        "chart": model_report.reliability_chart(comparison) if comparison else None,
        "deciles": (
            list(
                zip(
                    model_report.deciles(comparison, "learned"),
                    model_report.deciles(comparison, "hand"),
                    strict=True,
                )
            )
            if comparison
            else []
        ),
        "coefficients": model_report.coefficients(version.coefficients),
        "repeat_buying": model_report.repeat_buying(version.repeat_buying, version.horizon_days),
    }


def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_admin(request.user)
    run = get_object_or_404(NightlyRun, pk=pk)
    context = {
        "run": run,
        "stale": pipeline.is_stale(run, now=timezone.now()),
        "stale_after_minutes": int(pipeline.STALE_AFTER.total_seconds() // 60),
    }
    return render(request, "churn/run.html", context)


@require_POST
def run_fail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark a running run failed: its rows go and the next start may begin at once."""
    require_admin(request.user)
    run = get_object_or_404(NightlyRun, pk=pk)
    error = _("Marked failed by %(user)s.") % {"user": request.user}
    if pipeline.nightly_run_fail(run_id=run.pk, error=error):
        messages.success(request, _("The run is marked failed; the previous results stay."))
    else:
        messages.warning(request, _("The run had already finished: nothing was changed."))
    return redirect("risk:run", pk=run.pk)
