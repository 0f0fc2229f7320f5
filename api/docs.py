"""The schema and its interactive documentation, under the strict Content-Security-Policy.

drf-spectacular's split Swagger view serves its start-up script as a file of its own
(`?script=`) rather than inline, and our template loads Swagger UI's files from the static
files (drf-spectacular-sidecar: no CDN) and its few page styles from a stylesheet, not a
<style> block. The documentation page is for people signed in to the portal: an anonymous
visitor is sent to the sign-in page, like any other page."""

from collections.abc import Callable
from typing import Any

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    title = "KAM Portal API"


def docs_view() -> Callable[..., Any]:
    view = ApiDocsView.as_view(url_name="api:schema")
    view.login_required = True  # type: ignore[attr-defined]  # DRF marks its views exempt
    return view


def schema_view() -> Callable[..., Any]:
    return SpectacularAPIView.as_view()
