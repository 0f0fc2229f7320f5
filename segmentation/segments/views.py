"""Segment pages: the admin's decision model (with preview), capacity per account manager (with
the what-if), and pinning an account's segment. Thin: one form, one service or selector each."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import account_get_for_user
from segmentation.access import require_admin, user_may_pin
from segmentation.enums import AdmissionRule
from segmentation.models import DecisionModelVersion, NightlyRun, SegmentSettings
from segmentation.segments import selectors, services
from segmentation.segments.decision import DecisionModel
from segmentation.segments.forms import (
    CapacityForm,
    DecisionModelForm,
    SegmentPinForm,
    SegmentSettingsForm,
    WhatIfForm,
)
from segmentation.segments.preview import decision_model_preview
from users.requests import AuthenticatedHttpRequest
from users.selectors import account_managers_visible_to


def decision_model(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Admin only. "Preview" shows the change without writing; "Save" adds a version."""
    require_admin(request.user)
    latest = selectors.decision_version_latest()
    current = selectors.decision_model_from(latest) if latest else DecisionModel()
    form = DecisionModelForm(request.POST or None, initial=DecisionModelForm.initial_from(current))
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "save":
            version = services.decision_version_create(model=form.model(), by=request.user)
            messages.success(
                request,
                _("Decision model version %(number)s saved. The next nightly run uses it.")
                % {"number": version.number},
            )
            return redirect("segments:decision_model")
        preview = decision_model_preview(model=form.model(), user=request.user)
    context = {
        "form": form,
        "preview": preview,
        "previewed": request.method == "POST" and form.is_valid(),
        "versions": DecisionModelVersion.objects.select_related("created_by")[:10],
    }
    return render(request, "segments/decision_model.html", context)


def segment_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Admin only: precedence, default capacity and the defend / grow thresholds."""
    require_admin(request.user)
    form = SegmentSettingsForm(request.POST or None, instance=SegmentSettings.load())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Segment settings saved. The next nightly run uses them."))
        return redirect("segments:settings")
    return render(request, "segments/settings.html", {"form": form})


def capacity(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Capacity, load and waitlist per account manager the user may see, and the what-if."""
    user = request.user
    settings = SegmentSettings.load()
    default = settings.default_capacity
    loads = selectors.manager_loads(user=user, default_capacity=default)
    what_if = None
    # Only a what-if binds the form: "Show candidates" (?detail=1) is no what-if to refuse.
    asked = any(name in request.GET for name in WhatIfForm.base_fields)
    form = WhatIfForm(request.GET if asked else None)
    if asked and form.is_valid():
        load = next((x for x in loads if x.manager.pk == form.cleaned_data["manager"]), None)
        if load is None:
            raise PermissionDenied
        what_if = selectors.capacity_what_if_for(
            manager=load.manager,
            current=load.capacity,
            proposed=form.cleaned_data["capacity"],
            rule=form.cleaned_data["rule"] or None,
        )
    context = {
        "loads": loads,
        "admission_rule": settings.admission_rule,
        "rules": AdmissionRule.choices,
        "run": NightlyRun.objects.latest_complete(),  # where the loads come from
        "default_capacity": default,
        "what_if": what_if,
        "what_if_form": form,
        "may_edit": user.is_admin_role,
        "candidates": selectors.candidates_by_manager(managers=[x.manager for x in loads])
        if request.GET.get("detail")
        else {},
    }
    return render(request, "segments/capacity.html", context)


@require_POST
def capacity_set(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Admin only: a per-person capacity, or back to the default."""
    require_admin(request.user)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {errors[0]}")
        return redirect("segments:capacity")
    manager = get_object_or_404(
        account_managers_visible_to(user=request.user),
        pk=form.cleaned_data["manager"],
    )
    services.capacity_set(user=manager, capacity=form.cleaned_data["capacity"], by=request.user)
    messages.success(
        request,
        _("Capacity of %(name)s saved. The next nightly run admits accounts by it.")
        % {"name": manager},
    )
    return redirect("segments:capacity")


@require_POST
def pin(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Sales managers (their teams' accounts) and admins pin a segment until a date."""
    account = account_get_for_user(user=request.user, pk=pk)
    if not user_may_pin(request.user):
        raise PermissionDenied
    form = SegmentPinForm(request.POST)
    if form.is_valid():
        services.segment_pin_create(account=account, by=request.user, **form.cleaned_data)
        messages.success(request, _("Segment pinned. It applies from the next nightly run."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {errors[0]}")
    return redirect("accounts:detail", pk=account.pk)


@require_POST
def unpin(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = account_get_for_user(user=request.user, pk=pk)
    if not user_may_pin(request.user):
        raise PermissionDenied
    services.segment_pin_end(account=account, by=request.user)
    messages.success(request, _("Pin removed. The rules decide from the next nightly run."))
    return redirect("accounts:detail", pk=account.pk)
