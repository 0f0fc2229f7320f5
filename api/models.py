"""Personal API tokens: what a script or another system (a service account) signs in with.

The secret is shown once, when the token is made, and only its SHA-256 is stored; the prefix,
stored in clear, finds the row and tells the owner's tokens apart on the profile page.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    FULL = "full", _("Everything the user may do")
    IMPORT_ONLY = "import_only", _("Imports only")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, unique=True)
    key_hash = models.CharField(max_length=64)  # SHA-256 of the secret, hex
    scope = models.CharField(
        _("scope"), max_length=12, choices=TokenScope.choices, default=TokenScope.FULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=TokenScope.values), name="api_token_scope_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_name_set"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
