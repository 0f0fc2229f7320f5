"""Contacts and account events: their writers keep them (the owner, the account-team members,
the owner's sales manager and admins: accounts.access, the pages' rule), through the same
services as the account page's cards (accounts.contacts, accounts.events); everyone who may see
the account reads them."""

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.contacts import ContactDetails, contact_add, contact_edit, contact_end
from accounts.events import account_event_log
from accounts.models import AccountEvent, Contact, EventKind
from api.v1 import access
from api.v1.base import V1ViewSet
from api.v1.concurrency import etag_of, require_if_match, with_etag
from kam_portal.limits import validate_date_in_range

CONTACT_FIELDS = ["name", "title", "email", "phone", "is_primary", "started_on", "ended_on"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "account", *CONTACT_FIELDS]
        read_only_fields = ["id", "account"]
        extra_kwargs = {
            "started_on": {"validators": [validate_date_in_range]},
            "ended_on": {"validators": [validate_date_in_range]},
        }
        validators: list[Any] = []  # the model's constraints are checked by the service


def _details(data: dict[str, Any]) -> ContactDetails:
    return ContactDetails(
        name=data["name"],
        title=data.get("title") or "",
        email=data.get("email") or "",
        phone=data.get("phone") or "",
        started_on=data.get("started_on"),
    )


def contact_etag(contact: Contact) -> str:
    return etag_of("contact", contact.pk, *(getattr(contact, f) for f in CONTACT_FIELDS))


class ContactFilter(django_filters.FilterSet):
    current = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull")

    class Meta:
        model = Contact
        fields = ["is_primary", "current"]


@extend_schema(tags=["contacts"])
class AccountContactViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, V1ViewSet):
    """/api/v1/accounts/{account_pk}/contacts/"""

    queryset = Contact.objects.none()  # for the schema; get_queryset is the rule

    serializer_class = ContactSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ContactFilter

    def get_queryset(self) -> QuerySet[Contact]:
        account = access.account_for(self.request, self.kwargs["account_pk"])
        return Contact.objects.filter(account=account).order_by("-is_primary", "name", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = access.account_for(request, kwargs["account_pk"], write=access.writes)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = access.user_of(request)
        with transaction.atomic():
            contact = contact_add(
                account=account,
                by=user,
                details=_details(data),
                is_primary=bool(data.get("is_primary")),
            )
            if data.get("ended_on"):
                contact_end(contact=contact, by=user, ended_on=data["ended_on"])
        response = Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)
        return with_etag(response, contact_etag(contact))


@extend_schema(tags=["contacts"])
class ContactViewSet(mixins.RetrieveModelMixin, V1ViewSet):
    """/api/v1/contacts/{id}/: read, and change with If-Match (the account team)."""

    serializer_class = ContactSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> Contact:
        return access.child_for(self.request, Contact.objects.all(), self.kwargs["pk"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contact = self.get_object()
        return with_etag(Response(self.get_serializer(contact).data), contact_etag(contact))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        found = access.child_for(request, Contact.objects.all(), kwargs["pk"], write=access.writes)
        user = access.user_of(request)
        with transaction.atomic():
            contact = Contact.objects.select_for_update().get(pk=found.pk)
            require_if_match(request, contact_etag(contact))
            body = self.get_serializer(contact, data=request.data, partial=True)
            body.is_valid(raise_exception=True)
            data = {f: getattr(contact, f) for f in CONTACT_FIELDS} | body.validated_data
            contact_edit(
                contact=contact, by=user, details=_details(data), is_primary=data["is_primary"]
            )
            if data["ended_on"] and contact.ended_on is None:
                contact_end(contact=contact, by=user, ended_on=data["ended_on"])
            contact.refresh_from_db()
        return with_etag(Response(self.get_serializer(contact).data), contact_etag(contact))


class EventSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True)

    class Meta:
        model = AccountEvent
        fields = [
            "id", "account", "kind", "occurred_on", "author", "score", "competitor", "offer",
            "text", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "account", "author", "created_at"]
        extra_kwargs = {
            "occurred_on": {"validators": [validate_date_in_range]},
            "score": {"min_value": 0, "max_value": 10},
            "text": {"max_length": 10_000},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        satisfaction = attrs.get("kind") == EventKind.SATISFACTION
        if satisfaction != (attrs.get("score") is not None):
            raise serializers.ValidationError(
                {"score": _("A satisfaction score (0-10) goes with satisfaction events only.")}
            )
        return attrs


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    occurred_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = AccountEvent
        fields = ["kind", "occurred_on"]


@extend_schema(tags=["events"])
class AccountEventViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, V1ViewSet):
    """/api/v1/accounts/{account_pk}/events/"""

    queryset = AccountEvent.objects.none()  # for the schema; get_queryset is the rule

    serializer_class = EventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilter

    def get_queryset(self) -> QuerySet[AccountEvent]:
        account = access.account_for(self.request, self.kwargs["account_pk"])
        return AccountEvent.objects.filter(account=account).select_related("author")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = access.account_for(request, kwargs["account_pk"], write=access.writes)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        event = account_event_log(
            account=account,
            by=access.user_of(request),
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            text=data.get("text", ""),
            score=data.get("score"),
            competitor=data.get("competitor", ""),
            offer=data.get("offer", ""),
        )
        return Response(self.get_serializer(event).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["events"])
class EventViewSet(mixins.RetrieveModelMixin, V1ViewSet):
    """/api/v1/events/{id}/"""

    serializer_class = EventSerializer

    def get_object(self) -> AccountEvent:
        events = AccountEvent.objects.select_related("author")
        return access.child_for(self.request, events, self.kwargs["pk"])
