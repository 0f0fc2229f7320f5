"""Logins, their role and language, and the teams that sales managers lead."""

import hashlib
from collections.abc import Iterator

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")


class Language(models.TextChoices):
    HEBREW = "he", "עברית"
    ENGLISH = "en", "English"


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    manager = models.ForeignKey(
        "users.User",
        verbose_name=_("sales manager"),
        on_delete=models.PROTECT,
        related_name="led_teams",
        limit_choices_to={"role": Role.SALES_MANAGER},
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.ACCOUNT_MANAGER
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("The team an account manager belongs to."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.HEBREW
    )
    session_generation = models.PositiveIntegerField(
        _("session generation"),
        default=0,
        editable=False,
        help_text=_("Raised to end every session of the user at once (on deactivation)."),
    )
    is_service_account = models.BooleanField(
        _("service account"),
        default=False,
        help_text=_(
            "A login for another system (the ERP's import): it uses import-only API tokens and "
            "cannot sign in to the pages."
        ),
    )

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="user_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_sales_manager(self) -> bool:
        return self.role == Role.SALES_MANAGER

    @property
    def is_account_manager(self) -> bool:
        return self.role == Role.ACCOUNT_MANAGER

    def get_session_auth_hash(self) -> str:
        """Django's hash (it changes with the password) bound to the session generation: every
        session stores the hash it was opened with, so raising the generation ends them all,
        on any session backend, and reactivating the user does not bring them back."""
        return self._bound_to_generation(super().get_session_auth_hash())

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback in super().get_session_auth_fallback_hash():
            yield self._bound_to_generation(fallback)

    def _bound_to_generation(self, auth_hash: str) -> str:
        if not self.session_generation:  # generation 0: the sessions opened before it existed
            return auth_hash
        return hashlib.sha256(f"{auth_hash}:{self.session_generation}".encode()).hexdigest()


class UserChangeKind(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Details changed")
    DEACTIVATED = "deactivated", _("Deactivated")
    REACTIVATED = "reactivated", _("Reactivated")
    PASSWORD_SET = "password_set", _("Password set")
    PASSWORD_LINK = "password_link", _("One-time password link made")
    TEAM_CREATED = "team_created", _("Team created")
    TEAM_UPDATED = "team_updated", _("Team changed")


TEAM_CHANGE_KINDS = (UserChangeKind.TEAM_CREATED, UserChangeKind.TEAM_UPDATED)


class UserChange(models.Model):
    """Who changed a person or a team, when, and what: written by users.services with the change.

    A table of its own rather than simple_history on User: it records deliberate changes only
    (not every sign-in's `last_login`), actions that change no field a person reads (a password
    set, a one-time link made), and never a password hash. `details` holds each changed field's
    old and new value: `{"role": ["account_manager", "sales_manager"], "team": ["North", ""]}`.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit",
    )
    kind = models.CharField(_("change"), max_length=20, choices=UserChangeKind.choices)
    by = models.ForeignKey(
        User, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("people change")
        verbose_name_plural = _("people changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=UserChangeKind.values), name="user_change_kind_valid"
            ),
            # A team change names the team; every other change names the person.
            models.CheckConstraint(
                condition=Q(kind__in=TEAM_CHANGE_KINDS, team__isnull=False, user__isnull=True)
                | (~Q(kind__in=TEAM_CHANGE_KINDS) & Q(user__isnull=False, team__isnull=True)),
                name="user_change_subject_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-at"], name="user_change_user_at_idx"),
            models.Index(fields=["team", "-at"], name="user_change_team_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id or self.team_id} {self.at:%Y-%m-%d}"
