"""Orders: an account's orders (cursor pages, newest first), and the bulk upsert that an ERP
sends every night: up to 10,000 orders a request, checked exactly as the orders CSV import
checks them, all or nothing, idempotent on `external_ref`."""

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.importers.orders import ORDERS
from accounts.importers.records import RecordsReport, import_records
from accounts.models import Account, Channel, Order
from api.models import TokenScope
from api.v1 import access
from api.v1.base import OrderCursorPagination, V1ViewSet
from api.v1.errors import ApiError


class OrderSerializer(serializers.ModelSerializer):
    customer_external_id = serializers.CharField(source="account.external_id", read_only=True)

    class Meta:
        model = Order
        fields = [
            "id", "external_ref", "account", "customer_external_id", "ordered_on", "channel",
            "revenue", "gross_profit", "price_compared", "product_category",
        ]  # fmt: skip
        read_only_fields = fields


class OrderFilter(django_filters.FilterSet):
    ordered_on = django_filters.DateFromToRangeFilter()
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    product_category = django_filters.CharFilter()
    price_compared = django_filters.BooleanFilter()

    class Meta:
        model = Order
        fields = ["ordered_on", "channel", "product_category", "price_compared"]


@extend_schema(tags=["orders"])
class AccountOrderViewSet(mixins.ListModelMixin, V1ViewSet):
    """/api/v1/accounts/{account_pk}/orders/: one account's orders."""

    queryset = Order.objects.none()  # for the schema; get_queryset is the rule

    serializer_class = OrderSerializer
    pagination_class = OrderCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrderFilter

    def get_queryset(self) -> QuerySet[Order]:
        account = access.account_for(self.request, self.kwargs["account_pk"])
        return Order.objects.filter(account=account).select_related("account")


MAX_ORDERS = 10_000


class OrderRecordSerializer(serializers.Serializer):
    """One order as the orders CSV has it (docs/import-formats.md); the importer's parsers
    judge each value, so the schema is a description, not the check."""

    external_ref = serializers.CharField(max_length=64)
    customer_external_id = serializers.CharField(max_length=64)
    ordered_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)
    gross_profit = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    price_compared = serializers.BooleanField(required=False)
    product_category = serializers.CharField(max_length=100, required=False, allow_blank=True)


BulkRequest = inline_serializer(
    "OrderBulkUpsertRequest",
    {"orders": OrderRecordSerializer(many=True, max_length=MAX_ORDERS)},  # type: ignore[call-arg]
)
BulkResult = inline_serializer(
    "OrderBulkUpsertResult",
    {
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "written": serializers.BooleanField(),
    },
)


def orders_within(request: Request) -> QuerySet[Account] | None:
    """Which customers the user may send orders for: any (admins, service accounts), those
    they see (sales managers: their teams'); account managers do not import (403)."""
    user = access.user_of(request)
    if user.is_admin_role or user.is_service_account:
        return None
    if user.is_sales_manager:
        return access.visible_accounts(request)
    raise PermissionDenied


def _records(request: Request) -> list[Any]:
    orders = request.data.get("orders") if isinstance(request.data, dict) else None
    if not isinstance(orders, list):
        raise serializers.ValidationError({"orders": [_("Send a list of orders.")]})
    if len(orders) > MAX_ORDERS:
        raise serializers.ValidationError(
            {"orders": [_("At most %(max)d orders per request.") % {"max": MAX_ORDERS}]}
        )
    return orders


def _refused(report: RecordsReport) -> ApiError:
    errors = [
        {"row": e.row, "field": e.field, "message": e.message, "code": e.code}
        for e in report.errors
    ]
    count = len({e.row for e in report.errors})
    detail = _("%(count)d of the orders were refused; nothing was written.") % {"count": count}
    return ApiError(status_code=400, detail=detail, code="invalid", errors=errors)


@extend_schema(tags=["orders"])
class OrderBulkViewSet(V1ViewSet):
    """/api/v1/orders/bulk/: the one endpoint an import-only token reaches."""

    token_scopes = (TokenScope.FULL, TokenScope.IMPORT_ONLY)

    @extend_schema(
        request=BulkRequest,
        responses={200: BulkResult},
        parameters=[OpenApiParameter("dry_run", bool, description="Check and count only.")],
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        """Create or update up to 10,000 orders by `external_ref`, all or nothing."""
        within = orders_within(request)
        dry_run = request.query_params.get("dry_run", "").lower() in ("1", "true", "yes")
        report = import_records(
            spec=ORDERS, records=_records(request), within=within, dry_run=dry_run
        )
        if report.errors:
            raise _refused(report)
        body = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "written": report.written,
        }
        return Response(body, status=status.HTTP_200_OK)
