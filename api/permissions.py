"""What a token's scope lets it reach. In REST_FRAMEWORK's default permissions, so that every
API view, the old /api/accounts/ too, refuses an import-only token unless it says otherwise."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from api.models import ApiToken, TokenScope


class TokenScopeAllows(BasePermission):
    """A view lists the scopes it accepts in `token_scopes` (full only, by default)."""

    message = _("This token may only import: it cannot reach this endpoint.")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True  # a session: the user's own rights apply
        return token.scope in getattr(view, "token_scopes", (TokenScope.FULL,))
