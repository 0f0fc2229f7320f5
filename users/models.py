"""Logins, their role and language, and the teams that sales managers lead."""

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
