"""Argument types shared by the management commands (argparse turns their errors into usage)."""

import argparse
import datetime as dt

from django.utils.translation import gettext as _


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("expected a whole number, got %r") % text) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1, got %d") % value)
    return value


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a date as YYYY-MM-DD, got %r") % text
        ) from None
