"""The actions of growth plans: what someone will do for an account's plan, by a date; added,
changed and closed (done or dropped, with what came of it) by the account's writers through
plans.services, checked by the plan page's own form; and the actions on every account a user
may see. The plan and its goals: api/v1/plans.py."""

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action as detail_action
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1 import access
from api.v1.base import V1ViewSet, ordering_parameter
from api.v1.concurrency import etag_of, require_if_match, with_etag
from api.v1.errors import Conflict
from api.v1.forms import as_text, body_of, checked, form_data
from api.v1.plans import GOAL, plan_for_writing
from plans import services
from plans.enums import ActionStatus
from plans.forms import ActionForm
from plans.models import Action

ACTION_FIELDS = ["title", "owner", "due_on", "outcome"]
STATE_FIELDS = ["status", "closed_on"]


class ActionSerializer(serializers.ModelSerializer):
    account = serializers.IntegerField(source="plan.account_id", read_only=True)
    owner_username = serializers.CharField(source="owner.username", read_only=True)
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = Action
        fields = [
            "id", "account", *ACTION_FIELDS, "owner_username", *STATE_FIELDS, "created_by",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "account", "owner_username", *STATE_FIELDS, "created_by", "created_at",
            "updated_at",
        ]  # fmt: skip
        extra_kwargs = {
            "owner": {"help_text": "A user id: someone who may see the account. Adding: "
                                   "the caller when left out."},
        }  # fmt: skip


class ActionCloseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(ActionStatus.DONE, ActionStatus.DONE.label),
                 (ActionStatus.DROPPED, ActionStatus.DROPPED.label)],
    )  # fmt: skip
    outcome = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10_000,
        help_text="What came of it; replaces the action's outcome when given.",
    )


def action_etag(action: Action) -> str:
    return etag_of(
        "action", action.pk, action.title, action.owner_id, action.due_on, action.outcome,
        action.status, action.closed_on,
    )  # fmt: skip


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related("plan", "owner", "created_by")


def _action_response(action: Action, code: int = status.HTTP_200_OK) -> Response:
    fresh = _actions().get(pk=action.pk)
    return with_etag(Response(ActionSerializer(fresh).data, status=code), action_etag(fresh))


@extend_schema(tags=["growth plans"])
class AccountActionViewSet(mixins.ListModelMixin, V1ViewSet):
    """/api/v1/accounts/{account_pk}/plan/actions/: the plan's actions, soonest due first; POST
    adds one (and starts the plan if the account has none)."""

    queryset = Action.objects.none()  # for the schema; get_queryset is the rule
    serializer_class = ActionSerializer

    def get_queryset(self) -> QuerySet[Action]:
        account = access.account_for(self.request, self.kwargs["account_pk"])
        return _actions().filter(plan__account=account)

    @extend_schema(request=ActionSerializer, responses={201: ActionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = access.account_for(request, kwargs["account_pk"], write=access.writes)
        user = access.user_of(request)
        data = {"owner": str(user.pk)} | form_data(body_of(request), ACTION_FIELDS)
        fields = checked(ActionForm(data, account=account))
        with transaction.atomic():
            plan = plan_for_writing(account, user, timezone.localdate())
            made = services.action_add(plan=plan, by=user, **fields)
        return _action_response(made, status.HTTP_201_CREATED)


class ActionFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="plan__account_id")
    owner = django_filters.NumberFilter(field_name="owner_id")
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    due_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Action
        fields = ["account", "owner", "status", "due_on"]


ACTION_ORDERINGS = {"due_on": "due_on", "closed_on": "closed_on", "created_at": "created_at"}


@extend_schema(tags=["growth plans"])
class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, V1ViewSet):
    """/api/v1/actions/: the actions on every account the user may see; one action, changed
    (PATCH) or closed (POST …/close/) with If-Match by the account's writers."""

    serializer_class = ActionSerializer
    queryset = Action.objects.none()  # for the schema; get_queryset is the rule
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActionFilter
    orderings = ACTION_ORDERINGS
    default_ordering = ("due_on",)
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Action]:
        return self.ordered(access.of_visible_accounts(self.request, _actions(), via=GOAL))

    def get_object(self) -> Action:
        return access.child_for(self.request, _actions(), self.kwargs["pk"], via=GOAL)

    @extend_schema(parameters=[ordering_parameter(ACTION_ORDERINGS)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _action_response(self.get_object())

    @extend_schema(request=ActionSerializer, responses=ActionSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change its title, owner, due date or outcome; the others keep their values."""
        with transaction.atomic():
            action = self._locked(request, kwargs["pk"])
            stored = {name: as_text(getattr(action, name)) for name in ACTION_FIELDS}
            stored["owner"] = str(action.owner_id)
            data = stored | form_data(body_of(request), ACTION_FIELDS)
            fields = checked(ActionForm(data, account=action.plan.account, instance=action))
            services.action_edit(action=action, by=access.user_of(request), **fields)
        return _action_response(action)

    @extend_schema(request=ActionCloseSerializer, responses=ActionSerializer)
    @detail_action(detail=True, methods=["post"])
    def close(self, request: Request, pk: int) -> Response:
        """Close the action as done or dropped, today. A closed action is a 409."""
        with transaction.atomic():
            action = self._locked(request, pk)
            if not action.is_open:
                raise Conflict(_("The action is closed already."), code="already_closed")
            body = ActionCloseSerializer(data=body_of(request))
            body.is_valid(raise_exception=True)
            services.action_set_status(
                action=action,
                status=body.validated_data["status"],
                outcome=body.validated_data.get("outcome"),
                by=access.user_of(request),
                today=timezone.localdate(),
            )
        return _action_response(action)

    def _locked(self, request: Request, pk: int) -> Action:
        """The action locked (in the caller's transaction) for the write, if the user may
        write and If-Match names its current state."""
        found = access.child_for(request, _actions(), pk, write=access.writes, via=GOAL)
        rows = _actions().select_related("plan__account").select_for_update(of=("self",))
        action = rows.get(pk=found.pk)
        require_if_match(request, action_etag(action))
        return action
