"""The record of every import (page or command) and the saved column mappings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.importers import SPECS
from accounts.importers.formats import DATE_FORMATS, ISO, NUMBER_FORMAT_LABELS, PLAIN

KIND_CHOICES = [
    ("customers", _("Customers")),
    ("orders", _("Orders")),
    ("contacts", _("Contacts")),
    ("events", _("Account events")),
]
assert {code for code, _label in KIND_CHOICES} == set(SPECS)
DATE_FORMAT_CHOICES = list(DATE_FORMATS.items())
NUMBER_FORMAT_CHOICES = list(NUMBER_FORMAT_LABELS.items())


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: choose the columns")
    CHECKING = "checking", _("Checking (dry run)")
    CHECKED = "checked", _("Checked: waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Refused: invalid rows, nothing written")
    FAILED = "failed", _("Failed: nothing written")
    CANCELLED = "cancelled", _("Cancelled: nothing written")


RUNNING = (ImportStatus.CHECKING, ImportStatus.IMPORTING)
FINISHED = (ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED, ImportStatus.CANCELLED)


class ImportSource(models.TextChoices):
    PAGE = "page", _("Imports page")
    COMMAND = "command", _("Management command")


class ImportProfile(models.Model):
    """A named column mapping with its date and number formats, for one kind of file."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of file"), max_length=20, choices=KIND_CHOICES)
    # The portal's column -> the file's column (absent or "": not in the file).
    mapping = models.JSONField(_("column mapping"), default=dict)
    date_format = models.CharField(
        _("date format"), max_length=10, choices=DATE_FORMAT_CHOICES, default=ISO
    )
    number_format = models.CharField(
        _("number format"), max_length=20, choices=NUMBER_FORMAT_CHOICES, default=PLAIN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="import_profile_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="import_profile_name_set"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class ImportRun(models.Model):
    """One import: who, when, which file, how it was read, what it did, and how it ended."""

    kind = models.CharField(_("kind of file"), max_length=20, choices=KIND_CHOICES)
    source = models.CharField(_("source"), max_length=10, choices=ImportSource.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    # Where the file is (uploads: under MEDIA_ROOT/imports/; commands: the path given).
    path = models.CharField(max_length=1024)
    header = models.JSONField(default=list)  # the file's column names, read at upload
    profile = models.ForeignKey(
        ImportProfile,
        verbose_name=_("profile"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    mapping = models.JSONField(_("column mapping"), null=True, blank=True)
    date_format = models.CharField(max_length=10, choices=DATE_FORMAT_CHOICES, default=ISO)
    number_format = models.CharField(max_length=20, choices=NUMBER_FORMAT_CHOICES, default=PLAIN)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    dry_run = models.BooleanField(_("dry run only"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    cancel_requested = models.BooleanField(default=False)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    errors = models.JSONField(default=list)  # the first rejected rows, "line N, column M (...)"
    error = models.TextField(_("error"), blank=True)  # why the file as a whole was refused
    rejects_path = models.CharField(max_length=1024, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_run_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=list(SPECS)), name="import_run_kind_valid"),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_run_user_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED
