"""The 404 for a URL that matches no route: JSON in the API's error shape under /api/, the
site's page elsewhere (kam_portal.urls.handler404)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"detail": _("Not found."), "code": "not_found", "errors": []}
        return JsonResponse(body, status=404)
    return page_not_found(request, exception)
