"""Capacity per account manager: read by everyone for the managers they may see (as the
capacity page), set by admins (PUT, with If-Match) through segmentation's service."""

from typing import Any

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1 import access
from api.v1.accounts import PersonSerializer
from api.v1.base import V1ViewSet
from api.v1.concurrency import etag_of, require_if_match, with_etag
from api.v1.errors import form_errors
from segmentation.models import ManagerCapacity, SegmentSettings
from segmentation.segments.forms import CapacityForm
from segmentation.segments.selectors import ManagerLoad, manager_loads
from segmentation.segments.services import capacity_set
from users.models import User
from users.selectors import account_managers_visible_to


class LoadSerializer(serializers.Serializer):
    manager = PersonSerializer()
    capacity = serializers.IntegerField(help_text="Today's capacity: the next run admits by it.")
    own_capacity = serializers.IntegerField(
        allow_null=True, help_text="The manager's own setting; null: the default applies."
    )
    admitted = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    overloaded = serializers.BooleanField()
    run_capacity = serializers.IntegerField(allow_null=True)
    run_as_of = serializers.DateField(allow_null=True)


class CapacityRequestSerializer(serializers.Serializer):
    capacity = serializers.IntegerField(
        min_value=0, max_value=10_000, allow_null=True, help_text="null: back to the default."
    )


def _row(load: ManagerLoad, own: int | None) -> dict[str, Any]:
    return {
        "manager": load.manager, "capacity": load.capacity, "own_capacity": own,
        "admitted": load.admitted, "waitlisted": load.waitlisted, "overloaded": load.overloaded,
        "run_capacity": load.run_capacity, "run_as_of": load.run_as_of,
    }  # fmt: skip


def capacity_etag(manager: User) -> str:
    own = ManagerCapacity.objects.filter(user=manager).values_list("capacity", flat=True).first()
    return etag_of("capacity", manager.pk, own)


@extend_schema(tags=["segments"])
class CapacityViewSet(V1ViewSet):
    """/api/v1/capacities/ and /api/v1/capacities/{manager id}/"""

    serializer_class = LoadSerializer
    pagination_class = None  # one row per account manager the user may see

    def _loads(self, request: Request) -> list[dict[str, Any]]:
        user = access.user_of(request)
        loads = manager_loads(user=user, default_capacity=SegmentSettings.load().default_capacity)
        own = dict(ManagerCapacity.objects.values_list("user_id", "capacity"))
        return [_row(load, own.get(load.manager.pk)) for load in loads]

    @extend_schema(responses=LoadSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response(LoadSerializer(self._loads(request), many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        row = next((r for r in self._loads(request) if r["manager"].pk == pk), None)
        if row is None:
            raise Http404("Not found.")
        return with_etag(Response(LoadSerializer(row).data), capacity_etag(row["manager"]))

    @extend_schema(request=CapacityRequestSerializer, responses=LoadSerializer)
    def update(self, request: Request, pk: int) -> Response:
        """Set a manager's capacity, or null for the default (admins). If-Match required."""
        admin = access.admin_of(request)
        manager = get_object_or_404(account_managers_visible_to(user=admin), pk=pk)
        body = request.data if isinstance(request.data, dict) else {}
        form = CapacityForm({"manager": pk, "capacity": _text(body.get("capacity"))})
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=manager.pk).get()
            require_if_match(request, capacity_etag(manager))
            if not form.is_valid():
                raise serializers.ValidationError(form_errors(form))
            capacity_set(user=manager, capacity=form.cleaned_data["capacity"], by=admin)
        return self.retrieve(request, pk)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
