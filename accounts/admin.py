from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import Account, AccountChange, AccountEvent, Contact, Order


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("external_id", "name", "industry", "owner", "status")
    list_filter = ("status", "industry")
    search_fields = ("external_id", "name")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    filter_horizontal = ("team_members",)
    inlines = [ContactInline]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("external_ref", "account", "ordered_on", "channel", "revenue", "gross_profit")
    list_filter = ("channel", "price_compared")
    search_fields = ("external_ref", "account__external_id", "account__name")
    raw_id_fields = ("account",)
    date_hierarchy = "ordered_on"
    list_select_related = ("account",)


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    list_display = ("account", "kind", "occurred_on", "score", "author")
    list_filter = ("kind",)
    raw_id_fields = ("account", "author")
    list_select_related = ("account", "author")


@admin.register(AccountChange)
class AccountChangeAdmin(admin.ModelAdmin):
    """The audit of reassignments and account-team changes: read only, written by the services."""

    list_display = ("account", "kind", "at", "by", "from_user", "to_user", "reason")
    list_filter = ("kind",)
    list_select_related = ("account", "by", "from_user", "to_user")
    search_fields = ("account__external_id", "account__name", "reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
