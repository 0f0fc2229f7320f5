"""A service's refusal (a ValidationError) shown on the form that asked for the change."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.forms import BaseForm


def add_refusal(form: BaseForm, refusal: ValidationError) -> None:
    """Each message under the field it names where the form shows that field, else above the
    form (a service may name a field the form does not have, or none)."""
    if not hasattr(refusal, "error_dict"):
        form.add_error(None, refusal)
        return
    for name, errors in refusal.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def saved(form: BaseForm, write: Callable[[], object]) -> bool:
    """Validate `form`, then call the service; a refusal lands on the form's fields."""
    if not form.is_valid():
        return False
    try:
        write()
    except ValidationError as refusal:
        add_refusal(form, refusal)
        return False
    return True
