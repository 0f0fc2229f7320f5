"""A JSON body read by a page's own form, so that the API accepts exactly what the page accepts
and refuses it with the page's messages, each naming its field."""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request

from api.v1.errors import form_errors


def body_of(request: Request) -> Mapping[str, Any]:
    """The JSON object sent; anything else (a list, a string) is a 400."""
    if not isinstance(request.data, Mapping):
        raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return request.data


def form_data(body: Mapping[str, Any], names: Iterable[str]) -> dict[str, str]:
    """The body's values of `names` as a form's text (null: blank), those absent left out."""
    return {name: as_text(body[name]) for name in names if name in body}


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def checked(form: forms.BaseForm) -> dict[str, Any]:
    """The form's cleaned data, or a 400 naming each field the form refused."""
    if not form.is_valid():
        raise serializers.ValidationError(form_errors(form))
    return form.cleaned_data
