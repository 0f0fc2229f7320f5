from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """Serve each signed-in user in the language they chose, whatever the browser asks for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.language:
            return self.get_response(request)
        # override() restores the previous language afterwards, so one request's choice never
        # leaks into the next one handled by this thread.
        with translation.override(user.language):
            request.LANGUAGE_CODE = user.language
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", user.language)
        return response
