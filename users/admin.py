from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from users.forms import AdminLoginForm
from users.models import Team, User
from users.requests import signed_in_user
from users.services import user_deactivate

# The admin's own login page counts failures one attempt at a time, like the portal's.
admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "team", "language", "is_active")
    list_filter = ("role", "team", "language", "is_active", "is_service_account")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("KAM", {"fields": ("role", "team", "language", "is_service_account")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("KAM", {"fields": ("role", "team", "language")}),
    )
    actions = ["deactivate"]

    @admin.action(description=_("Deactivate selected users and end their sessions"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset.filter(is_active=True))
        for user in users:  # a handful of logins; each one's sessions end in one UPDATE
            user_deactivate(user=user, by=signed_in_user(request))
        message = ngettext(
            "%(count)d user deactivated; their sessions have ended.",
            "%(count)d users deactivated; their sessions have ended.",
            len(users),
        )
        self.message_user(request, message % {"count": len(users)}, messages.SUCCESS)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "manager")
    list_select_related = ("manager",)
