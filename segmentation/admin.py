from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from segmentation.models import NightlyRun, RiskSettings, RiskSnapshot


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

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(RiskSnapshot)
class RiskSnapshotAdmin(admin.ModelAdmin):
    list_display = ("account", "run", "score", "level", "revenue_12m", "gross_profit_12m")
    list_filter = ("level", "run__as_of")
    search_fields = ("account__external_id", "account__name")
    list_select_related = ("account", "run")
    raw_id_fields = ("account", "run")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(RiskSettings)
class RiskSettingsAdmin(SimpleHistoryAdmin):
    """One row of thresholds and weights; every change is kept in its history."""

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return not RiskSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
