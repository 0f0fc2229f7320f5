"""The e-mail digest: who gets it when, what it holds, in their language, as text and HTML,
once per period however often the task runs, and the one-click unsubscribe. Mail goes to
Django's in-memory backend (pytest-django's `mailoutbox`)."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from playbooks.digest.periods import digest_period
from playbooks.digest.send import digests_send, unsubscribe_token
from playbooks.models import DigestPreference, DigestSent, Task
from playbooks.tasks import digest_send_task
from segmentation.enums import Programme, RunStatus
from segmentation.models import NightlyRun, RiskSnapshot, SegmentAssignment
from segmentation.segments.services import decision_version_current
from tests.factories import AccountFactory, AccountManagerFactory
from tests.playbooks.conftest import CALL_THE_BUYER, playbook
from tests.support import restore_question_template

SUNDAY = dt.date(2026, 11, 29)
MONDAY = SUNDAY + dt.timedelta(days=1)


class TestPeriods:
    def test_a_daily_digest_every_day(self):
        assert digest_period("daily", today=MONDAY).key == "daily:2026-11-30"
        assert digest_period("daily", today=SUNDAY).days == 1

    def test_a_weekly_digest_on_sunday_looking_a_week_ahead(self):
        period = digest_period("weekly", today=SUNDAY)
        assert (period.key, period.start, period.end) == (
            "weekly:2026-11-29",
            SUNDAY,
            dt.date(2026, 12, 5),
        )
        assert all(
            digest_period("weekly", today=SUNDAY + dt.timedelta(days=n)) is None
            for n in range(1, 7)
        )

    def test_off_never(self):
        assert digest_period("off", today=SUNDAY) is None


def snapshot(run, account, level, profit="0", probability="0.8"):
    chance = Decimal(probability) if level == "high" else Decimal("0.1")
    return RiskSnapshot.objects.create(
        run=run, account=account, score=80 if level == "high" else 10, level=level,
        revenue_12m=0, gross_profit_12m=Decimal(profit), probability=chance,
        expected_loss=(chance * Decimal(profit)).quantize(Decimal("0.01")),
    )  # fmt: skip


@pytest.fixture
def am1(account_manager):
    account_manager.email = "am1@example.com"
    account_manager.first_name = "Dana"
    account_manager.save()
    return account_manager


@pytest.fixture
def risky(am1):
    """A run a week ago saw the account at low risk; yesterday's run sees it high."""
    account = AccountFactory(owner=am1, name="Risky Ltd")
    steady = AccountFactory(owner=am1, name="Steady Ltd")
    week_ago = NightlyRun.objects.create(as_of=SUNDAY - dt.timedelta(days=8), status="complete")
    latest = NightlyRun.objects.create(as_of=SUNDAY - dt.timedelta(days=1), status="complete")
    snapshot(week_ago, account, "low")
    snapshot(latest, account, "high", "48200")
    snapshot(week_ago, steady, "high")
    snapshot(latest, steady, "high", "99000")  # high already a week ago: not new
    return account


@pytest.fixture
def due_task(am1, own_account):
    return Task.objects.create(
        playbook=playbook(CALL_THE_BUYER),
        account=own_account,
        assignee=am1,
        fired_on=SUNDAY - dt.timedelta(days=1),
        due_on=SUNDAY + dt.timedelta(days=3),
    )


def the_mail() -> mail.EmailMultiAlternatives:
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert isinstance(message, mail.EmailMultiAlternatives)
    return message


