"""Segment pins: the pin of one account (GET; PUT to pin, DELETE to remove, with If-Match),
for sales managers (their teams' accounts) and admins; and every pin on the accounts a user
may see. Checked by the page's own form and written by segmentation's services."""

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Account
from api.v1 import access
from api.v1.base import V1ViewSet
from api.v1.concurrency import etag_of, require_if_match, with_etag
from api.v1.errors import form_errors
from segmentation.enums import Segment
from segmentation.models import SegmentPin
from segmentation.segments.forms import SegmentPinForm
from segmentation.segments.selectors import segment_pin_in_force
from segmentation.segments.services import segment_pin_create, segment_pin_end


class PinSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True)

    class Meta:
        model = SegmentPin
        fields = [
            "id", "account", "segment", "reason", "expires_on", "created_by", "created_at",
            "ended_at",
        ]  # fmt: skip
        read_only_fields = fields


class PinStateSerializer(serializers.Serializer):
    pin = PinSerializer(allow_null=True, help_text="The pin in force, or null.")


class PinRequestSerializer(serializers.Serializer):
    segment = serializers.ChoiceField(choices=Segment.choices)
    reason = serializers.CharField()
    expires_on = serializers.DateField(help_text="The last day the pin applies; not past.")


def pin_etag(account: Account, pin: SegmentPin | None) -> str:
    return etag_of("pin", account.pk, pin.pk if pin else "none")


def _state(account: Account) -> Response:
    pin = segment_pin_in_force(account=account)
    return with_etag(
        Response({"pin": PinSerializer(pin).data if pin else None}), pin_etag(account, pin)
    )


@extend_schema(tags=["segments"])
class AccountPinViewSet(V1ViewSet):
    """/api/v1/accounts/{account_pk}/pin/"""

    serializer_class = PinStateSerializer

    @extend_schema(responses=PinStateSerializer)
    def retrieve(self, request: Request, account_pk: int) -> Response:
        return _state(access.account_for(request, account_pk))

    @extend_schema(request=PinRequestSerializer, responses=PinStateSerializer)
    def update(self, request: Request, account_pk: int) -> Response:
        """Pin the account's segment until a date, replacing the pin in force."""
        account = access.account_for(request, account_pk, write=access.pins)
        form = SegmentPinForm(request.data if isinstance(request.data, dict) else {})
        with transaction.atomic():
            self._check(request, account)
            if not form.is_valid():
                raise serializers.ValidationError(form_errors(form))
            segment_pin_create(account=account, by=access.user_of(request), **form.cleaned_data)
        return _state(account)

    @extend_schema(request=None, responses={200: PinStateSerializer})
    def destroy(self, request: Request, account_pk: int) -> Response:
        """Remove the pin in force: the rules decide from the next nightly run."""
        account = access.account_for(request, account_pk, write=access.pins)
        with transaction.atomic():
            self._check(request, account)
            segment_pin_end(account=account, by=access.user_of(request))
        return _state(account)

    def _check(self, request: Request, account: Account) -> None:
        Account.objects.select_for_update().filter(pk=account.pk).get()  # one writer at a time
        require_if_match(request, pin_etag(account, segment_pin_in_force(account=account)))


class PinFilter(django_filters.FilterSet):
    # An id, not a choice among all accounts: a foreign one selects nothing, as if unknown.
    account = django_filters.NumberFilter(field_name="account_id")
    in_force = django_filters.BooleanFilter(method="filter_in_force")
    segment = django_filters.ChoiceFilter(choices=Segment.choices)

    class Meta:
        model = SegmentPin
        fields = ["account", "segment", "in_force"]

    def filter_in_force(self, pins: QuerySet[SegmentPin], name: str, value: Any) -> Any:
        in_force = SegmentPin.objects.in_force(on=timezone.localdate())
        return (
            pins.filter(pk__in=in_force.values("pk"))
            if value
            else pins.exclude(pk__in=in_force.values("pk"))
        )


@extend_schema(tags=["segments"])
class PinViewSet(mixins.ListModelMixin, V1ViewSet):
    """/api/v1/pins/: every pin, past and in force, on the accounts the user may see."""

    serializer_class = PinSerializer
    queryset = SegmentPin.objects.none()  # for the schema; get_queryset is the rule
    filter_backends = [DjangoFilterBackend]
    filterset_class = PinFilter

    def get_queryset(self) -> QuerySet[SegmentPin]:
        pins = SegmentPin.objects.select_related("created_by").order_by("-created_at", "-id")
        return access.of_visible_accounts(self.request, pins)
