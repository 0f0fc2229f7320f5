"""The beat entry of the e-mail digest: every day at 07:00 in TIME_ZONE. The task sends the
daily digests each morning and the weekly ones on Sunday (playbooks/digest/periods.py).
Editable afterwards in the Django admin."""

from django.conf import settings
from django.db import migrations

TASK = "playbooks.tasks.digest_send_task"
NAME = "E-mail digest"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={"task": TASK, "crontab": crontab, "enabled": True},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME, task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("playbooks", "0002_default_playbooks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