class TestWhatItHolds:
    def test_new_high_risk_accounts_with_value_at_stake_and_tasks_due(self, risky, due_task):
        assert digests_send(today=SUNDAY) == 1
        message = the_mail()
        assert message.to == ["am1@example.com"]
        assert message.subject == "KAM Portal: your week ahead, 29/11/2026"
        text = message.body
        assert "Hello Dana," in text
        assert "New high-risk accounts (1)" in text and "Risky Ltd" in text
        assert "expected loss ₪38,560 (gross profit at stake ₪48,200)" in text
        assert "Steady Ltd" not in text
        assert f"{settings.PORTAL_URL}/accounts/{risky.pk}/" in text
        assert "Your tasks due (1)" in text and "02/12/2026 Call the buyer: Own Ltd" in text
        assert f"{settings.PORTAL_URL}/tasks/{due_task.pk}/" in text

    def test_the_largest_expected_loss_comes_first(self, risky, am1):
        """Issue 13: ranked by expected loss, not by gross profit at stake."""
        big_but_safe = AccountFactory(owner=am1, name="Big Margin Ltd")
        latest = NightlyRun.objects.get(as_of=SUNDAY - dt.timedelta(days=1))
        snapshot(latest, big_but_safe, "high", "90000", probability="0.35")  # loss 31,500
        digests_send(today=SUNDAY)
        text = the_mail().body
        assert text.index("Risky Ltd") < text.index("Big Margin Ltd")  # 38,560 before 31,500

    def test_both_parts_carry_the_same_links_and_the_unsubscribe(self, risky, am1):
        digests_send(today=SUNDAY)
        message = the_mail()
        html, kind = message.alternatives[0]
        assert kind == "text/html"
        unsubscribe = settings.PORTAL_URL + reverse(
            "digest:unsubscribe", args=[unsubscribe_token(am1)]
        )
        assert unsubscribe in message.body and unsubscribe in html
        assert f'href="{settings.PORTAL_URL}/accounts/{risky.pk}/"' in html
        assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    def test_it_is_in_the_users_language(self, risky, am1):
        am1.language = "he"
        am1.save()
        digests_send(today=SUNDAY)
        message = the_mail()
        assert message.subject.startswith("פורטל לקוחות מפתח: השבוע שלך")
        assert "לקוחות חדשים בסיכון גבוה (1)" in message.body
        assert 'dir="rtl"' in message.alternatives[0][0]

    def test_the_assessments_due_this_week(self, am1, own_account):
        restore_question_template()
        run = NightlyRun.objects.create(as_of=SUNDAY - dt.timedelta(days=1), status="complete")
        SegmentAssignment.objects.create(
            run=run, account=own_account, owner=am1, segment="defend", precedence_rank=1,
            decision_version=decision_version_current(), value_at_stake=0,
            programme=Programme.ADMITTED,
        )  # fmt: skip
        joined = timezone.make_aware(dt.datetime(2026, 12, 2, 9))  # due from the day it joined
        type(own_account).objects.filter(pk=own_account.pk).update(created_at=joined)
        digests_send(today=SUNDAY)
        text = the_mail().body
        assert "Assessments due (1)" in text and "02/12/2026 Own Ltd" in text
        assert f"/accounts/{own_account.pk}/assessments/" in text

    def test_the_goals_behind_come_from_the_growth_plans_provider(self, am1, own_account, settings):
        settings.PLAYBOOK_GOALS_BEHIND = f"{__name__}.goals_behind"
        GOALS.update({own_account.pk: {4: {"goal_id": 4, "title": "₪500,000 in 2027"}}})
        digests_send(today=SUNDAY)
        text = the_mail().body
        assert (
            "Growth goals behind (1)" in text and "Own Ltd" in text and "₪500,000 in 2027" in text
        )

    def test_nothing_to_report_sends_nothing(self, am1):
        assert digests_send(today=SUNDAY) == 0
        assert mail.outbox == [] and not DigestSent.objects.exists()

    def test_only_what_the_user_may_see(self, risky, stranger):
        stranger.email = "am3@example.com"
        stranger.save()
        digests_send(today=SUNDAY)
        assert the_mail().to == ["am1@example.com"]  # Risky Ltd is not am3's to see


GOALS: dict[int, dict[int, dict]] = {}


def goals_behind(*, as_of: dt.date) -> dict[int, dict[int, dict]]:
    return GOALS


