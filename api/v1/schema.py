"""The OpenAPI schema: only version 1's paths, and every operation documents the errors it can
answer with their one JSON shape (api/v1/errors.py), so a client and a schema check know them."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

ERRORS_ANY = ("400", "401", "403", "404", "406", "429")
ERRORS_WRITE = ("409", "412", "415", "428")


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="Dotted path, or null.")
    row = serializers.IntegerField(required=False, help_text="Bulk requests: the item's index.")
    message = serializers.CharField()
    code = serializers.CharField()


# Built by inline_serializer: a field named `errors` would shadow a Serializer's own `.errors`.
ErrorSerializer = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "errors": ErrorItemSerializer(many=True),
    },
)


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        codes = ERRORS_ANY if self.method in ("GET", "HEAD") else ERRORS_ANY + ERRORS_WRITE
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
                responses[code]["description"] = ""
        return responses


def only_version_1(endpoints: list[tuple[str, str, str, Any]]) -> list[Any]:
    """The old /api/accounts/ stays out of the schema: docs/api.md describes it."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Personal API tokens in the schema: HTTP bearer (docs/api.md#authentication)."""

    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, `<prefix>.<secret>` (/profile/tokens/).",
        }
