"""Signing in to the API with a personal token: `Authorization: Bearer <prefix>.<secret>`.

Listed after session authentication in REST_FRAMEWORK (settings/base.py), so the browser's
session keeps working; the version-1 views put it first, so that an anonymous client is told
how to authenticate (401 with `WWW-Authenticate: Bearer`) rather than only refused (403)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from api.models import ApiToken
from api.tokens import token_authenticate
from users.models import User

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # not ours: the session (or nobody) then
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Bearer."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
