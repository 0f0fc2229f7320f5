"""Refusing concurrent edits: every updatable resource answers with an ETag, and every write
to it must send that ETag back in If-Match. A write without one is refused (428), a write
whose ETag is no longer current is refused (412) and changes nothing; the client reads the
resource again and decides. The check runs on the row locked for the write, so two clients
sending the same ETag cannot both pass it."""

import hashlib

from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.errors import ApiError

HEADER = "If-Match"


def etag_of(*parts: object) -> str:
    """A strong ETag from what identifies one state of a resource (its version, its fields)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f'"{digest[:32]}"'


def require_if_match(request: Request, current: str) -> None:
    """Refuse the write unless If-Match names the resource's current ETag (or is `*`)."""
    header = request.headers.get(HEADER)
    if not header:
        raise ApiError(
            status_code=status.HTTP_428_PRECONDITION_REQUIRED,
            detail=_("Send If-Match with the ETag you read, so no one else's change is lost."),
            code="precondition_required",
            errors=[
                {"field": HEADER, "message": _("This header is required."), "code": "required"}
            ],
        )
    tags = parse_etags(header)
    if "*" in tags or current in tags:
        return
    raise ApiError(
        status_code=status.HTTP_412_PRECONDITION_FAILED,
        detail=_("Someone changed this since you read it: read it again, then retry."),
        code="precondition_failed",
        errors=[{"field": HEADER, "message": _("Not the current ETag."), "code": "stale"}],
    )


def with_etag(response: Response, etag: str) -> Response:
    response["ETag"] = etag
    return response
