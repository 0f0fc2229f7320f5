from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from accounts.models import Account, AccountChange, AccountEvent, Contact, Order
from accounts.rollup import account_months_refresh
from kam_portal.limits import validate_date_in_range

# Dates typed in the admin are held to the range the imports accept (kam_portal/limits.py).
ACCEPTED_DATES: dict[type[models.Field], dict[str, Any]] = {
    models.DateField: {"validators": [validate_date_in_range]}
}


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    formfield_overrides = ACCEPTED_DATES


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
    formfield_overrides = ACCEPTED_DATES

    def save_model(self, request, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        """An order edited here keeps its customers' monthly rollup current, as imports do."""
        before = Order.objects.filter(pk=obj.pk).values_list("account_id", flat=True).first()
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            account_months_refresh(account_ids={obj.account_id, before} - {None})

    def delete_model(self, request, obj) -> None:  # type: ignore[no-untyped-def]
        with transaction.atomic():
            super().delete_model(request, obj)
            account_months_refresh(account_ids=[obj.account_id])

    def delete_queryset(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        accounts = set(queryset.values_list("account_id", flat=True))
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            account_months_refresh(account_ids=accounts)


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    list_display = ("account", "kind", "occurred_on", "score", "author")
    list_filter = ("kind",)
    raw_id_fields = ("account", "author")
    list_select_related = ("account", "author")
    formfield_overrides = ACCEPTED_DATES


@admin.register(AccountChange)
class AccountChangeAdmin(admin.ModelAdmin):
    """The audit of reassignments and account-team changes: read only, written by the services."""

    list_display = ("account", "kind", "at", "by", "from_user", "to_user", "reason")
    list_filter = ("kind",)
    list_select_related = ("account", "by", "from_user", "to_user")
    search_fields = ("account__external_id", "account__name", "reason")


@admin.register(AccountEvent.history.model)
class AccountEventHistoryAdmin(admin.ModelAdmin):
    """The audit trail of the log, read-only: every entry as it was logged, edited or deleted,
    by whom and when (simple-history; the author edits or deletes for 24 hours)."""

    list_display = (
        "history_date",
        "history_type",
        "history_user",
        "account",
        "kind",
        "occurred_on",
    )
    list_filter = ("history_type", "kind")
    search_fields = ("account__external_id", "account__name", "text", "competitor")
    list_select_related = ("account", "history_user")
    date_hierarchy = "history_date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
