"""Query-string filters. Accounts (and the dashboard) take the portfolio's own filter form
(portfolio.filters), the one the account list and the dashboard pages use, so the API and the
pages select accounts the same way; the other lists use django-filter FilterSets."""

from typing import cast

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.request import Request

from api.v1.errors import form_errors
from portfolio.filters import PortfolioFilterForm, PortfolioFilters
from users.models import User

# The page form's sort is the pages' own; the API sorts with `ordering`.
PORTFOLIO_FIELDS = ("q", "team", "owner", "segment", "industry", "risk", "programme", "coverage")


def portfolio_filters(request: Request, user: User) -> PortfolioFilters:
    """The filters in the query string; an invalid one is a 400 naming it (the pages drop it
    with a message instead)."""
    data = {k: v for k, v in request.query_params.items() if k in PORTFOLIO_FIELDS}
    form = PortfolioFilterForm(data, user=user)
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    return form.filters()


def _parameter(name: str, field: forms.Field) -> OpenApiParameter:
    if isinstance(field, forms.ModelChoiceField):
        return OpenApiParameter(name, OpenApiTypes.INT, description=str(field.label or ""))
    enum = None
    if isinstance(field, forms.ChoiceField) and name != "industry":  # industries: the data's
        choices = cast(list[tuple[object, object]], field.choices)
        enum = [str(value) for value, _label in choices]
    return OpenApiParameter(name, OpenApiTypes.STR, enum=enum, description=str(field.label or ""))


def portfolio_parameters() -> list[OpenApiParameter]:
    fields = PortfolioFilterForm.base_fields
    return [_parameter(name, fields[name]) for name in PORTFOLIO_FIELDS]
