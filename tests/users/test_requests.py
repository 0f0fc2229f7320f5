"""signed_in_user: the User of a signed-in request, a refusal for an anonymous one."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from rest_framework.request import Request

from users.requests import signed_in_user


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_it_returns_the_signed_in_user(account_manager):
    assert signed_in_user(_request(account_manager)) == account_manager


def test_it_refuses_an_anonymous_request():
    with pytest.raises(PermissionDenied):
        signed_in_user(_request(AnonymousUser()))


def test_it_reads_the_user_of_a_drf_request(account_manager):
    request = Request(_request(account_manager))
    request.user = account_manager
    assert signed_in_user(request) == account_manager


def test_it_refuses_an_anonymous_drf_request():
    request = Request(_request(AnonymousUser()))
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        signed_in_user(request)
