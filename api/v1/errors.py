"""Every error of the API in one JSON shape, naming the field (and the row) at fault:

    {"detail": "…", "code": "invalid", "errors": [{"field": "revenue", "row": 17,
                                                 "message": "…", "code": "invalid"}]}

`detail` is one sentence for a person; `errors` lists each problem, `field` being a dotted path
into the request body or a query parameter's name (null for the request as a whole). A Django
ValidationError raised by a service is turned into the same shape, so a service's refusal
reaches the client as a 400 naming its field rather than a 500.
"""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


class ApiError(exceptions.APIException):
    """An error whose items are already made (the bulk upsert's rows, a precondition)."""

    def __init__(
        self,
        *,
        status_code: int,
        detail: str,
        code: str,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.code = code
        self.items = errors or []


class Conflict(ApiError):
    def __init__(self, detail: str, *, code: str = "conflict") -> None:
        super().__init__(status_code=status.HTTP_409_CONFLICT, detail=detail, code=code)


def items(data: Any, path: str = "") -> Iterator[dict[str, Any]]:
    """Flatten DRF's nested error detail into one item per message, with its dotted path."""
    if isinstance(data, dict):
        for key, value in data.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            yield from items(value, f"{path}.{name}".strip(".") if name else path)
    elif isinstance(data, list):
        nested = any(isinstance(v, (dict, list)) for v in data)
        for index, value in enumerate(data):
            yield from items(value, f"{path}.{index}".strip(".") if nested else path)
    else:
        code = getattr(data, "code", "invalid")
        yield {"field": path or None, "message": str(data), "code": code}


def form_errors(form: Any, rename: Any = None) -> dict[str, list[str]]:
    """A Django form's errors as a ValidationError's detail: {field: [message, ...]}, a
    form-wide error under no field; `rename` maps a form field's name to the body's."""
    named: dict[str, list[str]] = {}
    for name, errors in form.errors.items():
        key = "non_field_errors" if name == "__all__" else (rename(name) if rename else name)
        named.setdefault(key, []).extend(str(e) for e in errors)
    return named


FIRST_MESSAGE = gettext_lazy("The request has errors: see `errors`.")


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real fault: Django's 500
    response.data = _envelope(exc, response.data)
    return response


def _envelope(exc: Exception, data: Any) -> dict[str, Any]:
    if isinstance(exc, ApiError):
        return {"detail": str(exc.detail), "code": exc.code, "errors": exc.items}
    if isinstance(exc, exceptions.ValidationError):
        found = list(items(data))
        detail = found[0]["message"] if len(found) == 1 else str(FIRST_MESSAGE)
        return {"detail": detail, "code": "invalid", "errors": found}
    detail = data.get("detail", "") if isinstance(data, dict) else str(data)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    return {"detail": str(detail) or _("Error."), "code": str(code), "errors": []}
