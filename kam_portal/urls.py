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
    path("people/", include("users.people_urls")),
    path("risk/", include("segmentation.churn.urls")),
    path("audit/", include("audit.urls")),
    path("segments/", include("segmentation.segments.urls")),
    path("imports/", include("imports.urls")),
    path("", include("assessments.urls")),  # accounts/<pk>/assessments/…, assessments/<pk>/…
    path("", include("workspace.urls")),  # accounts/<pk>/log/, events/<pk>/…, contacts/<pk>/…
    path("", include("plans.urls")),  # accounts/<pk>/plan/…
    path("tasks/", include("playbooks.task_urls")),
    path("playbooks/", include("playbooks.urls")),
    path("digest/", include("playbooks.digest.urls")),
    path("profile/", include("api.page_urls")),  # API tokens, service accounts
    path("api/", include("api.urls")),  # schema, docs and /api/v1/
    path("api/", include("accounts.api")),  # the old read-only /api/accounts/, kept
    path("healthz", healthz, name="healthz"),
]

# A URL under /api/ that names nothing is answered in the API's JSON, not with the page.
handler404 = "api.errors.not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
