from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import PROGRESS_FIELDS, Action, Goal, GrowthPlan


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["kind", "target", "starts_on", "ends_on", "category", "text", "state"]
    readonly_fields = ["state"]


@admin.register(GrowthPlan)
class GrowthPlanAdmin(SimpleHistoryAdmin):
    list_display = ("account", "review_on", "updated_at")
    search_fields = ("account__name", "account__external_id")
    raw_id_fields = ("account", "created_by")
    list_select_related = ("account",)
    date_hierarchy = "review_on"
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "kind", "target", "ends_on", "state", "share_pct", "progress_as_of")
    list_filter = ("kind", "state")
    raw_id_fields = ("plan", "created_by")
    list_select_related = ("plan__account",)
    readonly_fields = PROGRESS_FIELDS  # written by the nightly run


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "plan", "owner", "due_on", "status")
    list_filter = ("status",)
    search_fields = ("title", "plan__account__name")
    raw_id_fields = ("plan", "owner", "created_by")
    list_select_related = ("plan__account", "owner")
