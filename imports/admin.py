from django.contrib import admin
from django.http import HttpRequest

from imports.models import ImportProfile, ImportRun


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "date_format", "number_format", "created_by", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name",)
    readonly_fields = ("created_by", "created_at", "updated_at")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """The record of what happened: read-only."""

    list_display = ("created_at", "kind", "file_name", "source", "created_by", "status")
    list_filter = ("kind", "source", "status")
    search_fields = ("file_name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return False