class TestWhoAndWhen:
    def test_weekly_by_default_on_sunday_only(self, risky):
        assert digests_send(today=MONDAY) == 0
        assert digests_send(today=SUNDAY) == 1

    def test_daily_every_morning(self, risky, am1):
        DigestPreference.objects.create(user=am1, frequency="daily")
        assert digests_send(today=MONDAY) == 1
        assert digests_send(today=MONDAY + dt.timedelta(days=1)) == 1

    def test_off_never(self, risky, am1):
        DigestPreference.objects.create(user=am1, frequency="off")
        assert digests_send(today=SUNDAY) == 0

    def test_no_address_or_inactive_no_digest(self, risky, am1):
        am1.email = ""
        am1.save()
        assert digests_send(today=SUNDAY) == 0
        am1.email, am1.is_active = "am1@example.com", False
        am1.save()
        assert digests_send(today=SUNDAY) == 0

    def test_sent_once_per_period_even_if_the_task_runs_twice(self, risky, am1):
        assert digest_send_task.apply().get() in (0, 1)  # today's real date may not be Sunday
        mail.outbox.clear()
        DigestSent.objects.all().delete()
        assert digests_send(today=SUNDAY) == 1
        assert digests_send(today=SUNDAY) == 0
        assert len(mail.outbox) == 1
        assert list(DigestSent.objects.values_list("user", "period")) == [
            (am1.pk, "weekly:2026-11-29")
        ]

    def test_a_mail_that_fails_is_not_counted_sent_and_the_others_still_go(
        self, risky, am1, monkeypatch
    ):
        other = AccountManagerFactory(username="am9", email="am9@example.com", team=am1.team)
        risky.team_members.add(other)
        sent = []

        def send(message, *args, **kwargs):
            if message.to == ["am1@example.com"]:
                raise ConnectionRefusedError("mail server down")
            sent.append(message.to)
            return 1

        monkeypatch.setattr(mail.EmailMultiAlternatives, "send", send)
        assert digests_send(today=SUNDAY) == 1
        assert sent == [["am9@example.com"]]
        assert list(DigestSent.objects.values_list("user__username", flat=True)) == ["am9"]

    def test_beat_runs_it_every_morning_at_seven_in_the_configured_time_zone(self, db):
        migration = importlib.import_module("playbooks.migrations.0003_digest_schedule")
        PeriodicTask.objects.filter(task=migration.TASK).delete()
        migration.create_schedule(django_apps, None)
        task = PeriodicTask.objects.get(task="playbooks.tasks.digest_send_task")
        assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_week) == ("7", "0", "*")
        assert str(task.crontab.timezone) == settings.TIME_ZONE and task.enabled


class TestPages:
    def test_the_setting_shows_weekly_until_changed(self, client, am1):
        client.force_login(am1)
        response = client.get(reverse("digest:settings"))
        assert response.context["form"].initial["frequency"] == "weekly"
        response = client.post(reverse("digest:settings"), {"frequency": "daily"})
        assert response.status_code == 302
        assert DigestPreference.objects.get(user=am1).frequency == "daily"

    def test_a_bad_choice_is_a_form_error(self, client, am1):
        client.force_login(am1)
        response = client.post(reverse("digest:settings"), {"frequency": "hourly"})
        assert response.status_code == 200 and "frequency" in response.context["form"].errors

    def test_a_user_without_an_address_is_told(self, client, account_manager):
        client.force_login(account_manager)
        assert 'data-testid="no-email"' in client.get(reverse("digest:settings")).content.decode()

    def test_the_unsubscribe_link_turns_it_off_without_signing_in(self, client, am1):
        am1.language = "he"
        am1.save()
        response = client.get(reverse("digest:unsubscribe", args=[unsubscribe_token(am1)]))
        assert response.status_code == 200
        assert DigestPreference.objects.get(user=am1).frequency == "off"
        assert "לא תקבלו עוד" in response.content.decode()

    def test_a_tampered_link_changes_nothing(self, client, am1):
        token = unsubscribe_token(am1)
        response = client.get(reverse("digest:unsubscribe", args=[token[:-2] + "xx"]))
        assert response.status_code == 400 and not DigestPreference.objects.exists()

    def test_mail_clients_may_post_the_one_click_unsubscribe(self, client, am1):
        url = reverse("digest:unsubscribe", args=[unsubscribe_token(am1)])
        assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
        assert DigestPreference.objects.get(user=am1).frequency == "off"


@pytest.fixture(autouse=True)
def clean_goals():
    GOALS.clear()
    yield
    GOALS.clear()


def test_a_run_status_of_complete_is_what_the_digest_reads(risky):
    NightlyRun.objects.filter(as_of=SUNDAY - dt.timedelta(days=1)).update(status=RunStatus.FAILED)
    digests_send(today=SUNDAY)
    assert "Risky Ltd" not in (mail.outbox[0].body if mail.outbox else "")
