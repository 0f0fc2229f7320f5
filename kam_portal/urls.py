from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from kam_portal.health import healthz
from portfolio.views import dashboard_view, home

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("users.urls")),
    path("", home, name="home"),
    path("dashboard/", dashboard_view, name="dashboard"),
    path("accounts/", include("portfolio.urls")),
    path("risk/", include("segmentation.churn.urls")),
    path("segments/", include("segmentation.segments.urls")),
    path("imports/", include("imports.urls")),
    path("", include("assessments.urls")),  # accounts/<pk>/assessments/…, assessments/<pk>/…
    path("api/", include("accounts.api")),
    path("healthz", healthz, name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
