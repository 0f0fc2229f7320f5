from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from segmentation.churn.forms import RiskSettingsForm
from segmentation.models import (
    DecisionModelVersion,
    ManagerCapacity,
    NightlyRun,
    RiskModelVersion,
    RiskSettings,
    RiskSnapshot,
    SegmentPin,
    SegmentSettings,
)
from segmentation.segments.forms import SegmentPinForm
from segmentation.segments.services import capacity_set, segment_pin_create
from users.requests import signed_in_user


@admin.register(NightlyRun)
class NightlyRunAdmin(admin.ModelAdmin):
    """The run record: read-only, because runs are written by the job alone."""

    list_display = (
        "as_of",
        "status",
        "started_at",
        "finished_at",
        "customers",
        "flagged",
        "high_risk",
    )
    list_filter = ("status",)
    date_hierarchy = "as_of"
    readonly_fields = [f.name for f in NightlyRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: NightlyRun | None = None) -> bool:
        return False


@admin.register(RiskSnapshot)
class RiskSnapshotAdmin(admin.ModelAdmin):
    list_display = ("account", "run", "score", "level", "revenue_12m", "gross_profit_12m")
    list_filter = ("level", "run__as_of")
    search_fields = ("account__external_id", "account__name")
    list_select_related = ("account", "run")
    raw_id_fields = ("account", "run")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RiskSnapshot | None = None) -> bool:
        return False


@admin.register(RiskModelVersion)
class RiskModelVersionAdmin(admin.ModelAdmin):
    """What each run learned and which scorer scored it: read-only, written by the run."""

    list_display = (
        "pk", "as_of", "customers", "lost", "learned_auc", "learned_brier", "hand_auc",
        "hand_brier", "scorer", "reason",
    )  # fmt: skip
    list_filter = ("scorer", "reason")
    date_hierarchy = "as_of"
    readonly_fields = [f.name for f in RiskModelVersion._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: RiskModelVersion | None = None
    ) -> bool:
        return False


@admin.register(RiskSettings)
class RiskSettingsAdmin(SimpleHistoryAdmin):
    """One row of thresholds and weights; every change is kept in its history. The settings
    page's form, so both refuse levels out of order and all-zero weights."""

    form = RiskSettingsForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not RiskSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: RiskSettings | None = None) -> bool:
        return False


@admin.register(SegmentSettings)
class SegmentSettingsAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one row, created on first use; edited at /segments/settings/ too


@admin.register(DecisionModelVersion)
class DecisionModelVersionAdmin(admin.ModelAdmin):
    """Versions are kept as saved: new ones come from /segments/decision-model/."""

    list_display = ("number", "mode", "percentile", "created_at", "created_by")
    readonly_fields = [f.name for f in DecisionModelVersion._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: DecisionModelVersion | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: DecisionModelVersion | None = None
    ) -> bool:
        return False


@admin.register(ManagerCapacity)
class ManagerCapacityAdmin(SimpleHistoryAdmin):
    """Writes through the capacity page's service, so history records who changed what."""

    list_display = ("user", "capacity")

    def save_model(
        self, request: HttpRequest, obj: ManagerCapacity, form: ModelForm, change: bool
    ) -> None:
        capacity_set(user=obj.user, capacity=obj.capacity, by=signed_in_user(request))

    def delete_model(self, request: HttpRequest, obj: ManagerCapacity) -> None:
        capacity_set(user=obj.user, capacity=None, by=signed_in_user(request))


@admin.register(SegmentPin)
class SegmentPinAdmin(SimpleHistoryAdmin):
    """The page's form (a reason, an expiry not in the past), plus the account and the end; a
    new pin ends the one in force, as on the page (`segment_pin_create`)."""

    form = SegmentPinForm
    fields = ("account", "segment", "reason", "expires_on", "ended_at")
    list_display = ("account", "segment", "expires_on", "created_by", "created_at", "ended_at")
    list_filter = ("segment",)
    raw_id_fields = ("account",)

    def save_model(
        self, request: HttpRequest, obj: SegmentPin, form: ModelForm, change: bool
    ) -> None:
        if change:  # only the end date changes an existing pin: history records it
            super().save_model(request, obj, form, change)
            return
        pin = segment_pin_create(
            account=obj.account,
            segment=obj.segment,
            reason=obj.reason,
            expires_on=obj.expires_on,
            by=signed_in_user(request),
        )
        # The admin logs and redirects to `obj`: make it the pin the service saved.
        obj.pk, obj.created_by, obj.created_at = pin.pk, pin.created_by, pin.created_at
        obj._state.adding = False
