"""Tasks and playbooks. The task list is the /tasks/ page's: the same selector
(playbooks.selectors.tasks_visible_to), the same filters (its form: open or closed, assigned to
me, one account manager's), the same order; one task, and closing it with an outcome and a note
(playbooks.access says who may close: the account's writers and the assignee) through
playbooks.services. Playbooks: read-only, for admins (they edit them on /playbooks/)."""

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1 import access
from api.v1.accounts import PersonSerializer
from api.v1.base import CodeOrNull, V1ViewSet, ordering_parameter
from api.v1.concurrency import etag_of, require_if_match, with_etag
from api.v1.errors import Conflict, form_errors
from api.v1.forms import body_of, checked, form_data
from playbooks.access import task_for_user
from playbooks.enums import Outcome, Priority
from playbooks.forms import NOTE_MAX, TaskCloseForm, TaskFilterForm
from playbooks.messages import evidence_sentences
from playbooks.models import Playbook, Task
from playbooks.selectors import TaskFilters, tasks_visible_to, with_value_at_stake
from playbooks.services import TaskAlreadyClosed, task_close
from segmentation.enums import FlagCode, Segment
from users.models import User


class TaskSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name")
    title = serializers.CharField(source="playbook.title", help_text="In the reader's language.")
    text = serializers.CharField(source="playbook.text", help_text="What to do.")
    trigger = serializers.CharField(source="playbook.trigger")
    evidence_text = serializers.SerializerMethodField(
        help_text="The evidence in sentences, in the reader's language."
    )
    assignee = PersonSerializer(allow_null=True)
    value_at_stake = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text="The account's gross profit over 12 months in the latest complete run.",
    )
    outcome = CodeOrNull(Outcome.choices, help_text="Null while the task is open.")
    closed_by = serializers.CharField(source="closed_by.username", allow_null=True)

    class Meta:
        model = Task
        fields = [
            "id", "account", "account_name", "playbook", "title", "text", "trigger", "priority",
            "status", "fired_on", "due_on", "evidence", "evidence_text", "cleared_on",
            "assignee", "value_at_stake", "outcome", "note", "closed_at", "closed_by",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_evidence_text(self, task: Task) -> list[str]:
        return evidence_sentences(task.evidence)


class TaskCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(max_length=NOTE_MAX, help_text="What happened.")


def task_etag(task: Task) -> str:
    """What closing changes; a closed task is never changed again."""
    return etag_of("task", task.pk, task.status, task.outcome, task.closed_at)


def _with_people(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.select_related("playbook", "account", "assignee", "closed_by")


def _task_response(pk: int) -> Response:
    task = _with_people(with_value_at_stake(Task.objects.filter(pk=pk))).get()
    return with_etag(Response(TaskSerializer(task).data), task_etag(task))


def task_filters(request: Request, user: User) -> TaskFilters:
    """The task list page's filters from the query string (`status=open|closed`, `mine`,
    `owner`); an invalid one is a 400 naming it (the page drops it)."""
    data = form_data(request.query_params, ["status", "mine", "owner"])
    if data.get("status") == "open":
        data["status"] = ""  # the page's form calls the open tasks ""
    form = TaskFilterForm(data, user=user)
    if not form.is_valid():
        raise serializers.ValidationError(form_errors(form))
    return form.filters()


TASK_PARAMETERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=["open", "closed"],
                     description="Open tasks (the default) or closed ones."),
    OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only those assigned to me."),
    OpenApiParameter("owner", OpenApiTypes.INT, description="One account manager's accounts."),
]  # fmt: skip


class TaskFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id")
    playbook = django_filters.NumberFilter(field_name="playbook_id")
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    due_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Task
        fields = ["account", "playbook", "priority", "due_on"]


TASK_ORDERINGS = {
    "due_on": "due_on",
    "value_at_stake": "value_at_stake",
    "closed_at": "closed_at",
    "created_at": "created_at",
}


@extend_schema(tags=["tasks"])
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, V1ViewSet):
    """/api/v1/tasks/: the task list; one task; POST …/close/ with If-Match."""

    serializer_class = TaskSerializer
    queryset = Task.objects.none()  # for the schema; get_queryset is the rule
    filter_backends = [DjangoFilterBackend]
    filterset_class = TaskFilter
    orderings = TASK_ORDERINGS

    def get_queryset(self) -> QuerySet[Task]:
        user = access.user_of(self.request)
        tasks = _with_people(tasks_visible_to(user=user, filters=task_filters(self.request, user)))
        # The page's order (soonest due, then most at stake) unless the client asks another.
        return self.ordered(tasks) if "ordering" in self.request.query_params else tasks

    @extend_schema(parameters=[*TASK_PARAMETERS, ordering_parameter(TASK_ORDERINGS)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open tasks soonest due first, then the most value at stake; closed ones newest
        closed first."""
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        task = task_for_user(user=access.user_of(request), pk=kwargs["pk"])
        return _task_response(task.pk)

    @extend_schema(request=TaskCloseSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: int) -> Response:
        """Close the task with an outcome ("not relevant" drops it) and a note. A closed task
        is a 409."""
        user = access.user_of(request)
        task = task_for_user(user=user, pk=pk, write=True)
        with transaction.atomic():
            locked = Task.objects.select_for_update().get(pk=task.pk)
            require_if_match(request, task_etag(locked))
            if not locked.is_open:
                raise Conflict(_("This task was already closed."), code="already_closed")
            fields = checked(TaskCloseForm(form_data(body_of(request), ["outcome", "note"])))
            try:
                task_close(task=locked, by=user, **fields)
            except TaskAlreadyClosed:
                raise Conflict(_("This task was already closed."), code="already_closed") from None
        return _task_response(task.pk)


class PlaybookSerializer(serializers.ModelSerializer):
    trigger_flag = CodeOrNull(FlagCode.choices, help_text="The flag a flag trigger follows.")
    trigger_segment = CodeOrNull(
        Segment.choices, help_text="The segment a segment trigger follows."
    )

    class Meta:
        model = Playbook
        fields = [
            "id", "trigger", "trigger_flag", "trigger_segment", "programme_only", "title_en",
            "title_he", "text_en", "text_he", "due_in_days", "assignee", "priority", "active",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema(tags=["tasks"])
class PlaybookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, V1ViewSet):
    """/api/v1/playbooks/ (admins only; read-only: they are edited on /playbooks/)."""

    serializer_class = PlaybookSerializer
    queryset = Playbook.objects.none()  # for the schema; get_queryset is the rule

    def get_queryset(self) -> QuerySet[Playbook]:
        access.admin_of(self.request)
        return Playbook.objects.order_by("trigger", "id")
