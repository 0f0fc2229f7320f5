"""Growth plans: an account's plan (its review date and summary) and its goals, kept by the
account's writers (the owner, the account team, the owner's sales manager and admins: the plan
page's rule, accounts.access) through plans.services; and the plans and goals on every account a
user may see. Bodies are checked by the plan page's own forms, so the API accepts exactly what
the page accepts. A goal's progress is the nightly run's: read-only. Actions: api/v1/actions.py."""

import datetime as dt
from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Account
from api.v1 import access
from api.v1.base import CodeOrNull, V1ViewSet, ordering_parameter
from api.v1.concurrency import etag_of, require_if_match, with_etag
from api.v1.forms import as_text, body_of, checked, form_data
from plans import services
from plans.enums import GoalKind, GoalState
from plans.forms import GoalForm, PlanForm
from plans.models import PROGRESS_FIELDS, Goal, GrowthPlan
from plans.selectors import progress_as_of
from users.models import User

GOAL = "plan__account"  # the path from a goal (or an action) to its account
GOAL_FIELDS = ["kind", "target", "starts_on", "ends_on", "category", "text"]


class PlanSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True)
    review_overdue = serializers.SerializerMethodField(help_text="The review date has passed.")

    class Meta:
        model = GrowthPlan
        fields = [
            "id", "account", "review_on", "summary", "review_overdue", "created_by",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_review_overdue(self, plan: GrowthPlan) -> bool:
        return plan.review_on < timezone.localdate()


class PlanStateSerializer(serializers.Serializer):
    plan = PlanSerializer(allow_null=True, help_text="The account's plan, or null: none yet.")


class PlanRequestSerializer(serializers.Serializer):
    review_on = serializers.DateField(help_text="When the plan is next reviewed.")
    summary = serializers.CharField(required=False, allow_blank=True)


def plan_etag(account: Account, plan: GrowthPlan | None) -> str:
    if plan is None:
        return etag_of("plan", account.pk, "none")
    return etag_of("plan", account.pk, plan.pk, plan.review_on, plan.summary)


def _plan_of(account: Account) -> GrowthPlan | None:
    return GrowthPlan.objects.filter(account=account).select_related("created_by").first()


def _plan_state(account: Account) -> Response:
    plan = _plan_of(account)
    body = {"plan": PlanSerializer(plan).data if plan else None}
    return with_etag(Response(body), plan_etag(account, plan))


def lock(account: Account) -> None:
    """One writer of an account's plan at a time: a plan is made once, ETags checked in turn."""
    Account.objects.select_for_update().filter(pk=account.pk).get()


def plan_for_writing(account: Account, by: User, today: dt.date) -> GrowthPlan:
    """The account's plan, started now if it has none (as the page does); in a transaction."""
    lock(account)
    return services.plan_get_or_create(account=account, by=by, today=today)


@extend_schema(tags=["growth plans"])
class AccountPlanViewSet(V1ViewSet):
    """/api/v1/accounts/{account_pk}/plan/"""

    serializer_class = PlanStateSerializer

    @extend_schema(responses=PlanStateSerializer)
    def retrieve(self, request: Request, account_pk: int) -> Response:
        return _plan_state(access.account_for(request, account_pk))

    @extend_schema(request=PlanRequestSerializer, responses=PlanStateSerializer)
    def update(self, request: Request, account_pk: int) -> Response:
        """Start the plan, or change its review date and summary (a summary left out is
        cleared). Send the plan's ETag (that of "no plan yet" to start one) in If-Match."""
        account = access.account_for(request, account_pk, write=access.writes)
        with transaction.atomic():
            lock(account)
            require_if_match(request, plan_etag(account, _plan_of(account)))
            data = checked(PlanForm(form_data(body_of(request), ["review_on", "summary"])))
            services.plan_save(
                account=account,
                review_on=data["review_on"],
                summary=data["summary"],
                by=access.user_of(request),
            )
        return _plan_state(account)


class GrowthPlanFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id")
    review_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = GrowthPlan
        fields = ["account", "review_on"]


PLAN_ORDERINGS = {"review_on": "review_on", "updated_at": "updated_at"}


@extend_schema(tags=["growth plans"])
class PlanViewSet(mixins.ListModelMixin, V1ViewSet):
    """/api/v1/plans/: the plans of every account the user may see."""

    serializer_class = PlanSerializer
    queryset = GrowthPlan.objects.none()  # for the schema; get_queryset is the rule
    filter_backends = [DjangoFilterBackend]
    filterset_class = GrowthPlanFilter
    orderings = PLAN_ORDERINGS
    default_ordering = ("review_on",)

    def get_queryset(self) -> QuerySet[GrowthPlan]:
        plans = GrowthPlan.objects.select_related("created_by")
        return self.ordered(access.of_visible_accounts(self.request, plans))

    @extend_schema(parameters=[ordering_parameter(PLAN_ORDERINGS)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class GoalSerializer(serializers.ModelSerializer):
    """A goal as a person states it, and its progress as the nightly run measured it."""

    account = serializers.IntegerField(source="plan.account_id", read_only=True)
    state = CodeOrNull(GoalState.choices, help_text="Null until the goal is first measured.")
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = Goal
        fields = [
            "id", "account", *GOAL_FIELDS, *PROGRESS_FIELDS, "created_by", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "account", *PROGRESS_FIELDS, "created_by", "created_at", "updated_at",
        ]  # fmt: skip


def goal_etag(goal: Goal) -> str:
    """What a person changes (not the progress, which the nightly run writes)."""
    return etag_of("goal", goal.pk, *(getattr(goal, name) for name in GOAL_FIELDS))


def _goals() -> QuerySet[Goal]:
    return Goal.objects.select_related("plan", "created_by")


def _goal_response(goal: Goal, code: int = status.HTTP_200_OK) -> Response:
    fresh = _goals().get(pk=goal.pk)
    return with_etag(Response(GoalSerializer(fresh).data, status=code), goal_etag(fresh))


@extend_schema(tags=["growth plans"])
class AccountGoalViewSet(mixins.ListModelMixin, V1ViewSet):
    """/api/v1/accounts/{account_pk}/plan/goals/: the plan's goals, as the plan page orders
    them; POST adds one (and starts the plan if the account has none)."""

    queryset = Goal.objects.none()  # for the schema; get_queryset is the rule
    serializer_class = GoalSerializer

    def get_queryset(self) -> QuerySet[Goal]:
        account = access.account_for(self.request, self.kwargs["account_pk"])
        return _goals().filter(plan__account=account)

    @extend_schema(request=GoalSerializer, responses={201: GoalSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = access.account_for(request, kwargs["account_pk"], write=access.writes)
        user, today = access.user_of(request), timezone.localdate()
        form = GoalForm(form_data(body_of(request), GOAL_FIELDS), today=today)
        checked(form)
        with transaction.atomic():
            plan = plan_for_writing(account, user, today)
            goal = services.goal_add(
                plan=plan, data=form.goal_data(), by=user, as_of=progress_as_of(today=today)
            )
        return _goal_response(goal, status.HTTP_201_CREATED)


class GoalFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="plan__account_id")
    kind = django_filters.ChoiceFilter(choices=GoalKind.choices)
    state = django_filters.ChoiceFilter(choices=GoalState.choices)

    class Meta:
        model = Goal
        fields = ["account", "kind", "state"]


GOAL_ORDERINGS = {"ends_on": "ends_on", "share_pct": "share_pct", "created_at": "created_at"}


@extend_schema(tags=["growth plans"])
class GoalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, V1ViewSet):
    """/api/v1/goals/: the goals on every account the user may see; one goal, changed (PATCH)
    or removed (DELETE) with If-Match by the account's writers."""

    serializer_class = GoalSerializer
    queryset = Goal.objects.none()  # for the schema; get_queryset is the rule
    filter_backends = [DjangoFilterBackend]
    filterset_class = GoalFilter
    orderings = GOAL_ORDERINGS
    default_ordering = ("ends_on",)
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Goal]:
        return self.ordered(access.of_visible_accounts(self.request, _goals(), via=GOAL))

    def get_object(self) -> Goal:
        return access.child_for(self.request, _goals(), self.kwargs["pk"], via=GOAL)

    @extend_schema(parameters=[ordering_parameter(GOAL_ORDERINGS)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _goal_response(self.get_object())

    @extend_schema(request=GoalSerializer, responses=GoalSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change some of the goal's fields; the others keep their values. If-Match required."""
        today = timezone.localdate()
        with transaction.atomic():
            goal = self._locked(request, kwargs["pk"])
            stored = {name: as_text(getattr(goal, name)) for name in GOAL_FIELDS}
            form = GoalForm(stored | form_data(body_of(request), GOAL_FIELDS), today=today)
            checked(form)
            services.goal_edit(
                goal=goal,
                data=form.goal_data(),
                by=access.user_of(request),
                as_of=progress_as_of(today=today),
            )
        return _goal_response(goal)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Remove the goal (its history keeps it). If-Match required."""
        with transaction.atomic():
            goal = self._locked(request, kwargs["pk"])
            services.goal_remove(goal=goal, by=access.user_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _locked(self, request: Request, pk: int) -> Goal:
        """The goal locked (in the caller's transaction) for the write, if the user may write
        and If-Match names its current state."""
        found = access.child_for(request, _goals(), pk, write=access.writes, via=GOAL)
        goal = Goal.objects.select_for_update().get(pk=found.pk)
        require_if_match(request, goal_etag(goal))
        return goal
