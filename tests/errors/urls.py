"""The portal's URLs plus one view that fails, to see the 500 page as a user would."""

from django.urls import path

from kam_portal.urls import urlpatterns as portal


def boom(request):
    raise RuntimeError("a failure the 500 page must not show")


urlpatterns = [path("boom/", boom), *portal]
