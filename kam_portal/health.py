"""`/healthz`: is this process serving and is its database answering?

Load balancers and the compose healthcheck call it without a session, so it skips the login
requirement. The body is for machines ("ok"), so it is not translated.
"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # Log the detail for operators; the response stays short and leaks no connection string.
        logger.warning("Health check: database unreachable: %s", exc)
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
