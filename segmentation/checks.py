"""System checks: the nightly run's extra final steps must import, so a typo in
settings.NIGHTLY_FINAL_STEPS stops `manage.py check` (and every server start) rather than
failing the next night's run."""

from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error
from django.utils.module_loading import import_string


def nightly_steps_check(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    errors = []
    for path in getattr(settings, "NIGHTLY_FINAL_STEPS", []):
        try:
            step = import_string(path)
        except ImportError as exc:
            errors.append(_error(path, f"it does not import ({exc})"))
            continue
        if not callable(step):
            errors.append(_error(path, "it is not a function"))
    return errors


def _error(path: str, why: str) -> Error:
    return Error(
        f"NIGHTLY_FINAL_STEPS names {path!r}, but {why}.",
        hint="Each entry is the dotted path of a function that takes the nightly run.",
        id="segmentation.E001",
    )
