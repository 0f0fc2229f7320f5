from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from users.models import Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "team", "language", "is_active")
    list_filter = ("role", "team", "language", "is_active")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("KAM", {"fields": ("role", "team", "language")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("KAM", {"fields": ("role", "team", "language")}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "manager")
    list_select_related = ("manager",)
