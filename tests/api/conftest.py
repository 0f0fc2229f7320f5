"""Clients of the REST API: a token per person, sent as a Bearer header."""

from collections.abc import Callable

import pytest
from django.test import Client

from api.models import TokenScope
from api.tokens import token_create
from users.models import User

Bearer = Callable[..., Client]


@pytest.fixture
def bearer(db) -> Bearer:
    """bearer(user, scope=FULL): a test client that sends a fresh token of `user`."""

    def make(user: User, scope: str = TokenScope.FULL) -> Client:
        _token, key = token_create(user=user, name="test", scope=scope, by=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return make
