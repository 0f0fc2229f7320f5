"""Version 1 of the API, under /api/v1/ (namespace `api:v1`). One router; a resource is one
module of api/v1 and one line here."""

from rest_framework.routers import SimpleRouter

from api.v1.accounts import AccountViewSet

app_name = "v1"

router = SimpleRouter(use_regex_path=False)  # path converters: <int:pk>
router.register("accounts", AccountViewSet, basename="account")

urlpatterns = router.urls
