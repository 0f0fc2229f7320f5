"""Playbooks (a trigger and the task it asks for), the tasks the nightly run creates from them,
and each user's e-mail digest: the frequency they chose and the periods already sent."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import in_language
from playbooks.enums import (
    CHURN_TRIGGERS,
    Assignee,
    DigestFrequency,
    Outcome,
    Priority,
    TaskStatus,
    TriggerKind,
)
from playbooks.triggers import Trigger
from segmentation.enums import FlagCode, Segment

# The triggers that name a flag, and those that name a segment.
FLAG_KINDS = [TriggerKind.FLAG_RAISED]
SEGMENT_KINDS = [TriggerKind.SEGMENT_ENTERED, TriggerKind.SEGMENT_LEFT]


class Playbook(models.Model):
    """When the nightly data shows `trigger`, create this task on the account (admins edit)."""

    trigger = models.CharField(_("trigger"), max_length=20, choices=TriggerKind.choices)
    trigger_flag = models.CharField(
        _("flag"),
        max_length=20,
        choices=FlagCode.choices,
        blank=True,
        help_text=_("For “a churn flag is raised”: which flag."),
    )
    trigger_segment = models.CharField(
        _("segment"),
        max_length=10,
        choices=Segment.choices,
        blank=True,
        help_text=_("For “enters a segment” and “leaves a segment”: which segment."),
    )
    programme_only = models.BooleanField(
        _("programme accounts only"),
        default=False,
        help_text=_("Only for accounts the nightly run admitted to the assessment programme."),
    )
    title_en = models.CharField(_("task title (English)"), max_length=200)
    title_he = models.CharField(_("task title (Hebrew)"), max_length=200, blank=True)
    text_en = models.TextField(_("what to do (English)"), blank=True)
    text_he = models.TextField(_("what to do (Hebrew)"), blank=True)
    due_in_days = models.PositiveSmallIntegerField(
        _("due in (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days after the nightly run's date."),
    )
    assignee = models.CharField(
        _("assigned to"), max_length=20, choices=Assignee.choices, default=Assignee.OWNER
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active playbooks create tasks.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["trigger", "id"]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger__in=TriggerKind.values), name="playbook_trigger_valid"
            ),
            models.CheckConstraint(
                condition=(Q(trigger__in=FLAG_KINDS) & Q(trigger_flag__in=FlagCode.values))
                | (~Q(trigger__in=FLAG_KINDS) & Q(trigger_flag="")),
                name="playbook_flag_iff_flag_trigger",
                violation_error_message=_("Name a flag for “a churn flag is raised”, only then."),
            ),
            models.CheckConstraint(
                condition=(Q(trigger__in=SEGMENT_KINDS) & Q(trigger_segment__in=Segment.values))
                | (~Q(trigger__in=SEGMENT_KINDS) & Q(trigger_segment="")),
                name="playbook_segment_iff_segment_trigger",
                violation_error_message=_("Name a segment for the segment triggers, only then."),
            ),
            models.CheckConstraint(
                condition=Q(due_in_days__gte=1) & Q(due_in_days__lte=365),
                name="playbook_due_1_365",
            ),
            models.CheckConstraint(
                condition=Q(assignee__in=Assignee.values), name="playbook_assignee_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="playbook_priority_valid"
            ),
            models.CheckConstraint(condition=~Q(title_en=""), name="playbook_title_set"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_en, self.title_he)

    @property
    def text(self) -> str:
        return in_language(self.text_en, self.text_he)

    @property
    def rule(self) -> Trigger:
        """The trigger as the pure rules read it."""
        return Trigger(
            kind=self.trigger,
            flag=self.trigger_flag,
            segment=self.trigger_segment,
            programme_only=self.programme_only,
        )

    @property
    def is_about_churn(self) -> bool:
        return self.trigger in CHURN_TRIGGERS


class Task(models.Model):
    """One thing to do on one account, created by the nightly run from a playbook, with the
    evidence that fired it; open until a person closes it with an outcome."""

    playbook = models.ForeignKey(
        Playbook, verbose_name=_("playbook"), on_delete=models.PROTECT, related_name="tasks"
    )
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="tasks",
        db_index=False,  # the indexes in Meta lead with the account
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    # The as-of date of the nightly run that created it (runs are replaced and pruned, so the
    # date is kept rather than the run).
    fired_on = models.DateField(_("from the run of"))
    due_on = models.DateField(_("due"))
    # What fired it, as numbers and codes (rendered in the reader's language: messages.py).
    evidence = models.JSONField(_("evidence"), default=dict)
    # The as-of date of the first run in which the trigger no longer held; empty while it holds.
    cleared_on = models.DateField(_("cleared by the data on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            # One open task per account and playbook: a trigger that fires again while the
            # task is open creates nothing (the nightly step inserts ON CONFLICT DO NOTHING).
            models.UniqueConstraint(
                fields=["account", "playbook"],
                condition=Q(status=TaskStatus.OPEN),
                name="task_one_open_per_account_playbook",
            ),
            # Re-running a night creates nothing new, even after its task was closed.
            models.UniqueConstraint(
                fields=["account", "playbook", "fired_on"], name="task_one_per_night"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values), name="task_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="task_priority_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=TaskStatus.OPEN) & Q(closed_at__isnull=True) & Q(outcome=""))
                | (
                    ~Q(status=TaskStatus.OPEN)
                    & Q(closed_at__isnull=False)
                    & Q(outcome__in=Outcome.values)
                ),
                name="task_closed_iff_outcome",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("fired_on")), name="task_due_after_fired"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "status"], name="task_account_status_idx"),
            models.Index(fields=["status", "due_on"], name="task_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.playbook} · {self.account_id} · {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN


class DigestPreference(models.Model):
    """How often a user wants the e-mail digest; a user without a row gets the default."""

    DEFAULT = DigestFrequency.WEEKLY

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_preference",
    )
    frequency = models.CharField(
        _("e-mail digest"), max_length=10, choices=DigestFrequency.choices, default=DEFAULT
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=DigestFrequency.values), name="digest_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}"


class DigestSent(models.Model):
    """One user's digest for one period: written before the mail leaves, so a second run of
    the task for the same period sends nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    period = models.CharField(_("period"), max_length=32)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="digest_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.period}"
