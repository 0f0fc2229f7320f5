"""What every version-1 view shares: token first (so an anonymous client gets a 401 naming
Bearer), the one error shape, bounded pages, strict ordering."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.request import Request

from api.authentication import ApiTokenAuthentication
from api.throttling import AnonymousRateThrottle
from api.v1.errors import api_exception_handler
from kam_portal.pagination import MAX_LIMIT, BoundedLimitOffsetPagination


class V1ViewSet(viewsets.GenericViewSet):
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    pagination_class: type[BasePagination] | None = BoundedLimitOffsetPagination
    lookup_value_converter = "int"
    # Public name -> the expression it sorts by; `pk` always breaks ties, so pages are stable.
    orderings: Mapping[str, str] = {}
    default_ordering: Sequence[str] = ()

    def get_exception_handler(self) -> Callable[..., Any]:
        return api_exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """DRF checks throttles after authentication and permissions, so a client refused
        for want of (or with a wrong) token would never be throttled: count it by address."""
        try:
            super().initial(request, *args, **kwargs)
        except (exceptions.NotAuthenticated, exceptions.AuthenticationFailed):
            throttle = AnonymousRateThrottle()
            if not throttle.allow_request(request, self):
                self.throttled(request, throttle.wait() or 0.0)
            raise

    def ordered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """`?ordering=a,-b` over `orderings`; an unknown name is a 400 naming `ordering`."""
        asked = self.request.query_params.get("ordering", "")
        names = [n.strip() for n in asked.split(",") if n.strip()] or list(self.default_ordering)
        terms: list[OrderBy] = []
        for name in names:
            field = self.orderings.get(name.removeprefix("-"))
            if field is None:
                raise exceptions.ValidationError(
                    {"ordering": _("Unknown ordering “%(name)s”; use one of: %(names)s.")
                     % {"name": name, "names": ", ".join(sorted(self.orderings))}}
                )  # fmt: skip
            desc = name.startswith("-")
            terms.append(F(field).desc(nulls_last=True) if desc else F(field).asc(nulls_last=True))
        return queryset.order_by(*terms, "-pk" if names and names[0].startswith("-") else "pk")


def ordering_parameter(orderings: Mapping[str, str]) -> OpenApiParameter:
    names = sorted(orderings)
    return OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        description="Comma-separated; a leading - sorts descending. One of: " + ", ".join(names),
    )


class OrderCursorPagination(CursorPagination):
    """Orders are many and keep arriving: a cursor keeps pages stable while they are inserted."""

    ordering = ("-ordered_on", "-id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_LIMIT

    def get_page_size(self, request: Request) -> int:
        try:
            return super().get_page_size(request) or self.page_size
        except (OverflowError, ValueError):
            return self.page_size


class CodeOrNull(serializers.ChoiceField):
    """A read-only code that a row may leave blank, given as null (a task's outcome while it is
    open, a goal's state until it is measured), so that the schema's enum holds every value."""

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        super().__init__(choices, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return super().to_representation(value) if value else None
