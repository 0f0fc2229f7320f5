"""The shipped playbooks, and the constraints that keep tasks and playbooks whole (each named)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation

from playbooks.models import DigestSent, Playbook, Task
from tests.factories import AccountFactory, UserFactory
from tests.playbooks.conftest import (
    CALL_THE_BUYER,
    FILL_ASSESSMENT,
    GO_OVER_GAP,
    MEET_ABOUT_COMPETITOR,
    REVIEW_CHURN,
    playbook,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 10, 31)


def refused(match: str):
    return pytest.raises(IntegrityError, match=match)


def test_the_defaults_are_the_issues_five():
    rows = Playbook.objects.order_by("id").values_list(
        "title_en", "trigger", "trigger_flag", "programme_only", "due_in_days", "assignee"
    )
    assert list(rows) == [
        (CALL_THE_BUYER, "flag_raised", "overdue", False, 5, "owner"),
        (MEET_ABOUT_COMPETITOR, "flag_raised", "competitor", False, 14, "owner"),
        (REVIEW_CHURN, "level_high", "", True, 7, "sales_manager"),
        (FILL_ASSESSMENT, "assessment_overdue", "", False, 14, "owner"),
        (GO_OVER_GAP, "perception_gap", "", False, 14, "owner"),
    ]
    assert all(p.title_he and p.text_en and p.text_he and p.active for p in Playbook.objects.all())


def test_a_playbook_title_reads_in_the_users_language():
    call = playbook(CALL_THE_BUYER)
    with translation.override("he"):
        assert call.title == "להתקשר לקניין"
    with translation.override("en"):
        assert call.title == CALL_THE_BUYER


@pytest.fixture
def task():
    return Task.objects.create(
        playbook=playbook(CALL_THE_BUYER), account=AccountFactory(), fired_on=DAY, due_on=DAY
    )


def test_one_open_task_per_account_and_playbook(task):
    later = DAY + dt.timedelta(days=1)
    with refused("task_one_open_per_account_playbook"), transaction.atomic():
        Task.objects.create(
            playbook=task.playbook, account=task.account, fired_on=later, due_on=later
        )


def test_a_closed_task_leaves_room_for_a_new_one(task):
    Task.objects.filter(pk=task.pk).update(status="done", outcome="kept", closed_at=timezone.now())
    later = DAY + dt.timedelta(days=1)
    Task.objects.create(playbook=task.playbook, account=task.account, fired_on=later, due_on=later)


def test_one_task_per_account_playbook_and_night(task):
    Task.objects.filter(pk=task.pk).update(status="done", outcome="kept", closed_at=timezone.now())
    with refused("task_one_per_night"), transaction.atomic():
        Task.objects.create(playbook=task.playbook, account=task.account, fired_on=DAY, due_on=DAY)


def test_a_closed_task_has_an_outcome_and_an_open_one_none(task):
    with refused("task_closed_iff_outcome"), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(status="done", closed_at=timezone.now())
    with refused("task_closed_iff_outcome"), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(outcome="kept")


def test_a_task_is_not_due_before_its_night(task):
    with refused("task_due_after_fired"), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(due_on=DAY - dt.timedelta(days=1))


def test_a_playbook_with_tasks_cannot_be_deleted(task):
    with pytest.raises(ProtectedError):
        task.playbook.delete()


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"trigger": "flag_raised"}, "playbook_flag_iff_flag_trigger"),
        ({"trigger": "level_high", "trigger_flag": "overdue"}, "playbook_flag_iff_flag_trigger"),
        ({"trigger": "segment_left"}, "playbook_segment_iff_segment_trigger"),
        ({"trigger": "level_high", "due_in_days": 0}, "playbook_due_1_365"),
        ({"trigger": "nonsense"}, "playbook_trigger_valid"),
        ({"trigger": "level_high", "title_en": ""}, "playbook_title_set"),
    ],
)
def test_a_playbook_names_what_its_trigger_needs(fields, constraint):
    with refused(constraint), transaction.atomic():
        Playbook.objects.create(**{"title_en": "T", **fields})


def test_a_digest_is_recorded_once_per_user_and_period():
    user = UserFactory()
    DigestSent.objects.create(user=user, period="weekly:2026-11-29")
    with refused("digest_once_per_period"), transaction.atomic():
        DigestSent.objects.create(user=user, period="weekly:2026-11-29")
