"""Request types that say the user is signed in, so views need no `request.user` casts.

`LoginRequiredMiddleware` sends every anonymous request for a page to the login form, except the
views marked `@login_not_required`; the page views behind it take an `AuthenticatedHttpRequest`.
Where the signature is not ours to narrow (the admin's `ModelAdmin` methods, DRF views, which
rely on `IsAuthenticated` instead of the middleware), `signed_in_user(request)` gives the user.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from users.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An `HttpRequest` for a page behind `LoginRequiredMiddleware`: its user is a `User`.

    A type for annotations only: Django builds the request, never this class.
    """

    user: User


def signed_in_user(request: HttpRequest | Request) -> User:
    """The user of a request that Django or DRF has already made sign in; an anonymous one is
    refused (403), should a view ever lose its login check."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
