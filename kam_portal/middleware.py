"""Response headers Django has no setting for: Permissions-Policy, and no-store for signed-in users.

The Content-Security-Policy comes from django-csp (CONTENT_SECURITY_POLICY in settings/base.py).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# The portal uses none of these browser features; denying them means an injected script or a
# framed page cannot ask the user for them either.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class PermissionsPolicyMiddleware:
    """Deny every page the browser features the portal never uses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class NoStoreForSignedInMiddleware:
    """A page for a signed-in user holds customer data: no browser or proxy may keep a copy
    (the back button after logging out, a shared computer). Anonymous responses, /healthz and
    the static files (answered by WhiteNoise before the session is read) keep their headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # Cache-Control: ...no-cache, no-store, private
        return response
